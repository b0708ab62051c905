"""An API client: a system (a leerplicht administration package, the programme's tooling) that
calls the API with OAuth 2.0 client credentials.

Each client is backed by a **service account**, an ordinary ``wel.User`` with an unusable
password and ordinary memberships (region, role, gemeenten) or a national role, so the access
policy (``wel.access``) applies to it unchanged: the client sees exactly what a person in that
organisation and role sees. Its OAuth scopes then narrow which endpoints it may call.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("service account"),
    )
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_client",
    )
    scopes = models.CharField(_("scopes"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    rotated_at = models.DateTimeField(_("secret renewed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.application_id is not None
