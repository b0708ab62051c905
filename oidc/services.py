"""Sign-in with the organisation's account: which account a provider's person is, which
memberships their groups give, and whether the provider's second factor counts.

The protocol (authorization code flow with PKCE, state and nonce, the ID token's signature
through the provider's JWKS) is mozilla-django-oidc's (:mod:`oidc.backends`); this module
holds WEL's rules, stated in docs/security.md "Signing in with your organisation's account".
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wel import audit
from wel.models import Membership, User
from wel.normalise import normalise_email

from .models import Identity, Provider

SESSION_PROVIDER = "wel_oidc_provider"
SESSION_ID_TOKEN = "wel_oidc_id_token"  # noqa: S105 (a session key, not a secret)

#: Why a sign-in was refused: the code kept in the audit log's detail → what the user reads.
REFUSALS = {
    "state": _(
        "This sign-in link was already used or has expired. Start again with the button "
        "of your organisation."
    ),
    "provider": _("This organisation can no longer be used to sign in. Log in with your password."),
    "provider_error": _(
        "Your organisation's sign-in was cancelled or refused. Try again, or log in with your "
        "password."
    ),
    "unreachable": _(
        "WEL cannot reach your organisation's sign-in service right now. Try again in a few "
        "minutes, or log in with your password."
    ),
    "token_request": _(
        "Your organisation's sign-in could not be completed. Start again with the button of "
        "your organisation."
    ),
    "token": _(
        "WEL could not verify the answer of your organisation's sign-in service, so you are not "
        "logged in. Try again; if it keeps happening, tell your administrator."
    ),
    "issuer": _(
        "The answer came from a sign-in service WEL does not know for this organisation, so "
        "you are not logged in. Tell your administrator."
    ),
    "audience": _(
        "The answer of your organisation's sign-in service was meant for another application, "
        "so you are not logged in. Tell your administrator."
    ),
    "expired": _(
        "The answer of your organisation's sign-in service had already expired. Try again; "
        "if it keeps happening, the clock of the sign-in service may be wrong: tell your "
        "administrator."
    ),
    "subject": _(
        "Your organisation's sign-in service gave inconsistent answers, so you are not logged "
        "in. Tell your administrator."
    ),
    "unverified": _(
        "Your organisation did not confirm your e-mail address, so WEL cannot tell which "
        "account is yours. Ask your organisation's IT department to confirm it, or log in "
        "with your password."
    ),
    "domain": _(
        "This organisation cannot sign you in with that e-mail address. Use the button of "
        "the organisation your address belongs to, or log in with your password."
    ),
    "inactive": _("Your WEL account is switched off. Ask the WEL administrator of your region."),
    "no_account": _(
        "You signed in at your organisation as %(address)s, but WEL has no account with that "
        "address. Ask the WEL administrator of your region (or the programme's functional "
        "administrator) to create one; then sign in again."
    ),
}


class SignInRefused(Exception):
    """A sign-in that must not log anyone in; ``reason`` is a key of :data:`REFUSALS`."""

    def __init__(self, reason: str, *, address: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.address = address

    @property
    def message(self) -> str:
        text = str(REFUSALS.get(self.reason, REFUSALS["token"]))
        return text % {"address": self.address} if "%(address)s" in text else text


def _split_values(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return set()


# -- provider configuration -------------------------------------------------------------------
def discovery(provider: Provider) -> dict:
    """The provider's discovery document (OpenID Connect Discovery 1.0), cached
    WEL_OIDC_DISCOVERY_CACHE_SECONDS. Raises SignInRefused("unreachable") when it cannot be
    fetched, lacks an endpoint WEL needs or names another issuer than the one configured."""
    well_known = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    url = provider.discovery_url or well_known
    key = f"wel-oidc-discovery:{url}"
    doc = cache.get(key)
    if doc is not None:
        return doc
    try:
        response = requests.get(url, timeout=settings.WEL_OIDC_TIMEOUT_SECONDS)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused("unreachable") from exc
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(doc, dict) or any(not isinstance(doc.get(k), str) for k in needed):
        raise SignInRefused("unreachable")
    if doc.get("issuer") != provider.issuer:
        raise SignInRefused("issuer")
    cache.set(key, doc, settings.WEL_OIDC_DISCOVERY_CACHE_SECONDS)
    return doc


def client_secret(provider: Provider) -> str:
    """The client secret; ``env:NAME`` reads the environment variable NAME."""
    secret = provider.client_secret or ""
    if secret.startswith("env:"):
        return os.environ.get(secret[4:], "")
    return secret


def library_settings(provider: Provider) -> dict[str, Any]:
    """mozilla-django-oidc's settings (OIDC_*) for one provider, from the model and the
    provider's discovery document. Raises SignInRefused("unreachable") as :func:`discovery`."""
    doc = discovery(provider)
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": doc["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": doc["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": doc.get("userinfo_endpoint") or "",
        "OIDC_OP_JWKS_ENDPOINT": doc["jwks_uri"],
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": client_secret(provider),
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": provider.scopes or "openid email",
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_callback",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": settings.WEL_OIDC_TIMEOUT_SECONDS,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_CREATE_USER": False,
    }


# -- token checks the library leaves out --------------------------------------------------------
def check_id_token_claims(*, provider: Provider, payload: dict, now: float) -> None:
    """The ID token's issuer, audience and times (OpenID Connect Core 3.1.3.7, items 2-4, 9,
    10); the signature and nonce are checked by mozilla-django-oidc before this.

    Raises SignInRefused with reason "issuer", "audience", "expired" or "token".
    """
    skew = settings.WEL_OIDC_CLOCK_SKEW_SECONDS
    if payload.get("iss") != provider.issuer:
        raise SignInRefused("issuer")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or provider.client_id not in audiences:
        raise SignInRefused("audience")
    if len(audiences) > 1 and payload.get("azp") != provider.client_id:
        raise SignInRefused("audience")
    exp, iat = payload.get("exp"), payload.get("iat")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise SignInRefused("token")
    if exp + skew < now:
        raise SignInRefused("expired")
    if not isinstance(iat, (int, float)) or iat - skew > now:
        raise SignInRefused("token")
    sub = payload.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise SignInRefused("token")


# -- the account ------------------------------------------------------------------------------
def vouched_address(*, provider: Provider, claims: dict) -> str:
    """The e-mail address the provider vouches for, normalised: the ``email`` claim only with
    ``email_verified`` true; another configured link claim (e.g. ``upn``) as the provider
    sends it. Never an unverified address. Refused when outside the provider's domains.

    Raises SignInRefused("unverified") or SignInRefused("domain").
    """
    claim = provider.link_claim or "email"
    value = claims.get(claim)
    if not isinstance(value, str) or "@" not in value:
        raise SignInRefused("unverified")
    verified = claims.get("email_verified")
    if claim == "email" and not (verified is True or verified == "true"):  # not 1, not "yes"
        raise SignInRefused("unverified")
    address = normalise_email(value)[:254]
    domain = address.rsplit("@", 1)[1]
    if provider.domains and domain not in provider.domains:
        raise SignInRefused("domain", address=address)
    return address


@transaction.atomic
def identity_for(*, provider: Provider, claims: dict, request: HttpRequest | None) -> Identity:
    """The linked identity for the provider's ``sub``, linking it at the first sign-in.

    An identity already linked decides the account (a changed e-mail at the provider does not
    move it). Otherwise the account is the one with the address the provider vouches for
    (:func:`vouched_address`); without one, an account is created only when the provider is
    allowed to (``create_users``), else SignInRefused("no_account"). Linking and creating are
    audited.
    """
    subject = str(claims.get("sub") or "")
    identity = (
        Identity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    )
    if identity is None:
        address = vouched_address(provider=provider, claims=claims)
        user = User.objects.filter(email=address).first()
        if user is None:
            if not provider.create_users:
                raise SignInRefused("no_account", address=address)
            name = claims.get("name") if isinstance(claims.get("name"), str) else ""
            user = User.objects.create_user(address, None, full_name=name[:150])
            audit.record(
                audit.events.USER_CREATED,
                request=request,
                user=user,
                obj=user,
                detail={"via": "oidc", "provider": provider.slug},
            )
        identity = Identity.objects.create(
            user=user, provider=provider, subject=subject, name=provider.name[:64], confirmed=True
        )
        audit.record(
            audit.events.OIDC_IDENTITY_LINKED,
            request=request,
            user=user,
            obj=user,
            detail={"provider": provider.slug, "linked_by": provider.link_claim or "email"},
        )
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["last_used_at"])
    return identity


@transaction.atomic
def memberships_sync(
    *, provider: Provider, user: User, claims: dict, request: HttpRequest | None
) -> list[str]:
    """Grant and remove the memberships the provider's group mappings govern.

    A (region, role) pair named by any mapping of this provider is the provider's to decide:
    the user has it while a mapped group is in the groups claim (with the union of the
    mappings' gemeenten; a mapping without gemeenten gives the whole region) and loses it
    when none is. Memberships of other pairs are left alone. Without mappings nothing
    changes. Every change is audited like a change in /beheer/. Returns what changed.
    """
    mappings = list(provider.group_mappings.select_related("region").prefetch_related("gemeenten"))
    if not mappings or not provider.groups_claim:
        return []
    groups = _split_values(claims.get(provider.groups_claim))
    governed: dict[tuple[int, str], Any] = {}
    wanted: dict[tuple[int, str], set[int] | None] = {}
    for mapping in mappings:
        pair = (mapping.region_id, mapping.role)
        governed[pair] = mapping.region
        if mapping.group not in groups:
            continue
        gemeenten = {g.pk for g in mapping.gemeenten.all()}
        if not gemeenten or (pair in wanted and wanted[pair] is None):
            wanted[pair] = None
        else:
            wanted[pair] = (wanted.get(pair) or set()) | gemeenten
    existing = {
        (m.region_id, m.role): m
        for m in Membership.objects.filter(user=user).prefetch_related("gemeenten")
    }
    changed = []
    # Removals first, then additions and changes, each by (region, role): the same order on
    # every database (the mappings' query has none).
    for pair, region in sorted(governed.items(), key=lambda item: (item[0] in wanted, item[0])):
        detail = {
            "via": "oidc",
            "provider": provider.slug,
            "inline": f"{region} — {pair[1]}",
        }
        membership = existing.get(pair)
        if pair in wanted:
            gemeenten = wanted[pair] or set()
            if membership is None:
                membership = Membership.objects.create(user=user, region_id=pair[0], role=pair[1])
                membership.gemeenten.set(gemeenten)
                audit.record(
                    audit.events.MEMBERSHIP_CREATED,
                    request=request,
                    user=user,
                    obj=user,
                    detail=detail,
                )
                changed.append(f"+{region}:{pair[1]}")
            elif {g.pk for g in membership.gemeenten.all()} != gemeenten:
                membership.gemeenten.set(gemeenten)
                audit.record(
                    audit.events.MEMBERSHIP_CHANGED,
                    request=request,
                    user=user,
                    obj=user,
                    detail=detail,
                )
                changed.append(f"~{region}:{pair[1]}")
        elif membership is not None:
            membership.delete()
            audit.record(
                audit.events.MEMBERSHIP_REMOVED, request=request, user=user, obj=user, detail=detail
            )
            changed.append(f"-{region}:{pair[1]}")
    return changed


# -- the second factor --------------------------------------------------------------------------
def provider_second_factor(*, provider: Provider, id_claims: dict) -> dict | None:
    """What in the ID token shows the provider's own second factor, by the provider's
    configured values: ``{"acr": value}`` or ``{"amr": [values]}``; None when it does not count
    (then WEL asks its own). Nothing is trusted when no values are configured."""
    acr = id_claims.get("acr")
    if isinstance(acr, str) and acr in provider.acr_values:
        return {"acr": acr}
    amr = _split_values(id_claims.get("amr")) if isinstance(id_claims.get("amr"), list) else set()
    matched = sorted(amr & set(provider.amr_values))
    if matched:
        return {"amr": matched}
    return None


# -- logout -------------------------------------------------------------------------------------
def provider_logout(request: HttpRequest) -> dict | None:
    """Before WEL's logout: the provider's end-session address for this session's sign-in
    (RP-Initiated Logout 1.0), as ``{"name": ..., "url": ...}``; None when the session did not
    come from a provider or the provider has no end-session endpoint."""
    slug = request.session.get(SESSION_PROVIDER)
    if not slug:
        return None
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        return None
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except SignInRefused:
        return None
    if not isinstance(endpoint, str) or not endpoint:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    id_token = request.session.get(SESSION_ID_TOKEN)
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in endpoint else "?"
    return {"name": provider.name, "url": f"{endpoint}{separator}{urlencode(params)}"}


def login_providers():
    """The providers offered on the login page, in their order."""
    return list(Provider.objects.filter(enabled=True).only("slug", "name"))
