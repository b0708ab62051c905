"""What an API client may call: the OAuth scope a view names for the request's method
(``required_scopes = {"GET": "jeugdigen:lezen", ...}``), and the role check the matching pages
make (``scope_check``, on the access policy's :class:`~wel.access.Scope`). Objects outside the
client's scope are not found (404): the querysets start from ``visible_to``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from wel.access import scope_for


class ApiScope(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated or request.auth is None:
            return False  # DRF answers 401 (NotAuthenticated) for an unauthenticated request
        needed = getattr(view, "required_scopes", {}).get(request.method)
        if request.method == "HEAD":
            needed = getattr(view, "required_scopes", {}).get("GET")
        if needed is None:
            raise PermissionDenied(_("This method is not open to API clients."))
        if not request.auth.allow_scopes([needed]):
            raise PermissionDenied(
                _("This API client lacks the scope %(scope)s for this call.") % {"scope": needed}
            )
        check = getattr(view, "scope_check", None)
        if check is not None and not check(scope_for(user)):
            raise PermissionDenied(_("This call is not open to the role of this API client."))
        return True
