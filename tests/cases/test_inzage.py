"""Inzage (AVG art. 15): one export of everything held about one jeugdige, PDF and JSON, only
for users who may see the case, audited."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import inzage, services
from cases.models import Betrokkene, ContactMoment, Jeugdige
from tests.cases.factories import make_jeugdige
from tests.interviews.factories import (
    BeraadFactory,
    InterviewFactory,
    NextStepFactory,
    ObstacleFactory,
)
from wel.models import AuditEvent


@pytest.fixture
def full_case(world):
    j = make_jeugdige(world, given_name="Fenna", family_name="Bakker", bsn="111222333")
    by = world.user("kartrekker_a")
    services.betrokkene_add(
        jeugdige=j,
        data={"kind": Betrokkene.Kind.OUDER_VERZORGER, "name": "Marieke Bakker", "role": "moeder"},
        by=by,
    )
    services.contact_add(
        jeugdige=j,
        date=j.created_at.date(),
        kind=ContactMoment.Kind.HUISBEZOEK,
        summary="Huisbezoek bij Fenna thuis.",
        by=by,
    )
    interview = InterviewFactory(jeugdige=j, interviewer=world.user("lpa_a"))
    NextStepFactory(interview=interview, description="Bellen met de zorgboerderij")
    ObstacleFactory(region=world.region_a, jeugdige=j, description="Geen vervoer naar de boerderij")
    beraad = BeraadFactory(region=world.region_a)
    beraad.jeugdigen.add(j)
    return Jeugdige.objects.get(pk=j.pk)


def test_every_relation_to_the_case_is_in_the_export(full_case):
    data = inzage.inzage_collect(jeugdige=full_case)
    keys = {s["key"] for s in data["sections"]}
    expected = {
        rel.get_accessor_name()
        for rel in Jeugdige._meta.related_objects
        if rel.related_model is not Jeugdige.history.model
    }
    assert keys == expected
    by_key = {s["key"]: s for s in data["sections"]}
    assert by_key["interviews"]["records"][0]["children"][0]["records"][0]["label"] == (
        "Bellen met de zorgboerderij"
    )
    assert by_key["morele_beraden"]["records"]
    case = {f["name"]: f["value"] for f in data["case"]}
    assert case["bsn"] == "111222333" and case["given_name"] == "Fenna"
    assert data["history"] and data["access_log"] is not None


def test_json_and_pdf_hold_the_data(client_for, full_case):
    client = client_for("lpa_a")
    response = client.get(reverse("cases:inzage_json", args=[full_case.reference]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'inzage-{full_case.reference}.json"')
    assert "no-store" in response["Cache-Control"]
    payload = json.loads(response.content)
    assert payload["reference"] == full_case.reference
    text = json.dumps(payload, ensure_ascii=False)
    for expected in (
        "Marieke Bakker",
        "Huisbezoek bij Fenna thuis.",
        "Geen vervoer naar de boerderij",
    ):
        assert expected in text

    response = client.get(reverse("cases:inzage_pdf", args=[full_case.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("Fenna", "Marieke Bakker", "Bellen met de zorgboerderij", "111222333"):
        assert expected in pdf_text
    assert "Inzage" in pdf_text or "inzage" in pdf_text  # the Dutch introduction


def test_downloads_are_audited_as_exports(client_for, full_case):
    client = client_for("kartrekker_a")
    for name in ("cases:inzage_pdf", "cases:inzage_json"):
        client.get(reverse(name, args=[full_case.reference]))
    events = AuditEvent.objects.filter(
        jeugdige_id=full_case.pk, action=AuditEvent.Action.EXPORT
    ).order_by("pk")
    assert [(e.event_type, e.detail) for e in events] == [
        ("inzage.exported", {"format": "pdf"}),
        ("inzage.exported", {"format": "json"}),
    ]


@pytest.mark.parametrize(
    ("persona", "status"), [("lpa_b", 404), ("landelijk", 403), ("beheerder", 403)]
)
def test_only_who_may_see_the_case_gets_it(client_for, full_case, persona, status):
    for name in ("cases:inzage", "cases:inzage_pdf", "cases:inzage_json"):
        response = client_for(persona).get(reverse(name, args=[full_case.reference]))
        assert response.status_code == status
    assert not AuditEvent.objects.filter(
        jeugdige_id=full_case.pk, action=AuditEvent.Action.EXPORT
    ).exists()
