"""Typed audit events (issue 18 §5): every line of the log is a registered type, written by one
function, with old and new values only where they identify nobody; the viewers and the CSV show
the type's Dutch label."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from cases import services as case_services
from cases.models import Grondslag, Status
from tests.cases.factories import make_jeugdige
from wel import audit, audit_events
from wel.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
APPS = ("wel", "regions", "cases", "interviews", "family", "reports")


# -- the registry ---------------------------------------------------------------------------
def test_every_registered_type_has_a_dutch_label():
    catalogue = trans_real.translation("nl")._catalog
    assert len(audit_events.REGISTRY) >= 60
    for code, event_type in audit_events.REGISTRY.items():
        msgid = event_type.label._args[0]
        assert msgid in catalogue, f"{code}: no Dutch for {msgid!r} (locale/nl)"
        with translation.override("nl"):
            dutch = str(event_type.label)
        assert dutch and dutch != msgid, code


def test_every_type_names_a_nen7513_action_and_real_models():
    for code, event_type in audit_events.REGISTRY.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code), code
        assert event_type.action in AuditEvent.Action.values, code
        for label in (event_type.object_kind, event_type.changes_of):
            if label:
                apps.get_model(label)  # raises LookupError for a model that does not exist


def test_record_refuses_an_unregistered_type(world):
    made_up = audit_events.EventType(
        code="jeugdige.viewed",
        action=AuditEvent.Action.VIEW,
        object_kind="cases.jeugdige",
        label=audit_events.JEUGDIGE_VIEWED.label,
    )
    user = world.user("lpa_a")
    for event in (made_up, "jeugdige.viewed", "case file", None):
        with pytest.raises(audit.UnregisteredEventType):
            audit.record(event, user=user)
    # The free-text style of before is no longer a way in.
    with pytest.raises(TypeError):
        audit.record(action=AuditEvent.Action.VIEW, user=user, data="dossier")
    assert not AuditEvent.objects.exists()


def test_record_refuses_an_object_of_another_kind(world):
    with pytest.raises(ValueError, match="cases.jeugdige"):
        audit.record(audit.events.JEUGDIGE_VIEWED, user=world.user("lpa_a"), obj=world.region_a)
    assert not AuditEvent.objects.exists()


def _record_calls():
    """Every call of ``audit.record`` / ``audit.shown`` (and ``record`` inside wel/audit.py)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("record", "shown")
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "audit"
                ) or (
                    path.name == "audit.py" and isinstance(func, ast.Name) and func.id == "record"
                ):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def test_no_call_site_describes_an_event_in_free_text():
    calls = list(_record_calls())
    assert len(calls) >= 60, "the scan found too few call sites: is it still looking?"
    for where, node in calls:
        keywords = {k.arg for k in node.keywords}
        assert not keywords & {"data", "action"}, f"{where}: free text or a bare action"
        if getattr(node.func, "attr", "record") == "shown":
            continue
        assert node.args, f"{where}: no event type"
        kind = node.args[0]
        assert not isinstance(kind, ast.Constant | ast.JoinedStr | ast.BinOp), where


# -- old and new values ----------------------------------------------------------------------
def test_a_status_change_carries_its_old_and_new_value(world):
    jeugdige = make_jeugdige(world)
    case_services.jeugdige_transition(jeugdige=jeugdige, to=Status.IN_BEELD, by=world.user("lpa_a"))
    event = AuditEvent.objects.get(event_type="jeugdige.status_changed")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.jeugdige_id == jeugdige.pk
    assert event.changes == [{"field": "status", "old": "aangemeld", "new": "in_beeld"}]

    case_services.jeugdige_close(
        jeugdige=jeugdige, reason="verhuisd", by=world.user("kartrekker_a")
    )
    closed = AuditEvent.objects.get(event_type="jeugdige.closed")
    assert closed.changes == [
        {"field": "status", "old": "in_beeld", "new": "afgesloten"},
        {"field": "closing_reason", "old": "", "new": "verhuisd"},
    ]


def test_a_name_change_carries_only_the_names_of_the_fields(world):
    jeugdige = make_jeugdige(
        world, given_name="Anna", family_name="Emmen", bsn="111222333", notes="Zit thuis."
    )
    lpa = world.user("lpa_a")
    case_services.jeugdige_update(
        jeugdige=jeugdige,
        data={
            "given_name": "Annabel",
            "family_name": "Zuidema",
            "bsn": "123456782",
            "date_of_birth": dt.date(2013, 5, 6),
            "notes": "Gaat naar de zorgboerderij.",
            "grondslag": Grondslag.ABSOLUUT_VERZUIM,
            "is_focus": True,
            "assigned_lpa": lpa,
        },
        version=jeugdige.version,
        by=world.user("kartrekker_a"),
    )
    event = AuditEvent.objects.get(event_type="jeugdige.updated")
    assert event.changes == [
        {"field": "given_name"},
        {"field": "family_name"},
        {"field": "bsn"},
        {"field": "date_of_birth"},
        {"field": "notes"},
        {"field": "grondslag", "old": "vrijstelling_5a", "new": "absoluut_verzuim"},
        {"field": "is_focus", "old": False, "new": True},
        {"field": "assigned_lpa", "old": None, "new": lpa.pk, "new_label": lpa.email},
    ]
    everything = json.dumps(
        {f.name: str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields}
    )
    for personal in ("Anna", "Emmen", "Zuidema", "111222333", "123456782", "2013-05-06"):
        assert personal not in everything
    assert "zorgboerderij" not in everything and "thuis" not in everything

    created = AuditEvent.objects.get(event_type="jeugdige.created")
    assert {"field": "given_name"} in created.changes
    assert {"field": "grondslag", "old": None, "new": "vrijstelling_5a"} in created.changes
    assert "Anna" not in json.dumps(created.changes)


# -- the viewers and the CSV -----------------------------------------------------------------
def _in_dutch(client_for, world, persona):
    """A client for ``persona``, who chose Dutch (the site speaks the user's language)."""
    user = world.user(persona)
    user.language = "nl"
    user.save(update_fields=["language"])
    return client_for(persona)


def _changed_case(world):
    jeugdige = make_jeugdige(world, given_name="Anna", family_name="Emmen")
    case_services.jeugdige_transition(
        jeugdige=jeugdige, to=Status.IN_BEELD, by=world.user("kartrekker_a")
    )
    return jeugdige


def test_the_audit_log_and_its_csv_show_the_dutch_label_of_the_type(client_for, world):
    jeugdige = _changed_case(world)
    client_for("lpa_a").get(reverse("cases:detail", args=[jeugdige.reference]))
    beheerder = _in_dutch(client_for, world, "beheerder")
    viewed = "Dossier bekeken (naam, BSN, geboortedatum, gegevens)"  # jeugdige.viewed
    status = "Status gewijzigd"  # jeugdige.status_changed
    transition = "Aangemeld → In beeld"
    page = beheerder.get(reverse("audit_log")).content.decode()
    response = beheerder.get(reverse("audit_export"))
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert viewed in table and status in table and transition in table
    assert "jeugdige.viewed" not in table and "in_beeld" not in table

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert "Soort gebeurtenis (code)" in header and "Gebeurtenis" in header
    by_code = {row[header.index("Soort gebeurtenis (code)")]: row for row in rows[1:]}
    assert by_code["jeugdige.viewed"][header.index("Gebeurtenis")] == viewed
    assert by_code["jeugdige.status_changed"][header.index("Gebeurtenis")] == status
    assert transition in by_code["jeugdige.status_changed"][header.index("Details")]
    # The NEN 7513 fields stay: the action, outcome, user, role, jeugdige.
    viewed_row = by_code["jeugdige.viewed"]
    assert viewed_row[header.index("Actie")] == "inzien"
    assert viewed_row[header.index("Uitkomst")] == "geslaagd"
    assert viewed_row[header.index("Gebruiker")] == "lpa.a@wel.test"
    assert viewed_row[header.index("Jeugdige")] == jeugdige.reference


def test_the_cases_own_access_history_shows_the_dutch_label(client_for, world):
    jeugdige = _changed_case(world)
    client = _in_dutch(client_for, world, "kartrekker_a")
    body = client.get(reverse("cases:history", args=[jeugdige.reference])).content.decode()
    detail = client.get(reverse("cases:detail", args=[jeugdige.reference])).content.decode()
    for label in ("Jeugdige aangemeld", "Status gewijzigd"):  # jeugdige.created, .status_changed
        assert label in body and label in detail
    assert "Aangemeld → In beeld" in body


def test_the_audit_log_filters_by_type(client_for, world):
    jeugdige = _changed_case(world)
    client_for("lpa_a").get(reverse("cases:detail", args=[jeugdige.reference]))
    page = client_for("beheerder").get(reverse("audit_log"), {"event_type": "jeugdige.viewed"})
    assert [e.event_type for e in page.context["page"]] == ["jeugdige.viewed"]


def test_lines_written_before_types_are_shown_by_their_action_and_text(client_for, world):
    AuditEvent(action=AuditEvent.Action.VIEW, user_label="oud@wel.test", data="dossier").save()
    page = _in_dutch(client_for, world, "beheerder").get(reverse("audit_log"))
    with translation.override("nl"):
        event = next(e for e in page.context["page"] if e.user_label == "oud@wel.test")
        assert event.type_display == str(AuditEvent.Action.VIEW.label)
        assert event.data_display == "dossier: naam, BSN, geboortedatum, gegevens"
