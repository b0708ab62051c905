"""Sign-in with the organisation's account: start at the provider, come back, log in.

Thin views over mozilla-django-oidc (request and backend, per provider) and oidc.services.
Every refusal goes back to the login page with a message that says what happened and what to
do, and is audited as a failed login with the provider and the reason.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from wel import audit
from wel.access import scope_for

from . import services
from .backends import ProviderBackend
from .models import Provider
from .services import SignInRefused

# The sign-in may use the password backend's session format: the account is a WEL user like
# any other (get_user by id, inactive users refused); the provider is kept beside it.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refuse(request, *, reason_error: SignInRefused, provider: Provider | None):
    audit.record(
        audit.events.LOGIN_FAILED,
        request=request,
        outcome=audit.Outcome.FAILURE,
        user=None,
        user_label=reason_error.address,
        detail={
            "method": "oidc",
            "provider": provider.slug if provider else "",
            "reason": reason_error.reason,
        },
    )
    messages.error(request, reason_error.message)
    return redirect("login")


class StartView(OIDCAuthenticationRequestView):
    """Send the browser to the chosen provider (authorization code flow, PKCE, state, nonce).

    The library keeps state, nonce and PKCE verifier in the session (``oidc_states``); the
    provider's slug is stored with them, so the answer is checked against the provider the
    sign-in began with."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self._config: dict = {}

    def get_settings(self, attr, *args):
        if attr in self._config:
            return self._config[attr]
        from mozilla_django_oidc.utils import import_from_settings

        return import_from_settings(attr, *args)

    def get(self, request, slug):
        provider = Provider.objects.filter(slug=slug, enabled=True).first()
        if provider is None:
            raise Http404
        try:
            self._config = services.library_settings(provider)
        except SignInRefused as refused:
            return _refuse(request, reason_error=refused, provider=provider)
        self.OIDC_OP_AUTH_ENDPOINT = self._config["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = self._config["OIDC_RP_CLIENT_ID"]
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        request.session["oidc_states"][state]["wel_provider"] = provider.slug
        request.session.modified = True
        return response


start = never_cache(login_not_required(require_GET(StartView.as_view())))


@never_cache
@login_not_required
@require_GET
def callback(request):
    """The provider's answer: check the state, exchange the code, verify the ID token, find
    the account, then log in. The provider's second factor counts when its acr/amr say so by
    the provider's configuration; otherwise WEL's own second factor follows (middleware)."""
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states") or {}
    entry = states.pop(state, None) if state else None
    if entry is None:
        return _refuse(request, reason_error=SignInRefused("state"), provider=None)
    request.session["oidc_states"] = states  # the state is used up, whatever follows
    provider = Provider.objects.filter(slug=entry.get("wel_provider"), enabled=True).first()
    if provider is None:
        return _refuse(request, reason_error=SignInRefused("provider"), provider=None)
    if request.GET.get("error") or not request.GET.get("code"):
        return _refuse(request, reason_error=SignInRefused("provider_error"), provider=provider)
    if "iss" in request.GET and request.GET["iss"] != provider.issuer:  # RFC 9207
        return _refuse(request, reason_error=SignInRefused("issuer"), provider=provider)
    try:
        backend = ProviderBackend(provider, services.library_settings(provider))
        user = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except SignInRefused as refused:
        return _refuse(request, reason_error=refused, provider=provider)
    except requests.RequestException:
        return _refuse(request, reason_error=SignInRefused("token_request"), provider=provider)
    if user is None:
        return _refuse(request, reason_error=SignInRefused("token"), provider=provider)
    if not user.is_active:
        return _refuse(request, reason_error=SignInRefused("inactive"), provider=provider)

    services.memberships_sync(provider=provider, user=user, claims=backend.claims, request=request)
    next_url = request.session.get("oidc_login_next")
    # wel.audit's login receiver adds this to the "Logged in" event.
    request.wel_login_detail = {"method": "oidc", "provider": provider.slug}
    auth.login(request, user, backend=SESSION_BACKEND)
    request.session[services.SESSION_PROVIDER] = provider.slug
    request.session[services.SESSION_ID_TOKEN] = backend.id_token
    second_factor = services.provider_second_factor(provider=provider, id_claims=backend.id_claims)
    if second_factor is not None:
        otp_login(request, backend.identity)
        audit.record(
            audit.events.SECOND_FACTOR_VERIFIED,
            request=request,
            user=user,
            obj=backend.identity,
            detail={"device": "provider", "provider": provider.slug, **second_factor},
        )
    if not scope_for(user).has_role:
        return redirect("oidc_no_role")
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@never_cache
@require_GET
def no_role(request):
    """Signed in, but the account has no role in WEL yet: say so and whom to ask. (Without a
    role no second factor is required, so the middleware lets such a user through; anyone
    with a role verifies it first and is then sent home.)"""
    if scope_for(request.user).has_role:
        return redirect("home")
    provider = Provider.objects.filter(
        slug=request.session.get(services.SESSION_PROVIDER) or ""
    ).first()
    return render(request, "oidc/no_role.html", {"provider": provider})
