"""The sign-in rules without a browser: token checks, linking, memberships from groups, the
provider's second factor, and the views' refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from oidc import services
from oidc.models import GroupMapping, Identity, Provider
from oidc.services import SignInRefused
from tests.factories import MembershipFactory, UserFactory
from wel import second_factor as sf
from wel.models import AuditEvent, Membership, Role

NOW = 1_800_000_000
SKEW = 60


@pytest.fixture
def provider(db):
    return Provider.objects.create(
        slug="gemeente",
        name="Gemeente",
        issuer="https://login.gemeente.example/tenant",
        client_id="wel",
        allowed_domains="gemeente.example, @ook.example",
        mfa_acr_values="urn:mfa",
        mfa_amr_values="mfa, hwk",
    )


def token(**overrides):
    claims = {
        "iss": "https://login.gemeente.example/tenant",
        "aud": "wel",
        "sub": "abc",
        "exp": NOW + 300,
        "iat": NOW,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


# -- ID token claims ----------------------------------------------------------------------------
def test_a_good_token_passes(provider, settings):
    settings.WEL_OIDC_CLOCK_SKEW_SECONDS = SKEW
    services.check_id_token_claims(provider=provider, payload=token(), now=NOW)
    services.check_id_token_claims(
        provider=provider, payload=token(aud=["wel", "other"], azp="wel"), now=NOW
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "https://login.gemeente.example/other"}, "issuer"),
        ({"iss": "https://login.gemeente.example/tenant/"}, "issuer"),
        ({"iss": None}, "issuer"),
        ({"aud": "other"}, "audience"),
        ({"aud": ["other"]}, "audience"),
        ({"aud": None}, "audience"),
        ({"aud": ["wel", "other"]}, "audience"),  # several audiences need azp = us
        ({"aud": ["wel", "other"], "azp": "other"}, "audience"),
        ({"exp": NOW - SKEW - 1}, "expired"),
        ({"exp": None}, "token"),
        ({"exp": "soon"}, "token"),
        ({"exp": True}, "token"),
        ({"iat": NOW + SKEW + 1}, "token"),
        ({"iat": None}, "token"),
        ({"sub": ""}, "token"),
        ({"sub": "x" * 256}, "token"),
    ],
)
def test_wrong_tokens_are_refused(provider, settings, overrides, reason):
    settings.WEL_OIDC_CLOCK_SKEW_SECONDS = SKEW
    with pytest.raises(SignInRefused) as refused:
        services.check_id_token_claims(provider=provider, payload=token(**overrides), now=NOW)
    assert refused.value.reason == reason


def test_clock_skew_boundaries(provider, settings):
    settings.WEL_OIDC_CLOCK_SKEW_SECONDS = SKEW
    services.check_id_token_claims(
        provider=provider, payload=token(exp=NOW - SKEW, iat=NOW - 600), now=NOW
    )
    services.check_id_token_claims(provider=provider, payload=token(iat=NOW + SKEW), now=NOW)


# -- which account ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "claims",
    [
        {"email": "a@gemeente.example"},
        {"email": "a@gemeente.example", "email_verified": False},
        {"email": "a@gemeente.example", "email_verified": "yes"},
        {"email": "a@gemeente.example", "email_verified": 1},
        {"email_verified": True},
        {"email": "no-address", "email_verified": True},
        {"email": ["a@gemeente.example"], "email_verified": True},
    ],
)
def test_an_address_the_provider_does_not_vouch_for_never_links(provider, claims):
    with pytest.raises(SignInRefused) as refused:
        services.vouched_address(provider=provider, claims=claims)
    assert refused.value.reason == "unverified"


def test_verified_address_normalised_and_domain_checked(provider):
    claims = {"email": " Anna@Gemeente.Example ", "email_verified": True}
    assert services.vouched_address(provider=provider, claims=claims) == "anna@gemeente.example"
    claims = {"email": "anna@ook.example", "email_verified": "true"}
    assert services.vouched_address(provider=provider, claims=claims) == "anna@ook.example"
    with pytest.raises(SignInRefused) as refused:
        services.vouched_address(
            provider=provider, claims={"email": "a@elders.example", "email_verified": True}
        )
    assert refused.value.reason == "domain"


def test_a_configured_claim_the_provider_vouches_for(provider):
    provider.link_claim = "upn"
    claims = {"upn": "Anna@gemeente.example", "email": "privé@elders.example"}
    assert services.vouched_address(provider=provider, claims=claims) == "anna@gemeente.example"


def test_first_sign_in_links_then_the_subject_decides(provider):
    anna = UserFactory(email="anna@gemeente.example")
    claims = {"sub": "s-1", "email": "anna@gemeente.example", "email_verified": True}
    identity = services.identity_for(provider=provider, claims=claims, request=None)
    assert identity.user == anna and identity.confirmed
    assert AuditEvent.objects.filter(event_type="oidc.identity_linked", user=anna).exists()
    # The address changed at the provider (even to someone else's): the link holds.
    UserFactory(email="bert@gemeente.example")
    moved = {"sub": "s-1", "email": "bert@gemeente.example", "email_verified": True}
    assert services.identity_for(provider=provider, claims=moved, request=None).user == anna
    assert Identity.objects.count() == 1


def test_no_account_without_permission_to_create(provider):
    claims = {"sub": "s-2", "email": "nieuw@gemeente.example", "email_verified": True}
    with pytest.raises(SignInRefused) as refused:
        services.identity_for(provider=provider, claims=claims, request=None)
    assert refused.value.reason == "no_account"
    assert "nieuw@gemeente.example" in refused.value.message
    provider.create_users = True
    identity = services.identity_for(provider=provider, claims=claims, request=None)
    assert identity.user.email == "nieuw@gemeente.example"
    assert not identity.user.has_usable_password()


def test_an_identity_is_not_an_enrolled_second_factor(provider):
    user = UserFactory(email="anna@gemeente.example")
    Identity.objects.create(user=user, provider=provider, subject="s", name="G", confirmed=True)
    assert not sf.has_second_factor(user)
    assert sf.devices(user) == []


# -- memberships from groups ----------------------------------------------------------------------
def test_group_mappings_grant_and_remove_what_they_govern(provider, world):
    user = UserFactory(email="anna@gemeente.example")
    MembershipFactory(user=user, region=world.region_b, role=Role.LPA)  # not governed
    emmen = GroupMapping.objects.create(
        provider=provider, group="lpa-emmen", region=world.region_a, role=Role.LPA
    )
    emmen.gemeenten.set([world.emmen])
    borger = GroupMapping.objects.create(
        provider=provider, group="lpa-borger", region=world.region_a, role=Role.LPA
    )
    borger.gemeenten.set([world.borger])
    GroupMapping.objects.create(
        provider=provider, group="kartrekkers", region=world.region_a, role=Role.KARTREKKER
    )

    def sync(groups):
        return services.memberships_sync(
            provider=provider, user=user, claims={"groups": groups}, request=None
        )

    assert sync(["lpa-emmen", "lpa-borger", "iets"]) == [f"+{world.region_a}:lpa"]
    lpa = Membership.objects.get(user=user, region=world.region_a)
    assert set(lpa.gemeenten.all()) == {world.emmen, world.borger}
    assert sync(["lpa-emmen"]) == [f"~{world.region_a}:lpa"]
    assert list(lpa.gemeenten.all()) == [world.emmen]
    assert sync(["lpa-emmen"]) == []
    # A single group as a string counts; the LPA group is gone, so that membership goes.
    assert sync("kartrekkers") == [f"-{world.region_a}:lpa", f"+{world.region_a}:kartrekker"]
    assert sync([]) == [f"-{world.region_a}:kartrekker"]
    assert set(Membership.objects.filter(user=user).values_list("region", "role")) == {
        (world.region_b.pk, Role.LPA)
    }
    assert AuditEvent.objects.filter(event_type="membership.removed", user=user).exists()


def test_without_mappings_memberships_are_left_alone(provider, world):
    user = UserFactory(email="anna@gemeente.example")
    MembershipFactory(user=user, region=world.region_a, role=Role.LPA)
    assert services.memberships_sync(provider=provider, user=user, claims={}, request=None) == []
    assert Membership.objects.filter(user=user).count() == 1


# -- the provider's second factor -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("id_claims", "expected"),
    [
        ({"acr": "urn:mfa"}, {"acr": "urn:mfa"}),
        ({"acr": "urn:pwd", "amr": ["pwd", "hwk"]}, {"amr": ["hwk"]}),
        ({"amr": ["pwd", "mfa", "hwk"]}, {"amr": ["hwk", "mfa"]}),
        ({"acr": "urn:pwd", "amr": ["pwd"]}, None),
        ({"amr": "mfa"}, None),  # amr is a list (RFC 8176); a string is not trusted
        ({"acr": ["urn:mfa"]}, None),
        ({}, None),
    ],
)
def test_the_providers_second_factor_counts_only_as_configured(provider, id_claims, expected):
    assert services.provider_second_factor(provider=provider, id_claims=id_claims) == expected


def test_nothing_counts_when_nothing_is_configured(provider):
    provider.mfa_acr_values = provider.mfa_amr_values = ""
    claims = {"acr": "urn:mfa", "amr": ["mfa"]}
    assert services.provider_second_factor(provider=provider, id_claims=claims) is None


@pytest.mark.parametrize(
    ("issuer", "ok"),
    [
        ("https://login.example/t", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://login.example/t", False),
        ("ftp://login.example", False),
    ],
)
def test_issuer_must_be_https_except_on_this_machine(provider, issuer, ok):
    from django.core.exceptions import ValidationError

    provider.issuer = issuer
    if ok:
        provider.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            provider.full_clean()
        assert "issuer" in error.value.message_dict


def test_client_secret_from_the_environment(provider, monkeypatch):
    provider.client_secret = "env:WEL_TEST_SECRET"
    monkeypatch.setenv("WEL_TEST_SECRET", "s3cret")
    assert services.client_secret(provider) == "s3cret"


# -- views ------------------------------------------------------------------------------------
def test_login_page_offers_enabled_providers(provider, client):
    Provider.objects.create(
        slug="uit", name="Uitgezet", issuer="https://x.example", client_id="x", enabled=False
    )
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Gemeente" in page
    assert reverse("oidc_start", args=["gemeente"]) in page
    assert "Uitgezet" not in page
    assert client.get(reverse("oidc_start", args=["uit"])).status_code == 404
    assert client.get(reverse("oidc_start", args=["onbekend"])).status_code == 404


def test_unreachable_provider_back_to_login_with_a_message(provider, client):
    provider.issuer = "http://127.0.0.1:9"
    provider.save()
    response = client.get(reverse("oidc_start", args=["gemeente"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "cannot reach your organisation" in response.content.decode()
    failed = AuditEvent.objects.get(event_type="login.failed")
    assert failed.detail == {"method": "oidc", "provider": "gemeente", "reason": "unreachable"}


@pytest.mark.parametrize("query", ["", "?state=nope&code=x", "?error=access_denied&state=x"])
def test_an_answer_without_our_state_is_refused(db, client, query):
    response = client.get(reverse("oidc_callback") + query, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "already used or has expired" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.get(event_type="login.failed").detail["reason"] == "state"


def test_a_state_of_a_provider_switched_off_meanwhile_is_refused(provider, client):
    session = client.session
    session["oidc_states"] = {"st": {"nonce": "n", "code_verifier": None, "wel_provider": "x"}}
    session.save()
    client.get(reverse("oidc_callback") + "?state=st&code=c")
    assert AuditEvent.objects.get(event_type="login.failed").detail["reason"] == "provider"
    assert client.session["oidc_states"] == {}  # used up


def test_an_answer_naming_another_issuer_is_refused(provider, client):
    session = client.session
    session["oidc_states"] = {"st": {"nonce": "n", "wel_provider": "gemeente"}}
    session.save()
    client.get(reverse("oidc_callback") + "?state=st&code=c&iss=https://evil.example")
    assert AuditEvent.objects.get(event_type="login.failed").detail["reason"] == "issuer"


def test_no_role_page(db, world):
    nobody = UserFactory(email="niemand@wel.test")
    client = Client()
    client.force_login(nobody)
    response = client.get(reverse("oidc_no_role"))
    assert response.status_code == 200
    assert "no role in WEL yet" in response.content.decode()
    client.force_login(world.user("lpa_a"))
    assert client.get(reverse("oidc_no_role")).status_code == 302
