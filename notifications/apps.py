from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wel import audit

        from .rules import on_event

        audit.listen(on_event)
