from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class WelConfig(AppConfig):
    name = "wel"
    verbose_name = "WEL in Ontwikkeling"

    def ready(self) -> None:
        # Login, logout and failed logins are audited (NEN 7513); Django reports them as signals.
        from django.contrib.auth.signals import user_logged_in

        from . import accounts, audit, middleware

        audit.connect_auth_signals()
        # A successful login clears only that account's failed attempts (the lockout).
        user_logged_in.connect(accounts.login_succeeded, dispatch_uid="wel.accounts.lockout")
        # Both session clocks (idle and absolute limit) start at every login.
        user_logged_in.connect(middleware._on_login, dispatch_uid="wel.session.clock")


class WelAdminConfig(AdminConfig):
    default_site = "wel.admin_site.WelAdminSite"
