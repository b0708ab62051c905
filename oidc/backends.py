"""mozilla-django-oidc's backend, one instance per provider.

The library reads one provider from settings; here each instance is built for the provider
chosen on the login page (:func:`oidc.services.library_settings` answers its ``get_settings``),
and is called by :class:`oidc.views.CallbackView` directly rather than through
AUTHENTICATION_BACKENDS, so a password login never reaches it. Kept from the library: the token
request, the signature check against the provider's JWKS (matching ``kid`` and ``alg``) and the
nonce. Added: issuer, audience and time checks (:func:`oidc.services.check_id_token_claims`),
userinfo's ``sub`` equal to the ID token's, and WEL's own account rule instead of the library's
"any user with this e-mail".
"""

from __future__ import annotations

import time

import jwt
import requests
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from . import services
from .models import Provider
from .services import SignInRefused


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, provider: Provider, config: dict):
        self.provider = provider
        self._config = config
        self.id_claims: dict = {}
        self.claims: dict = {}
        self.id_token = ""
        self.identity = None
        super().__init__()

    def get_settings(self, attr, *args):
        if attr in self._config:
            return self._config[attr]
        return import_from_settings(attr, *args)

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused("expired") from exc
        except (jwt.InvalidTokenError, SuspiciousOperation, KeyError, ValueError) as exc:
            raise SignInRefused("token") from exc
        except requests.RequestException as exc:  # the JWKS could not be fetched
            raise SignInRefused("unreachable") from exc
        services.check_id_token_claims(provider=self.provider, payload=payload, now=time.time())
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        try:
            userinfo = super().get_userinfo(access_token, id_token, payload)
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused("token_request") from exc
        if not isinstance(userinfo, dict):
            raise SignInRefused("token")
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SignInRefused("subject")  # OpenID Connect Core 5.3.2
        self.id_claims = payload
        self.claims = {**payload, **userinfo}
        self.id_token = id_token
        self.identity = services.identity_for(
            provider=self.provider, claims=self.claims, request=self.request
        )
        return self.identity.user

    def store_tokens(self, access_token, id_token):
        """Nothing: the view keeps the ID token for the end-session request itself."""
