"""The second factor: required before any page for case workers and beheerders, TOTP with a
QR code, recovery codes that work once, passkeys offered, and a reset only by another
beheerder, audited. These tests opt out of the conftest helper that verifies force-logged-in
sessions (``second_factor_real``)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import TEST_TOTP_KEY, enrol_test_totp
from tests.test_url_walk import ALL_NAMES, BUILDERS, ROUTES, _url
from wel.account_views import PENDING_TOTP_KEY
from wel.models import AuditEvent
from wel.second_factor import (
    recovery_codes_renew,
    requires_second_factor,
    second_factor_reset,
    totp_code,
)

pytestmark = pytest.mark.second_factor_real
PASSWORD = "correct-horse-battery"
# Reachable before the second factor: the enrolment and verify pages themselves, logout, the
# session warning's endpoints, the passkey ceremonies (which check verification themselves)
# and the pages open to anonymous visitors.
BEFORE_SECOND_FACTOR = {
    "second_factor",
    "second_factor_totp",
    "second_factor_verify",
    "logout",
    "session_status",
    "session_keepalive",
}


def password_login(user, **extra) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}, **extra
    )
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.fixture
def built_world(world):
    for builder in BUILDERS:
        builder(world)
    return world


def test_who_needs_a_second_factor(world):
    assert requires_second_factor(world.user("lpa_a"))
    assert requires_second_factor(world.user("kartrekker_a"))
    assert requires_second_factor(world.user("beheerder"))
    assert not requires_second_factor(world.user("landelijk"))


@pytest.mark.parametrize("enrolled", [False, True], ids=["not-enrolled", "enrolled"])
@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "beheerder"])
def test_no_page_is_reachable_before_the_second_factor(built_world, persona, enrolled):
    """Every named URL of the project (the URL walk's list), with a logged-in but unverified
    session: redirected to enrolment or verification, except the pages that lead there."""
    user = built_world.user(persona)
    if enrolled:
        enrol_test_totp(user)
    client = Client()
    client.force_login(user)
    target = reverse("second_factor_verify" if enrolled else "second_factor")
    for name in ALL_NAMES:
        route = ROUTES[name]
        if route.public or name in BEFORE_SECOND_FACTOR or name.startswith("otp_webauthn:"):
            continue
        url = _url(name, route, built_world)
        response = client.get(url)
        if route.anonymous == 401:  # the API: a session is no credential, verified or not
            assert response.status_code == 401, (name, response.status_code)
            continue
        assert response.status_code == 302, (name, response.status_code)
        assert response.url.startswith(target), (name, response.url)
        if route.post or route.post_data:
            response = client.post(url, route.post_data(built_world) if route.post_data else {})
            assert response.status_code == 302, (name, "POST", response.status_code)
            assert response.url.startswith(target), (name, "POST", response.url)


def test_admin_needs_the_second_factor_too(world):
    client = Client()
    client.force_login(world.user("beheerder"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor"))


def test_landelijk_team_is_not_asked(world):
    client = Client()
    client.force_login(world.user("landelijk"))
    assert client.get(reverse("home")).status_code == 200


def test_login_with_totp_reaches_the_case_list(built_world):
    user = built_world.user("lpa_a")
    enrol_test_totp(user)
    client = password_login(user)
    case_list = reverse("cases:list")
    response = client.get(case_list)
    assert response.status_code == 302
    assert response.url == f"{reverse('second_factor_verify')}?next={case_list}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Second step of the login" in page.content.decode()
    response = client.post(
        reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY), "next": case_list}
    )
    assert response.status_code == 302
    assert response.url == case_list
    assert client.get(case_list).status_code == 200
    event = AuditEvent.objects.filter(event_type="second_factor.verified")
    assert event.get().user == user


def test_a_wrong_code_is_refused_and_audited(world):
    user = world.user("lpa_a")
    enrol_test_totp(user)
    client = password_login(user)
    wrong = f"{(int(totp_code(TEST_TOTP_KEY)) + 1) % 1000000:06d}"
    response = client.post(reverse("second_factor_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_FAILED, user=user, event_type="second_factor.failed"
    ).exists()
    # django-otp throttles the device: the next attempt, even a right one, must wait.
    response = client.post(reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY)})
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()


def test_a_recovery_code_works_once(world):
    user = world.user("kartrekker_a")
    enrol_test_totp(user)
    codes = recovery_codes_renew(user=user, request=None)
    assert len(codes) == 10 and len(set(codes)) == 10

    first = password_login(user)
    response = first.post(reverse("second_factor_verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert first.get(reverse("cases:list")).status_code == 200

    second = password_login(user)
    response = second.post(reverse("second_factor_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert second.get(reverse("cases:list")).status_code == 302
    assert StaticDevice.objects.get(user=user).token_set.count() == 9


def test_enrolment_with_qr_code_then_recovery_codes(world):
    user = world.user("lpa_a")
    client = password_login(user)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("second_factor"))
    overview = client.get(response.url).content.decode()
    assert "Set up an authenticator app" in overview
    assert 'id="passkey-registration-placeholder"' in overview  # passkeys are offered
    assert "<script>" not in overview  # CSP: no inline script
    page = client.get(reverse("second_factor_totp"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    key = client.session[PENDING_TOTP_KEY]
    assert client.get(reverse("second_factor_totp")).context["secret"]  # same key on reload
    assert client.session[PENDING_TOTP_KEY] == key

    response = client.post(reverse("second_factor_totp"), {"token": "123456"})
    assert "That code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    response = client.post(reverse("second_factor_totp"), {"token": totp_code(key)})
    assert response.status_code == 302
    assert response.url == reverse("second_factor_recovery_codes")
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == key
    page = client.get(response.url).content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page)
    assert len(codes) == 10
    assert "shown only once" in page
    assert re.findall(r'<li class="col">', client.get(response.url).content.decode()) == []
    assert client.get(reverse("cases:list")).status_code == 200  # the session is verified
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, user=user, event_type="second_factor.enrolled"
    ).exists()


def test_enrolled_but_unverified_cannot_add_a_device(world):
    """A stolen password must not be enough to add the thief's own authenticator."""
    user = world.user("lpa_a")
    enrol_test_totp(user)
    client = password_login(user)
    for name in ("second_factor", "second_factor_totp", "second_factor_recovery_codes"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("second_factor_verify")), name
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403


def test_passkey_verification_is_offered_when_the_user_has_one(world):
    from django_otp_webauthn.models import WebAuthnCredential

    user = world.user("lpa_a")
    WebAuthnCredential.objects.create(
        user=user,
        name="Laptop",
        credential_id=b"test-credential",
        public_key=b"test-key",
        sign_count=0,
        confirmed=True,
    )
    client = password_login(user)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("second_factor_verify"))
    page = client.get(response.url).content.decode()
    assert 'id="passkey-verification-button"' in page
    assert "otp_webauthn_auth.js" in page


def test_a_beheerder_cannot_reset_their_own_second_factor(world):
    beheerder = world.user("beheerder")
    enrol_test_totp(beheerder)
    with pytest.raises(PermissionDenied):
        second_factor_reset(user=beheerder, by=beheerder, request=None)
    with pytest.raises(PermissionDenied):  # nor can anyone who is not a beheerder
        second_factor_reset(user=world.user("lpa_a"), by=world.user("kartrekker_a"), request=None)

    client = Client()
    client.force_login(beheerder)
    client.post(
        reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY, offset_steps=1)}
    )
    response = client.post(
        reverse("admin:wel_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [beheerder.pk]},
        follow=True,
    )
    assert "You cannot reset your own second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=beheerder).exists()
    resets = AuditEvent.objects.filter(event_type="second_factor.reset")
    assert not resets.filter(outcome=AuditEvent.Outcome.SUCCESS).exists()
    refused = resets.filter(outcome=AuditEvent.Outcome.DENIED)
    assert refused.count() == 3  # two service calls and the admin action
    assert refused.filter(outcome=AuditEvent.Outcome.DENIED, user=beheerder).count() == 2


def test_device_reset_by_another_beheerder_is_audited(world):
    lpa = world.user("lpa_a")
    enrol_test_totp(lpa)
    recovery_codes_renew(user=lpa, request=None)
    lpa_client = password_login(lpa)
    lpa_client.post(reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY)})
    assert lpa_client.get(reverse("cases:list")).status_code == 200

    beheerder = world.user("beheerder")
    enrol_test_totp(beheerder)
    admin = Client()
    admin.force_login(beheerder)
    admin.post(reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY, offset_steps=1)})
    response = admin.post(
        reverse("admin:wel_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [lpa.pk]},
        follow=True,
    )
    assert "has been reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lpa).exists()
    assert not StaticDevice.objects.filter(user=lpa).exists()
    event = AuditEvent.objects.get(event_type="second_factor.reset", outcome="success")
    assert event.user == beheerder
    assert event.object_id == str(lpa.pk)
    assert event.detail["records_removed"] >= 2
    # The LPA's open session is no longer verified: next request goes to enrolment.
    response = lpa_client.get(reverse("cases:list"))
    assert response.url.startswith(reverse("second_factor"))


@pytest.mark.parametrize("token", ["²²²²²²", "١٢٣٤٥٦", "12 34 5\x00", "x" * 40, ""])
def test_odd_codes_are_form_errors_not_500(world, token):
    user = world.user("lpa_a")
    client = password_login(user)
    response = client.post(reverse("second_factor_totp"), {"token": token})
    assert response.status_code == 200
    enrol_test_totp(user)
    response = client.post(reverse("second_factor_verify"), {"token": token})
    assert response.status_code in (200, 429)
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_user_list_shows_who_has_a_second_factor(world):
    enrol_test_totp(world.user("lpa_a"))
    beheerder = world.user("beheerder")
    enrol_test_totp(beheerder)
    client = Client()
    client.force_login(beheerder)
    client.post(reverse("second_factor_verify"), {"token": totp_code(TEST_TOTP_KEY)})
    response = client.get(reverse("admin:wel_user_changelist"))
    assert response.status_code == 200
    rows = {user.email: user._has_second_factor for user in response.context["cl"].result_list}
    assert rows["lpa.a@wel.test"] is True
    assert rows["lpa.b@wel.test"] is False


def test_second_factor_devices_are_not_in_beheer():
    """django-otp's admin pages would show a user's TOTP key to a beheerder, who could then pass
    that person's second factor: the devices are not registered in beheer at all (a beheerder
    resets them with the audited action on the user list instead)."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        assert not admin.site.is_registered(model), model
