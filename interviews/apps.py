from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        # Respondents' names for the check on text that leaves a region.
        from cases.agenda import register_agenda_source
        from wel.shared_text import register_name_source

        from .agenda import next_step_deadlines
        from .names import respondent_names_in_text

        register_name_source(respondent_names_in_text)
        # Agreed next steps in the deadline agenda.
        register_agenda_source(next_step_deadlines)
        # The case moves to another region: the sending region's agenda keeps its own work.
        from cases.transfers import register_transfer_step

        from .services import unlink_on_transfer

        register_transfer_step(unlink_on_transfer)
