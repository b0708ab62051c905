from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        # Respondents' names for the check on text that leaves a region.
        from wel.shared_text import register_name_source

        from .names import respondent_names_in_text

        register_name_source(respondent_names_in_text)
