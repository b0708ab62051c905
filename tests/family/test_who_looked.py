""" "Wie heeft de gegevens bekeken" (issue 22 §3): a family with a valid invitation and the code
sees which organisation and role looked at or changed their child's data, and when; no staff
names unless the organisation chooses so; the page itself is audited and in the processing log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from family import services
from tests.cases.factories import make_jeugdige
from tests.family.helpers import family_client, invite
from wel import audit
from wel.models import AuditEvent, ProcessingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    # registered by the LPA: the kartrekker has not touched it until a test says so
    return make_jeugdige(
        world, given_name="Fenna", family_name="Bakkerveld", by=world.user("lpa_a")
    )


def _looked_at(world, client_for, case) -> None:
    """The kartrekker and the LPA each open the case page."""
    for persona in ("kartrekker_a", "lpa_a"):
        assert (
            client_for(persona).get(reverse("cases:detail", args=[case.reference])).status_code
            == 200
        )


def _page(client, token, language="nl") -> str:
    response = client.get(reverse("family:who_looked", args=[token]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    return response.content.decode()


def test_the_family_sees_organisation_role_and_time_in_plain_dutch(
    world, client_for, case, settings
):
    settings.LANGUAGE_CODE = "nl"
    _looked_at(world, client_for, case)
    token, code = invite(client_for("lpa_a"), case)
    client = family_client(token, code)
    body = _page(client, token)
    assert "Wie heeft de gegevens van Fenna bekeken?" in body
    assert "regio Emmen/Borger-Odoorn" in body
    assert "Kartrekker (regelt WEL in de regio)" in body
    assert "gemeente Emmen" in body
    assert "Leerplichtambtenaar" in body
    assert "Heeft de gegevens bekeken" in body
    assert "We laten de namen van de mensen niet zien" in body
    # No staff names, no e-mail addresses.
    for person in ("Karel", "Kartrekker-A", "Lotte", "LPA-A", "@wel.test"):
        assert person not in body, person
    # The invitation made by the LPA is a change: it is shown too.
    assert "Heeft iets toegevoegd" in body


def test_staff_names_only_when_the_organisation_chooses(world, client_for, case, settings):
    settings.WEL_FAMILY_SHOW_STAFF_NAMES = True
    _looked_at(world, client_for, case)
    token, code = invite(client_for("lpa_a"), case)
    body = _page(family_client(token, code), token)
    assert "Karel Kartrekker-A" in body and "Lotte LPA-A" in body


def test_the_page_is_audited_and_in_the_processing_log(world, client_for, case):
    token, code = invite(client_for("lpa_a"), case)
    _page(family_client(token, code), token)
    event = AuditEvent.objects.get(event_type="who_looked.viewed")
    assert event.jeugdige_id == case.pk and event.user_id is None
    assert event.user_label.endswith("via uitnodiging " + str(event.detail["invitation"]))
    line = ProcessingRecord.objects.get(audit_event_id=event.pk)
    assert line.purpose == "inzage" and line.jeugdige_id == case.pk
    # The family's own actions are not listed as someone who looked.
    body = _page(family_client_again(token, code), token)
    assert "Family" not in body and "via uitnodiging" not in body


def family_client_again(token, code) -> Client:
    return family_client(token, code)


def test_another_childs_views_are_not_shown(world, client_for, case):
    other = make_jeugdige(world, given_name="Olaf")
    client_for("kartrekker_a").get(reverse("cases:detail", args=[other.reference]))
    token, code = invite(client_for("lpa_a"), case)
    body = _page(family_client(token, code), token)
    # Only the LPA's invitation on Fenna's case; the kartrekker never opened Fenna's case.
    assert "kartrekker" not in body.lower()
    assert "Olaf" not in body and other.reference not in body


def test_without_the_code_the_page_asks_for_it(world, client_for, case):
    token, _code = invite(client_for("lpa_a"), case)
    response = Client().get(reverse("family:who_looked", args=[token]))
    assert response.status_code == 302
    assert response.url == reverse("family:open", args=[token])
    assert not AuditEvent.objects.filter(event_type="who_looked.viewed").exists()


def test_a_revoked_invitation_shows_nothing(world, client_for, case):
    _looked_at(world, client_for, case)
    token, code = invite(client_for("lpa_a"), case)
    client = family_client(token, code)
    invitation = services.invitation_for_token(token)
    services.invitation_revoke(invitation=invitation, by=world.user("lpa_a"))
    response = client.get(reverse("family:who_looked", args=[token]))
    assert response.status_code == 404
    assert b"Emmen" not in response.content


def test_a_refused_view_is_not_shown_as_looking(world, client_for, case):
    # lpa_b works elsewhere: the refusal is in the audit log, but nobody looked.
    assert (
        client_for("lpa_b").get(reverse("cases:detail", args=[case.reference])).status_code == 404
    )
    token, code = invite(client_for("lpa_a"), case)
    body = _page(family_client(token, code), token)
    assert "Assen" not in body
    # the LPA registered the case and made the invitation; nothing else
    assert body.count('class="border rounded p-3 mb-2"') == 2


def test_the_answer_page_links_to_it(world, client_for, case):
    token, code = invite(client_for("lpa_a"), case)
    client = family_client(token, code)
    body = client.get(reverse("family:answer", args=[token])).content.decode()
    assert reverse("family:who_looked", args=[token]) in body


def test_the_rows_come_from_the_processing_log(world, case):
    audit.record(
        audit.events.JEUGDIGE_VIEWED, user=world.user("kartrekker_a"), obj=case, jeugdige=case
    )
    from family.who_looked import who_looked

    with translation.override("en"):
        rows = who_looked(case)
    assert [(r.organisation, r.role, r.what) for r in rows] == [
        (
            "region Emmen/Borger-Odoorn",
            "kartrekker (coordinates WEL in the region)",
            "looked at the data",
        ),
        ("municipality Emmen", "school attendance officer", "added something"),
    ]


def test_the_familys_own_visits_do_not_push_staff_out(world, client_for, case, monkeypatch):
    from family import who_looked as module

    monkeypatch.setattr(module, "LIMIT", 2)
    token, code = invite(client_for("lpa_a"), case)
    client = family_client(token, code)
    for _ in range(3):
        _page(client, token)  # each visit is a line of the family's own
    with translation.override("en"):
        rows = module.who_looked(case)
    # registration and invitation, both by the LPA; none of the family's visits
    assert [r.what for r in rows] == ["added something", "added something"]
