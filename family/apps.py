from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "family"
    verbose_name = _("Family in their own words")

    def ready(self) -> None:
        # Open invitations are revoked when the case moves to another region (issue 21 §2).
        from cases.transfers import register_transfer_step

        from .services import invitations_close_on_transfer

        register_transfer_step(invitations_close_on_transfer)
