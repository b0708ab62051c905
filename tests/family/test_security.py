"""Refusals of the family's link (issue 13, "Done means"): expired, revoked, reused, wrong codes
until the limit, a link of another case, no staff page from the family's session, headers, and
hostile input that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Betrokkene, Jeugdige, TimelineEntry
from family.models import Contribution, Invitation
from family.views import FAMILY_SESSION_KEY
from tests.cases.factories import make_jeugdige
from tests.family.helpers import family_client, invite
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
NOT_USABLE = "This link does not work (any more)"


@pytest.fixture
def case(world):
    return make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")


@pytest.fixture
def link(client_for, case):
    return invite(client_for("lpa_a"), case)


def _refused(client, token) -> None:
    for response in (
        client.get(reverse("family:open", args=[token])),
        client.post(reverse("family:open", args=[token]), {"code": "123456"}),
        client.get(reverse("family:answer", args=[token])),
        client.post(reverse("family:answer", args=[token]), {"going_well": "x"}),
    ):
        assert response.status_code == 404, response.status_code
        body = response.content.decode()
        assert NOT_USABLE in body
        assert "Fenna" not in body and "Bakkerveld" not in body


def test_an_unknown_or_malformed_token_is_a_404_that_names_nothing(link):
    client = Client()
    for token in ("x" * 43, "short", "a" * 200, "%00abc", "🙂" * 30):
        response = client.get(f"/uitnodiging/{token}/")
        assert response.status_code in (400, 404), (token, response.status_code)
    _refused(client, "A" * 43)
    assert AuditEvent.objects.filter(
        event_type="invitation.opened", object_id="", outcome="denied"
    ).exists()


def test_an_expired_link_is_refused(link):
    token, code = link
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(Client(), token)
    assert AuditEvent.objects.filter(
        event_type="invitation.opened", detail__state="expired", outcome="denied"
    )


def test_the_link_expires_after_the_setting(link):
    invitation = Invitation.objects.get()
    days = (invitation.expires_at - invitation.created_at).total_seconds() / 86400
    assert round(days) == 14


def test_a_revoked_link_is_refused_even_mid_session(client_for, case, link):
    token, code = link
    family = family_client(token, code)
    invitation = Invitation.objects.get()
    response = client_for("lpa_a").post(
        reverse("family:revoke", args=[case.reference, invitation.pk])
    )
    assert response.status_code == 302
    _refused(family, token)
    assert not Contribution.objects.exists()
    assert AuditEvent.objects.filter(event_type="invitation.revoked").exists()


def test_another_region_cannot_revoke(client_for, case, link):
    invitation = Invitation.objects.get()
    response = client_for("lpa_b").post(
        reverse("family:revoke", args=[case.reference, invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_used_link_cannot_be_used_again(link):
    token, code = link
    family = family_client(token, code)
    family.post(reverse("family:answer", args=[token]), {"going_well": "Goed."})
    assert Contribution.objects.count() == 1
    _refused(family, token)
    _refused(Client(), token)
    assert Contribution.objects.count() == 1


def test_wrong_codes_until_the_limit_lock_the_link(link):
    token, code = link
    client = Client()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(1, 5):
        response = client.post(reverse("family:open", args=[token]), {"code": wrong})
        assert response.status_code == 200
        assert "This code is not right" in response.content.decode()
    response = client.post(reverse("family:open", args=[token]), {"code": wrong})
    assert response.status_code == 404  # the fifth: locked
    invitation = Invitation.objects.get()
    assert invitation.failed_attempts == 5 and invitation.locked_at is not None
    # Now even the right code does not open it.
    response = client.post(reverse("family:open", args=[token]), {"code": code})
    assert response.status_code == 404
    assert FAMILY_SESSION_KEY not in client.session
    failures = AuditEvent.objects.filter(event_type="invitation.code_failed", outcome="failure")
    assert failures.count() == 5
    assert failures.order_by("-pk").first().detail == {"attempt": 5, "locked": True}


def test_a_link_of_another_case_shows_nothing_of_this_one(world, client_for, case, link):
    token_a, code_a = link
    other = make_jeugdige(world, given_name="Olaf", family_name="Andersson")
    token_b, code_b = invite(client_for("kartrekker_a"), other)
    family = family_client(token_a, code_a)
    # Verified for A, the answer page of B sends to B's code page; A's code does not open B.
    response = family.get(reverse("family:answer", args=[token_b]))
    assert response.status_code == 302 and response.url == reverse("family:open", args=[token_b])
    response = family.post(reverse("family:open", args=[token_b]), {"code": code_a})
    body = response.content.decode()
    assert "Fenna" not in body and "Andersson" not in body
    # A case reference in place of a token is just an unknown link.
    _refused(Client(), case.reference + "x" * 30)


def _staff_urls(built_world, *, api: bool = False):
    """The staff pages (``api``: the API's endpoints instead, which answer a session — any
    session — with 401, as a session is no API credential)."""
    from tests.test_url_walk import ALL_NAMES, ROUTES, _url

    return [
        _url(name, ROUTES[name], built_world)
        for name in ALL_NAMES
        if not ROUTES[name].public
        and not name.startswith("otp_webauthn")
        and (ROUTES[name].anonymous == 401) == api
    ]


def test_no_staff_page_is_reachable_from_the_family_session(world, link):
    from tests.test_url_walk import BUILDERS

    for builder in BUILDERS:
        builder(world)
    token, code = link
    family = family_client(token, code)
    urls = _staff_urls(world)
    assert len(urls) > 50
    for url in urls:
        response = family.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response.url.startswith(reverse("login")), (url, response.url)
    api = _staff_urls(world, api=True)
    assert len(api) > 10
    for url in api:
        assert family.get(url).status_code == 401, url
    response = family.get("/beheer/")
    assert response.status_code == 302 and "login" in response.url
    assert not family.session.get("_auth_user_id")


def test_family_pages_carry_the_hardened_headers(link):
    token, code = link
    client = Client()
    pages = [client.get(reverse("family:open", args=[token]))]
    family_client(token, code)
    pages.append(Client().get("/uitnodiging/" + "B" * 43 + "/"))
    for response in pages:
        assert "no-store" in response["Cache-Control"]
        assert response["X-Frame-Options"] == "DENY"
        assert "default-src" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"


def _snapshot():
    return (
        Contribution.objects.count(),
        Betrokkene.objects.count(),
        TimelineEntry.objects.count(),
        list(Jeugdige.objects.values_list("consent_date", "consent_by", "version")),
        list(Invitation.objects.values_list("submitted_at", flat=True)),
    )


def test_a_refused_answer_changes_nothing(link):
    token, code = link
    family = family_client(token, code)
    before = _snapshot()
    for data in (
        {"going_well": "a\x00b"},
        {"child_needs": "x" * 100_000},
        {"attendees": ["999999"]},
        {"other_kinds": ["ouder_verzorger"]},
        {"consent": "on", "parent_needs": "\x1b[31m"},
    ):
        response = family.post(reverse("family:answer", args=[token]), data)
        assert response.status_code == 200
        assert "Thank you" not in response.content.decode()
        assert _snapshot() == before


ANSWER = st.sampled_from(["\x00", "ok", "x" * 5000, "😀\u202e", "' OR 1=1 --", "", "\x7f"])


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "going_well": ANSWER,
            "child_needs": ANSWER,
            "parent_needs": ANSWER,
            "other_text": ANSWER,
            "attendees": st.sampled_from(["-1", "abc", "1"]),
            "other_kinds": st.sampled_from(["ggd", "nope", "\x00"]),
            "consent": st.sampled_from(["on", "\x00", "x" * 2000]),
            "code": ANSWER,
        },
    )
)
def test_no_input_makes_a_500_or_a_partial_write(world, client_for, data):
    case = make_jeugdige(world)
    token, code = invite(client_for("lpa_a"), case)
    client = Client()
    response = client.post(reverse("family:open", args=[token]), {"code": data.get("code", "")})
    assert response.status_code in (200, 302, 404)
    family = family_client(token, code)
    before = _snapshot()
    response = family.post(reverse("family:answer", args=[token]), data)
    assert response.status_code == 200
    if "Thank you" not in response.content.decode():
        assert _snapshot() == before
    else:
        assert Contribution.objects.filter(jeugdige=case).count() == 1
