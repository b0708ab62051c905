"""Who calls: an API client by its OAuth 2.0 bearer token (client credentials). The request's
user is the client's service account, so the access policy and the audit log treat it as any
other actor. A session is not an API credential: without a bearer token the answer is 401."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiClient


class ApiClientAuthentication(OAuth2Authentication):
    www_authenticate_realm = "wel-api"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
                raise AuthenticationFailed(
                    _("The access token is not valid or has expired. Ask for a new token.")
                )
            return None
        _user, token = result
        client = (
            ApiClient.objects.select_related("user")
            .filter(application_id=token.application_id, revoked_at__isnull=True)
            .first()
        )
        if client is None or not client.user.is_active:
            raise AuthenticationFailed(_("This API client has been revoked."))
        user = client.user
        user.api_client_obj = client
        return user, token
