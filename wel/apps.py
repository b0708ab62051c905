from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class WelConfig(AppConfig):
    name = "wel"
    verbose_name = "WEL in Ontwikkeling"

    def ready(self) -> None:
        # Login, logout and failed logins are audited (NEN 7513); Django reports them as signals.
        from . import audit

        audit.connect_auth_signals()


class WelAdminConfig(AdminConfig):
    default_site = "wel.admin_site.WelAdminSite"
