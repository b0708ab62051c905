"""Letters to the family (issue 21 §6): on the gemeente's letterhead, with the sender's name,
role, phone and e-mail, as PDF; a parent is addressed about their child, the young person
about themself; informal Dutch. The PDF's text is read back with pypdf."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from documents import letters
from tests.cases.factories import make_jeugdige
from tests.documents.helpers import pdf_text
from tests.interviews.factories import InterviewFactory, NextStepFactory
from wel import audit
from wel.models import AuditEvent

LETTERHEAD = {
    "letter_address": "Postbus 30001",
    "letter_postcode": "7800 RA",
    "letter_city": "Emmen",
    "letter_phone": "14 0591",
    "letter_email": "leerplicht@emmen.nl",
    "letter_website": "www.emmen.nl",
}


@pytest.fixture
def case(world):
    for field, value in LETTERHEAD.items():
        setattr(world.emmen, field, value)
    world.emmen.save()
    lpa = world.user("lpa_a")
    lpa.phone = "06 12345678"
    lpa.save()
    return make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _conversation(client, case, audience, name):
    return client.post(
        reverse("documents:letter_conversation", args=[case.reference]),
        {
            "audience": audience,
            "recipient_name": name,
            "date": "2027-01-12",
            "time": "14:30",
            "place": "Gemeentehuis Emmen, Raadhuisplein 1",
        },
    )


def _assert_letterhead_and_sender(text: str) -> None:
    for line in ("Gemeente Emmen", "Postbus 30001", "7800 RA Emmen", "14 0591",
                 "leerplicht@emmen.nl", "www.emmen.nl"):  # fmt: skip
        assert line in text, line
    # who sends it and how to reach them
    for line in ("Lotte LPA-A", "leerplichtambtenaar", "06 12345678", "lpa.a@wel.test"):
        assert line in text, line


def test_the_invitation_to_a_conversation_for_a_parent(world, case, client_for):
    response = _conversation(client_for("lpa_a"), case, "parent", "Marieke Bakkerveld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{case.reference}-uitnodiging-gesprek.pdf" in response["Content-Disposition"]
    text = _flat(pdf_text(response.content))
    _assert_letterhead_and_sender(text)
    assert "Beste Marieke Bakkerveld," in text
    assert "Uitnodiging voor een gesprek over Fenna" in text
    assert "met je praten over Fenna" in text  # about the child, by first name
    assert "12-01-2027 om 14:30" in text and "Raadhuisplein 1" in text
    assert "Jij bepaalt wie er nog meer bij het gesprek is" in text  # parents in the lead
    assert not re.search(r"\b[Uu]\b", text)  # informal Dutch: never "u"
    event = AuditEvent.objects.get(event_type=audit.events.LETTER_PRINTED.code)
    assert event.jeugdige_id == case.pk and event.action == AuditEvent.Action.EXPORT


def test_the_invitation_to_a_conversation_speaks_to_the_young_person(world, case, client_for):
    response = _conversation(client_for("kartrekker_a"), case, "young_person", "Fenna")
    text = _flat(pdf_text(response.content))
    assert "Uitnodiging voor een gesprek met jou" in text
    assert "hoe het met je gaat" in text and "wat jou zou helpen" in text
    assert "over Fenna" not in text  # about themself, not about "Fenna"
    assert "Beste Fenna," in text
    assert "Karel Kartrekker-A" in text and "kartrekker" in text
    assert not re.search(r"\b[Uu]\b", text)


def test_the_agreements_letter_lists_the_next_steps(world, case, client_for):
    interview = InterviewFactory(jeugdige=case, interviewer=world.user("lpa_a"))
    NextStepFactory(interview=interview, description="Bellen met de zorgboerderij", owner="Lotte")
    NextStepFactory(interview=interview, description="Vervoer aanvragen", owner="moeder")
    url = reverse("documents:letter_agreements", args=[case.reference])
    client = client_for("lpa_a")
    assert "Vervoer" not in client.get(url).content.decode()  # the form lists conversations
    parent = client.post(
        url, {"interview": interview.pk, "audience": "parent", "recipient_name": "Marieke"}
    )
    text = _flat(pdf_text(parent.content))
    _assert_letterhead_and_sender(text)
    held = interview.held_on.strftime("%d-%m-%Y")
    assert f"Op {held} hebben we gepraat over Fenna" in text
    assert "Bellen met de zorgboerderij — wie: Lotte — uiterlijk" in text
    assert "Vervoer aanvragen" in text
    young = client.post(
        url, {"interview": interview.pk, "audience": "young_person", "recipient_name": "Fenna"}
    )
    text = _flat(pdf_text(young.content))
    assert "Onze afspraken" in text and f"Op {held} hebben we samen gepraat" in text
    assert "over Fenna" not in text
    assert AuditEvent.objects.filter(event_type=audit.events.LETTER_PRINTED.code).count() == 2


def test_no_agreements_letter_without_agreements_and_not_for_another_case(world, case, client_for):
    url = reverse("documents:letter_agreements", args=[case.reference])
    client = client_for("lpa_a")
    assert "Record the next steps" in client.get(url).content.decode()
    other = make_jeugdige(world, given_name="Bas")
    step = NextStepFactory(
        interview=InterviewFactory(jeugdige=other, interviewer=world.user("lpa_a"))
    )
    response = client.post(
        url, {"interview": step.interview.pk, "audience": "parent", "recipient_name": "X"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(event_type=audit.events.LETTER_PRINTED.code).exists()


def test_a_bad_form_is_a_message_not_a_letter(world, case, client_for):
    response = client_for("lpa_a").post(
        reverse("documents:letter_conversation", args=[case.reference]),
        {"audience": "parent", "recipient_name": "", "date": "2027-02-30", "time": "25:00"},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lpa_a", 200), ("kartrekker_a", 200), ("lpa_b", 404), ("landelijk", 403),
     ("beheerder", 403)],
)  # fmt: skip
def test_letters_per_persona(world, case, client_for, persona, status):
    assert _conversation(client_for(persona), case, "parent", "X").status_code == status


def test_letterhead_leaves_out_what_is_not_filled_in(world):
    head = letters.letterhead_for(world.borger)
    assert head.gemeente.endswith("Borger-Odoorn") and head.lines == []
