from django.contrib.admin import AdminSite, ModelAdmin
from django.utils.translation import gettext_lazy as _


class WelAdminSite(AdminSite):
    """The Django admin, open to beheerders only (users, memberships, reference data, audit).

    Every ModelAdmin registered here is audited (see :mod:`wel.admin_audit`).
    """

    site_header = _("WEL in Ontwikkeling: management")
    site_title = _("WEL management")
    index_title = _("Management")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_beheerder)

    def register(self, model_or_iterable, admin_class=None, **options):
        from .admin_audit import AuditedAdminMixin

        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
