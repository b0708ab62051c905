"""Creating, rotating and revoking API clients (``manage.py api_client``, docs/api.md).

A client's secret is shown once, when it is made or renewed: django-oauth-toolkit stores only
its hash. Every change is in the audit log (account created, changed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from regions.models import Region
from wel import audit
from wel.models import Membership, NationalRole, Role, User

from .models import ApiClient

EMAIL_DOMAIN = "api.wel.invalid"  # never a real mailbox: no login, no password reset mail


@dataclass(frozen=True)
class Credentials:
    client: ApiClient
    client_id: str
    client_secret: str


def _check_scopes(scopes: list[str]) -> list[str]:
    known = settings.OAUTH2_PROVIDER["SCOPES"]
    unknown = [s for s in scopes if s not in known]
    if not scopes or unknown:
        raise ValidationError(
            _("Give one or more scopes of: %(known)s (unknown: %(unknown)s).")
            % {"known": ", ".join(known), "unknown": ", ".join(unknown) or "-"},
            code="scopes",
        )
    return sorted(set(scopes))


def _new_application(*, name: str, user: User) -> tuple[Application, str]:
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name[:255],
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed on save
        hash_client_secret=True,
        redirect_uris="",
    )
    return application, secret


@transaction.atomic
def client_create(
    *,
    name: str,
    scopes: list[str],
    region_code: str = "",
    gemeente_codes: list[str] = (),
    role: str = Role.LPA,
    national_role: str = "",
    by=None,
) -> Credentials:
    """A client bound to one organisation and role: a region (as an LPA of ``gemeente_codes``,
    the whole region when none, or as kartrekker) or the landelijk team. Raises
    ``ValidationError`` for an unknown region, gemeente, role or scope."""
    scopes = _check_scopes(list(scopes))
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the client a name."), code="name")
    if bool(region_code) == bool(national_role):
        raise ValidationError(
            _("Give either a region (--region) or a national role (--national)."), code="scope"
        )
    if national_role and national_role != NationalRole.LANDELIJK_TEAM:
        raise ValidationError(_("The only national role for a client is landelijk_team."))
    if role not in Role.values:
        raise ValidationError(_("The role is lpa or kartrekker."), code="role")
    region = gemeenten = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValidationError(_("There is no region %(code)s.") % {"code": region_code})
        gemeenten = list(region.gemeenten.filter(cbs_code__in=list(gemeente_codes)))
        missing = sorted(set(gemeente_codes) - {g.cbs_code for g in gemeenten})
        if missing:
            raise ValidationError(
                _("Not a municipality of %(region)s: %(codes)s.")
                % {"region": region.code, "codes": ", ".join(missing)}
            )
    user = User(
        email=f"api-{secrets.token_hex(6)}@{EMAIL_DOMAIN}",
        full_name=f"API: {name}"[:150],
        national_role=national_role,
        wants_digest=False,
    )
    user.set_unusable_password()
    user.save()
    if region is not None:
        membership = Membership.objects.create(user=user, region=region, role=role)
        if gemeenten:
            membership.gemeenten.set(gemeenten)
    application, secret = _new_application(name=name, user=user)
    client = ApiClient.objects.create(
        name=name, user=user, application=application, scopes=" ".join(scopes)
    )
    audit.record(
        audit.events.USER_CREATED,
        user=by,
        user_label="" if by else "manage.py api_client",
        obj=user,
        detail={"api_client": client.pk, "scopes": scopes, "region": region_code},
    )
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)


def _tokens_revoke(application: Application) -> None:
    RefreshToken.objects.filter(application=application).delete()
    AccessToken.objects.filter(application=application).delete()


@transaction.atomic
def client_rotate(*, client: ApiClient, by=None) -> Credentials:
    """A new secret; the old one and every token given out with it stop working at once."""
    if not client.is_active:
        raise ValidationError(_("This client has been revoked."), code="revoked")
    application = client.application
    secret = generate_client_secret()
    application.client_secret = secret
    application.save()
    _tokens_revoke(application)
    client.rotated_at = timezone.now()
    client.save(update_fields=["rotated_at"])
    audit.record(
        audit.events.USER_UPDATED,
        user=by,
        user_label="" if by else "manage.py api_client",
        obj=client.user,
        detail={"api_client": client.pk, "secret": "renewed"},
    )
    return Credentials(client=client, client_id=application.client_id, client_secret=secret)


@transaction.atomic
def client_revoke(*, client: ApiClient, by=None) -> ApiClient:
    """The client can no longer get or use a token; its service account is deactivated (its
    audit trail stays)."""
    if client.application is not None:
        _tokens_revoke(client.application)
        client.application.delete()
    client.application = None
    client.revoked_at = timezone.now()
    client.save(update_fields=["application", "revoked_at"])
    User.objects.filter(pk=client.user_id).update(is_active=False)
    audit.record(
        audit.events.USER_UPDATED,
        user=by,
        user_label="" if by else "manage.py api_client",
        obj=client.user,
        detail={"api_client": client.pk, "revoked": True},
    )
    return client
