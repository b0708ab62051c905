from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class WelAdminSite(AdminSite):
    """The Django admin, open to beheerders only (users, memberships, reference data, audit)."""

    site_header = _("WEL in Ontwikkeling: management")
    site_title = _("WEL management")
    index_title = _("Management")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_beheerder)
