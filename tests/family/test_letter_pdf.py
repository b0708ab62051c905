"""The family invitation as a PDF letter on the gemeente's letterhead (issue 21 §6): who
invites and how to reach them, the link and its QR code, never the code; and the e-mail's
sender and reply-to per region."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.cases.factories import make_jeugdige
from tests.documents.helpers import pdf_text
from tests.family.helpers import invite
from wel import audit
from wel.models import AuditEvent


@pytest.fixture
def case(world):
    world.emmen.letter_address = "Raadhuisplein 1"
    world.emmen.letter_postcode = "7811 AP"
    world.emmen.letter_city = "Emmen"
    world.emmen.save()
    lpa = world.user("lpa_a")
    lpa.phone = "06 12345678"
    lpa.save()
    return make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")


def _pdf(client, case, token):
    from family.models import Invitation

    invitation = Invitation.objects.latest("pk")
    url = reverse("family:letter_pdf", args=[case.reference, invitation.pk])
    return client.post(url, {"token": token})


@pytest.mark.parametrize(
    ("audience", "wording", "not_wording"),
    [
        ("parent", "voordat we praten over Fenna", None),
        ("young_person", "voordat we met je praten", "over Fenna"),
    ],
)
def test_the_invitation_letter_names_who_invites_and_how_to_reach_them(
    world, client_for, case, audience, wording, not_wording
):
    if audience == "young_person":
        case.date_of_birth = case.date_of_birth.replace(year=case.date_of_birth.year - 6)
        case.save()
    client = client_for("lpa_a")
    token, code = invite(client, case, audience=audience, recipient_name="Marieke")
    response = _pdf(client, case, token)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = re.sub(r"\s+", " ", pdf_text(response.content))
    expected = ["Gemeente Emmen", "Raadhuisplein 1", "7811 AP Emmen", "Lotte LPA-A"]
    expected += ["leerplichtambtenaar", "06 12345678", "lpa.a@wel.test", "Beste Marieke"]
    for line in expected:
        assert line in text, line
    assert token in text.replace(" ", "")  # the link (it may wrap)
    assert code not in text  # the code goes by another channel
    assert wording in text
    if not_wording:
        assert not_wording not in text
    assert AuditEvent.objects.filter(
        event_type=audit.events.LETTER_PRINTED.code, jeugdige_id=case.pk
    ).exists()


def test_without_the_invitations_own_token_there_is_no_letter(world, client_for, case):
    client = client_for("lpa_a")
    token, _code = invite(client, case)
    assert _pdf(client, case, "A" * 43).status_code == 404
    assert _pdf(client, case, "").status_code == 404
    assert _pdf(client_for("lpa_b"), case, token).status_code == 404
    assert _pdf(client_for("landelijk"), case, token).status_code == 403
    assert client.get(reverse("family:letter_pdf", args=[case.reference, 1])).status_code == 405


def test_the_region_sets_the_reply_address(
    world, client_for, case, django_capture_on_commit_callbacks
):
    world.region_a.email_from = "leerplicht@emmen.nl"
    world.region_a.email_reply_to = "team-leerplicht@emmen.nl"
    world.region_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("lpa_a"), case, delivery="email", email="ouder@example.org")
    message = mail.outbox[-1]
    assert "leerplicht@emmen.nl" in message.from_email
    assert message.reply_to == ["team-leerplicht@emmen.nl"]
    assert "06 12345678" in message.body  # how to reach the sender
