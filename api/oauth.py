"""The OAuth 2.0 validator: client credentials only, and a client gets no scope beyond the
ones it was created with (``ApiClient.scopes``); asking for none gives all of its own."""

from __future__ import annotations

from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator


def _granted(client) -> set[str]:
    api_client = getattr(client, "api_client", None)
    if api_client is None or not api_client.is_active or not api_client.user.is_active:
        return set()
    return set(api_client.scope_list)


class Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type != "client_credentials":
            return False
        if client.authorization_grant_type != AbstractApplication.GRANT_CLIENT_CREDENTIALS:
            return False
        return bool(_granted(client))

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return bool(scopes) and set(scopes) <= _granted(client)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return sorted(_granted(request.client))

    def validate_user(self, username, password, client, request, *args, **kwargs):
        # No password grant: a person's password never opens the API.
        return False
