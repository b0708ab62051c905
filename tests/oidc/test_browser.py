"""Signing in with the organisation's account, end to end in a real browser against a real
OpenID provider (tests/oidc/provider.mjs): login, linking, claims mapping, the provider's
second factor, logout at the provider, and the refusals (wrong audience, expired token,
unknown issuer, replayed state, unverified e-mail, no account)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from oidc.models import GroupMapping, Identity, Provider
from tests.factories import UserFactory
from wel.models import AuditEvent, Membership, Role

from .conftest import CALLBACK_PATH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.second_factor_real,
]


@pytest.fixture
def providers(world, oidc_provider):
    gemeente = Provider.objects.create(
        slug="gemeente-emmen",
        name="Gemeente Emmen",
        issuer=oidc_provider.issuer,
        client_id="wel-gemeente",
        client_secret="wel-gemeente-secret",
        scopes="openid email profile groups",
        allowed_domains="gemeente.example",
        mfa_amr_values="mfa",
        order=1,
    )
    lpa = GroupMapping.objects.create(
        provider=gemeente, group="wel-lpa-noord", region=world.region_a, role=Role.LPA
    )
    lpa.gemeenten.set([world.emmen])
    swv = Provider.objects.create(
        slug="swv-noord",
        name="Samenwerkingsverband Noord",
        issuer=oidc_provider.issuer,
        client_id="wel-swv",
        client_secret="env:WEL_TEST_SWV_SECRET",
        scopes="openid email profile groups",
        create_users=True,
        mfa_acr_values="urn:wel:test:mfa",
        order=2,
    )
    GroupMapping.objects.create(
        provider=swv, group="wel-kartrekker-noord", region=world.region_a, role=Role.KARTREKKER
    )
    return {"gemeente": gemeente, "swv": swv}


@pytest.fixture(autouse=True)
def _swv_secret(monkeypatch):
    monkeypatch.setenv("WEL_TEST_SWV_SECRET", "wel-swv-secret")


@pytest.fixture
def anna(world):
    return UserFactory(email="anna.oidc@gemeente.example", full_name="Anna Gemeente")


def sign_in(page, live_server, *, organisation: str, login: str, mfa: bool):
    """From WEL's login page through the provider's own login form and back."""
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name=f"Sign in with {organisation}").click()
    page.wait_for_selector("#login")
    page.fill("#login", login)
    if mfa:
        page.check("#mfa")
    page.click("#submit")
    # Through the provider's redirects back to WEL (the provider is 127.0.0.1, WEL localhost).
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    page.wait_for_load_state()
    return page


def log_out(page):
    page.locator(".user-menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def events(code: str):
    return list(AuditEvent.objects.filter(event_type=code).order_by("pk"))


def test_sign_in_with_the_providers_second_factor(page, live_server, providers, anna, world):
    sign_in(page, live_server, organisation="Gemeente Emmen", login="anna", mfa=True)
    # Linked by the verified e-mail, the LPA membership from the group, the provider's MFA
    # honoured: straight to the start page, no WEL second factor asked.
    assert page.url.rstrip("/") == live_server.url
    identity = Identity.objects.get(provider=providers["gemeente"])
    assert identity.user == anna and identity.subject == "anna"
    membership = Membership.objects.get(user=anna)
    assert (membership.region, membership.role) == (world.region_a, Role.LPA)
    assert list(membership.gemeenten.all()) == [world.emmen]
    page.goto(f"{live_server.url}{reverse('cases:list')}")
    assert "/account/" not in page.url

    login = events("login.succeeded")[-1]
    assert login.user == anna
    assert login.detail == {"method": "oidc", "provider": "gemeente-emmen"}
    verified = events("second_factor.verified")[-1]
    assert verified.detail == {"device": "provider", "provider": "gemeente-emmen", "amr": ["mfa"]}
    assert events("oidc.identity_linked")[-1].detail["provider"] == "gemeente-emmen"
    assert events("membership.created")[-1].detail["via"] == "oidc"

    # Logout ends WEL's session and offers the provider's end-session.
    log_out(page)
    expect(page.get_by_text("You have been logged out")).to_be_visible()
    link = page.locator("#provider-logout")
    assert link.get_attribute("href").startswith(f"{providers['gemeente'].issuer}/session/end?")
    link.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    page.goto(f"{live_server.url}{reverse('cases:list')}")  # WEL's session ended
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    # The provider's session is gone too: the next sign-in asks for the user again.
    page.get_by_role("link", name="Sign in with Gemeente Emmen").click()
    page.wait_for_selector("#login")


def test_without_the_providers_mfa_wel_asks_its_own(page, live_server, providers, anna):
    sign_in(page, live_server, organisation="Gemeente Emmen", login="anna", mfa=False)
    # An LPA needs a second factor; the provider reported only a password: WEL's enrolment.
    assert reverse("second_factor") in page.url
    assert not events("second_factor.verified")
    assert events("login.succeeded")[-1].user == anna


def test_acr_counts_for_the_provider_that_trusts_it(page, live_server, providers, world):
    # dirk has no account: the swv provider may create one; his group makes him kartrekker,
    # and this provider trusts the acr value of its MFA.
    sign_in(page, live_server, organisation="Samenwerkingsverband Noord", login="dirk", mfa=True)
    assert page.url.rstrip("/") == live_server.url
    membership = Membership.objects.get(user__email="dirk.oidc@swv.example")
    assert membership.role == Role.KARTREKKER
    assert events("second_factor.verified")[-1].detail["acr"] == "urn:wel:test:mfa"
    assert events("user.created")[-1].detail == {"via": "oidc", "provider": "swv-noord"}


def test_account_without_a_role_sees_a_clear_page(page, live_server, providers):
    sign_in(page, live_server, organisation="Samenwerkingsverband Noord", login="carla", mfa=True)
    assert reverse("oidc_no_role") in page.url
    expect(page.get_by_role("heading", name="No role in WEL yet")).to_be_visible()
    expect(page.get_by_text("carla.oidc@swv.example")).to_be_visible()


def test_no_account_is_refused_with_what_to_do(page, live_server, providers):
    # carla's address is verified, but the gemeente's provider creates no accounts (and her
    # domain is not the gemeente's): no login.
    sign_in(page, live_server, organisation="Gemeente Emmen", login="carla", mfa=True)
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    expect(page.get_by_text("cannot sign you in with that e-mail address")).to_be_visible()
    assert events("login.failed")[-1].detail["reason"] == "domain"
    assert not Identity.objects.exists()


def test_unverified_email_never_links(page, live_server, providers, world):
    bert = UserFactory(email="bert.oidc@gemeente.example")
    sign_in(page, live_server, organisation="Gemeente Emmen", login="bert", mfa=True)
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    expect(page.get_by_text("did not confirm your e-mail address")).to_be_visible()
    assert not Identity.objects.filter(user=bert).exists()
    failed = events("login.failed")[-1]
    assert failed.detail == {"method": "oidc", "provider": "gemeente-emmen", "reason": "unverified"}
    assert not events("login.succeeded")


@pytest.mark.parametrize(
    ("tamper", "reason", "message"),
    [
        ({"aud": "another-application"}, "audience", "meant for another application"),
        ({"exp_offset": -3600}, "expired", "had already expired"),
        ({"iss": "http://127.0.0.1:9/unknown"}, "issuer", "does not know for this organisation"),
    ],
    ids=["wrong-audience", "expired", "unknown-issuer"],
)
def test_signed_but_wrong_tokens_are_refused(
    page, live_server, providers, anna, oidc_provider, tamper, reason, message
):
    oidc_provider.tamper(**tamper)
    try:
        sign_in(page, live_server, organisation="Gemeente Emmen", login="anna", mfa=True)
    finally:
        oidc_provider.tamper()
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    expect(page.get_by_text(message)).to_be_visible()
    assert events("login.failed")[-1].detail["reason"] == reason
    assert not events("login.succeeded")
    assert not Identity.objects.exists()


def test_a_replayed_state_is_refused(page, live_server, providers, anna):
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if CALLBACK_PATH in r.url else None)
    sign_in(page, live_server, organisation="Gemeente Emmen", login="anna", mfa=True)
    assert page.url.rstrip("/") == live_server.url
    assert len(callbacks) == 1
    log_out(page)
    page.goto(callbacks[0])  # the same code and state again
    assert page.url.startswith(f"{live_server.url}{reverse('login')}")
    expect(page.get_by_text("already used or has expired")).to_be_visible()
    assert events("login.failed")[-1].detail["reason"] == "state"
    assert len(events("login.succeeded")) == 1
