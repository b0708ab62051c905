from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents and letters")

    def ready(self) -> None:
        # The retention job destroys a case's documents with their stored files.
        from cases.retention import register_destroy_hook

        from .services import documents_destroy_for_cases

        register_destroy_hook(documents_destroy_for_cases)
