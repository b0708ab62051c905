from django.contrib.admin import AdminSite, ModelAdmin
from django.utils.translation import gettext_lazy as _


class WelAdminSite(AdminSite):
    """The Django admin, open to beheerders only (users, memberships, reference data, audit).

    Every ModelAdmin registered here is audited (see :mod:`wel.admin_audit`).
    """

    site_header = _("WEL in Ontwikkeling: management")
    site_title = _("WEL management")
    index_title = _("Management")
    # The app list stays on the index page: beside a change list it took a quarter of a 1366 px
    # screen and pushed the list's last column out of view (issue 11, wide screens).
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_beheerder)

    #: Never in beheer: second-factor devices. django-otp's own admin pages would show a
    #: user's TOTP key, so a beheerder could pass another person's second factor. Users enrol
    #: themselves; a beheerder resets another user's devices with the audited action on the
    #: user list ("Reset second factor", wel.second_factor.second_factor_reset).
    EXCLUDED_MODELS = frozenset(
        {"otp_totp.totpdevice", "otp_static.staticdevice", "django_otp_webauthn.webauthncredential"}
    )

    def register(self, model_or_iterable, admin_class=None, **options):
        from django.db.models.base import ModelBase

        from .admin_audit import AuditedAdminMixin

        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        models = [m for m in models if m._meta.label_lower not in self.EXCLUDED_MODELS]
        if not models:
            return
        model_or_iterable = models

        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
