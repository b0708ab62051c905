"""Login, password reset, second factor and session views (thin: forms and wel services)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import ratelimit
from . import second_factor as sf
from .accounts import password_reset_completed
from .audit import client_address
from .forms import (
    SecondFactorTokenForm,
    TotpEnrolForm,
    WelAuthenticationForm,
    WelPasswordResetForm,
    add_service_errors,
)
from .middleware import second_factor_not_required, seconds_left, touch

PENDING_TOTP_KEY = "wel_pending_totp_key"
NEW_RECOVERY_CODES = "wel_new_recovery_codes"


# -- login and password reset ---------------------------------------------------------------
class LoginView(auth_views.LoginView):
    form_class = WelAuthenticationForm

    def get_context_data(self, **kwargs):
        # The organisations whose accounts can sign in (oidc/); the password form stays.
        from oidc.services import login_providers

        return {**super().get_context_data(**kwargs), "oidc_providers": login_providers()}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per client (wel/ratelimit.py), so the
    form can be used neither to flood a mailbox nor to probe many addresses."""

    form_class = WelPasswordResetForm

    def form_valid(self, form):
        window = settings.WEL_PASSWORD_RESET_WINDOW_MINUTES * 60
        per_client = ratelimit.hit(
            scope="password-reset-client",
            key=client_address(self.request) or "unknown",
            limit=settings.WEL_PASSWORD_RESET_PER_CLIENT,
            window_seconds=window,
        )
        per_address = ratelimit.hit(
            scope="password-reset-address",
            key=form.cleaned_data["email"],
            limit=settings.WEL_PASSWORD_RESET_PER_ADDRESS,
            window_seconds=window,
        )
        if not (per_client and per_address):
            form.add_error(
                None,
                _(
                    "Too many password reset requests. Check your mailbox (and spam folder) for "
                    "the e-mail we sent, or try again in %(minutes)d minutes."
                )
                % {"minutes": settings.WEL_PASSWORD_RESET_WINDOW_MINUTES},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's confirm view; a completed reset also lifts the login lockout (the lockout
    page advises exactly this)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_completed(user=form.user, request=self.request)
        return response


@second_factor_not_required
def logout_view(request, *args, **kwargs):
    # After a sign-in through an organisation's provider: WEL's session ends here, and the
    # page offers to end the provider's session too (oidc.services.provider_logout).
    from oidc.services import provider_logout

    at_provider = provider_logout(request) if request.method == "POST" else None
    response = auth_views.LogoutView.as_view()(request, *args, **kwargs)
    if at_provider is not None and response.status_code == 302:
        return render(request, "registration/logged_out.html", {"at_provider": at_provider})
    return response


# -- second factor ------------------------------------------------------------------------------
def _next_url(request, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _must_verify_first(request) -> bool:
    """Adding a device needs a verified session once a device exists: otherwise a stolen
    password would be enough to add the thief's own authenticator."""
    return not request.user.is_verified() and sf.has_second_factor(request.user)


def _verify_redirect(request):
    return redirect_to_login(request.get_full_path(), reverse("second_factor_verify"), "next")


@never_cache
@second_factor_not_required
@require_GET
def second_factor(request):
    """Overview and enrolment: the user's authenticator apps, passkeys and recovery codes."""
    if _must_verify_first(request):
        return _verify_redirect(request)
    user = request.user
    context = {
        "required": sf.requires_second_factor(user),
        "verified": user.is_verified(),
        "totp_devices": TOTPDevice.objects.filter(user=user, confirmed=True),
        "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
        "recovery_codes_left": sf.recovery_codes_left(user),
        "has_recovery_codes": StaticDevice.objects.filter(user=user).exists(),
        "next": _next_url(request),
    }
    return render(request, "wel/second_factor.html", context)


@never_cache
@second_factor_not_required
def second_factor_totp(request):
    """Add an authenticator app: a QR code (and the secret to type), then one code from it."""
    if _must_verify_first(request):
        return _verify_redirect(request)
    key = request.session.get(PENDING_TOTP_KEY)
    if not key:
        key = sf.new_totp_key()
        request.session[PENDING_TOTP_KEY] = key
    form = TotpEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sf.totp_enrol(
                user=request.user, key_hex=key, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            del request.session[PENDING_TOTP_KEY]
            messages.success(request, _("Your authenticator app is set up."))
            if not sf.recovery_codes_left(request.user):
                request.session[NEW_RECOVERY_CODES] = sf.recovery_codes_renew(
                    user=request.user, request=request
                )
                return redirect("second_factor_recovery_codes")
            return redirect("second_factor")
    config_url = sf.totp_config_url(user=request.user, key_hex=key)
    context = {
        "form": form,
        "qr_data_uri": segno.make(config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": sf.totp_secret_for_display(key),
    }
    return render(request, "wel/second_factor_totp.html", context)


@never_cache
def second_factor_recovery_codes(request):
    """GET: new codes once, right after they were made; POST: replace all codes by new ones."""
    if _must_verify_first(request):
        return _verify_redirect(request)
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = sf.recovery_codes_renew(
            user=request.user, request=request
        )
        return redirect("second_factor_recovery_codes")
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    context = {"codes": codes, "left": sf.recovery_codes_left(request.user)}
    return render(request, "wel/second_factor_recovery_codes.html", context)


@never_cache
@second_factor_not_required
def second_factor_verify(request):
    """The second step of the login: a code, a recovery code, or a passkey."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not sf.has_second_factor(user):
        return redirect_to_login(_next_url(request), reverse("second_factor"), "next")
    form = SecondFactorTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = sf.throttled_seconds(user)
        if wait:
            form.add_error(
                "token",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and try again.",
                    "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                    wait,
                )
                % {"seconds": wait},
            )
            status = 429
        elif sf.second_factor_verify(user=user, token=form.cleaned_data["token"], request=request):
            left = sf.recovery_codes_left(user)
            if left <= 3 and StaticDevice.objects.filter(user=user).exists():
                messages.warning(
                    request,
                    ngettext(
                        "You have %(count)d recovery code left. Make new ones under "
                        "“Second factor”.",
                        "You have %(count)d recovery codes left. Make new ones under "
                        "“Second factor”.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(_next_url(request))
        else:
            form.add_error(
                "token",
                _(
                    "That code is not right. Type the six digits your app shows now, or a "
                    "recovery code you have not used before."
                ),
            )
    context = {
        "form": form,
        "next": _next_url(request),
        "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
    }
    return render(request, "wel/second_factor_verify.html", context, status=status)


# -- session warning -----------------------------------------------------------------------------
@never_cache
@second_factor_not_required
@require_GET
def session_status(request):
    """For the warning script: seconds left. Not counted as activity (wel.middleware)."""
    return JsonResponse({"seconds_left": seconds_left(request.session)})


@never_cache
@second_factor_not_required
@require_POST
def session_keepalive(request):
    """ "Stay logged in": counts as activity now."""
    touch(request.session)
    return JsonResponse({"seconds_left": seconds_left(request.session)})
