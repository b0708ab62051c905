"""The second factor: who needs one, enrolment, verification, recovery codes and reset.

Built on django-otp (TOTP devices and static recovery codes) and django-otp-webauthn
(passkeys, also a django-otp device), so ``request.user.is_verified()`` (django-otp's
OTPMiddleware) means "verified with any of the three" and :class:`wel.middleware.
SecondFactorMiddleware` needs no knowledge of the kinds. Why these libraries: docs/security.md.

Every enrolment, successful or failed verification and reset is an audit event (NEN 7513
asks that authentication events and changes to access means are logged).
"""

from __future__ import annotations

import binascii
import secrets
import time
from base64 import b32encode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import audit
from .access import scope_for

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The demo users of `make run` (seed_demo) share this authenticator secret; it is printed by
# `manage.py demo_logins` together with the current code. Never used outside the demo data.
DEMO_TOTP_KEY = "57454c2d64656d6f2d7365636f6e642d66616374"  # hex of "WEL-demo-second-fact"
DEMO_DEVICE_NAME = "Demo authenticator"


def requires_second_factor(user) -> bool:
    """Everyone who can see case data (LPA, kartrekker) and every beheerder needs a second
    factor; the landelijk team sees only aggregates and may enrol but need not
    (docs/security.md, "Roles and what each sees")."""
    if not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.works_in_region or scope.is_beheerder or user.is_superuser


def _enrolled(device) -> bool:
    # A linked organisation account (oidc.Identity) is a django-otp device only so that the
    # provider's own second factor can verify a session; the user did not enrol it here.
    return device._meta.label_lower != "oidc.identity"


def has_second_factor(user) -> bool:
    """True when the user has at least one confirmed device of any kind they enrolled."""
    return any(_enrolled(d) for d in devices_for_user(user, confirmed=True))


def devices(user) -> list:
    """The user's confirmed devices (authenticator apps, passkeys, recovery codes)."""
    return [d for d in devices_for_user(user, confirmed=True) if _enrolled(d)]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# -- TOTP ------------------------------------------------------------------------------------
def new_totp_key() -> str:
    """A fresh 20-byte secret as django-otp stores it (hex)."""
    return secrets.token_hex(20)


def totp_secret_for_display(key_hex: str) -> str:
    """The secret as authenticator apps accept it when typed: base32 in groups of four."""
    b32 = b32encode(binascii.unhexlify(key_hex)).decode()
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def totp_config_url(*, user, key_hex: str) -> str:
    """The otpauth:// URL the QR code carries (issuer OTP_TOTP_ISSUER, label the address)."""
    return TOTPDevice(user=user, key=key_hex).config_url


def totp_code(key_hex: str, *, at: float | None = None, offset_steps: int = 0) -> str:
    """The current six-digit code for a key (30-second steps), e.g. for the demo and tests.

    django-otp accepts each time step once per device: a second login within the same 30
    seconds needs ``offset_steps=1`` (the device tolerates one step of clock drift).
    """
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6)
    totp.time = (time.time() if at is None else at) + offset_steps * 30
    return f"{totp.token():06d}"


def _clean_token(token: str) -> str:
    return "".join(str(token or "").split()).replace("-", "").lower()


@transaction.atomic
def totp_enrol(*, user, key_hex: str, token: str, request: HttpRequest | None) -> TOTPDevice:
    """Confirm an authenticator app: ``token`` must be its current code for ``key_hex``.

    Creates the confirmed device, marks the session verified with it and audits the change.
    Raises ValidationError({"token": ...}) when the code does not match.
    """
    clean = _clean_token(token)
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6)
    if not (clean.isascii() and clean.isdigit() and len(clean) == 6) or not totp.verify(
        int(clean), tolerance=1
    ):
        raise ValidationError(
            {
                "token": _(
                    "That code does not match. Type the six digits your app shows now; "
                    "check that the time on your phone is set automatically."
                )
            }
        )
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=totp.t()
    )
    if request is not None:
        otp_login(request, device)
    audit.record(audit.events.SECOND_FACTOR_ENROLLED, request=request, user=user, obj=device)
    return device


# -- recovery codes --------------------------------------------------------------------------
@transaction.atomic
def recovery_codes_renew(*, user, request: HttpRequest | None) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones and return them.

    Each code works once (django-otp's static device deletes a code when it is used). The
    codes are shown once; only the user keeps them. Audited (not the codes).
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(
        audit.events.SECOND_FACTOR_RECOVERY_CODES_RENEWED,
        request=request,
        user=user,
        obj=device,
        detail={"count": len(codes)},
    )
    return codes


# -- verification ----------------------------------------------------------------------------
def second_factor_verify(*, user, token: str, request: HttpRequest):
    """Check a code from an authenticator app or a recovery code; on success the session is
    verified with that device and the device is returned, otherwise None. Both outcomes are
    audited. Devices throttle wrong codes themselves (django-otp: the wait doubles after each
    failure)."""
    clean = _clean_token(token)
    is_totp = clean.isascii() and clean.isdigit() and len(clean) == 6
    kinds = (TOTPDevice,) if is_totp else (StaticDevice,)
    verified = None
    for device in devices(user):
        if isinstance(device, kinds):
            verified = otp_verify_token(user, device.persistent_id, clean)
            if verified is not None:
                break
    if verified is None:
        audit.record(
            audit.events.SECOND_FACTOR_FAILED,
            request=request,
            user=user,
            outcome=audit.Outcome.FAILURE,
        )
        return None
    request.session.cycle_key()  # a new session id for the raised privilege (no fixation)
    otp_login(request, verified)
    kind = "recovery code" if isinstance(verified, StaticDevice) else "authenticator app"
    audit.record(
        audit.events.SECOND_FACTOR_VERIFIED,
        request=request,
        user=user,
        obj=verified,
        detail={"device": kind},
    )
    return verified


def throttled_seconds(user) -> int:
    """How long the user must wait before a code is checked again (0: not throttled).

    django-otp doubles the wait after each wrong code (1, 2, 4, ... seconds, at most an hour).
    """
    from django.utils import timezone
    from django_otp.models import MAX_THROTTLE_DELAY_SECONDS

    wait = 0.0
    for device in devices(user):
        if not isinstance(device, (TOTPDevice, StaticDevice)):
            continue
        allowed, _info = device.verify_is_allowed()
        if allowed:
            continue
        required = min(
            device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1),
            MAX_THROTTLE_DELAY_SECONDS,
        )
        elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
        wait = max(wait, required - elapsed)
    return int(wait) + 1 if wait > 0 else 0


# -- reset by a beheerder ----------------------------------------------------------------------
def second_factor_reset(*, user, by, request: HttpRequest | None) -> int:
    """Remove every second-factor device of ``user`` (lost phone, new laptop), so that the
    next login asks them to enrol again. Only a beheerder may do this, and never for their
    own account (a stolen beheerder password must not be enough to replace their factor).

    Raises PermissionDenied otherwise, after auditing the refusal. Audited with the number of
    records removed.
    """
    refusal = None
    if not scope_for(by).is_beheerder:
        refusal = _("Only an administrator can reset a second factor.")
    elif by.pk == user.pk:
        refusal = _("You cannot reset your own second factor. Ask another administrator.")
    if refusal is not None:
        audit.record(
            audit.events.SECOND_FACTOR_RESET,
            outcome=audit.Outcome.DENIED,
            request=request,
            user=by,
            obj=user,
        )
        raise PermissionDenied(refusal)
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            count, _details = model.objects.filter(user=user).delete()
            removed += count
        audit.record(
            audit.events.SECOND_FACTOR_RESET,
            request=request,
            user=by,
            obj=user,
            detail={"records_removed": removed},
        )
    return removed


# -- demo and tests ------------------------------------------------------------------------------
def enrol_demo_device(user) -> TOTPDevice:
    """Give a demo user the documented demo authenticator (idempotent). Demo data only."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return device


def mark_session_verified(session, device) -> None:
    """Store ``device`` as the verified second factor of a session (django-otp's key).

    For tests and tools that log in without the browser flow (``Client.force_login``)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
