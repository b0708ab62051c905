from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Names of jeugdigen and betrokkenen for the check on text that leaves a region.
        from wel.shared_text import register_name_source

        from .names import names_in_text

        register_name_source(names_in_text)
