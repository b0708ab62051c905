"""Services take plain values and an actor; one helper maps a service's refusal onto a form
(issue 18 §4). Found: four services took forms, and service errors became form errors in four
ways — the family view's assumed a dict of field errors, so a plain error became a 500."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview, MoreelBeraad, NextStep
from interviews.services import beraad_save, interview_save
from regions.models import Region, TrainingSession
from regions.services import region_save, training_default, training_session_save
from tests.cases.factories import make_jeugdige
from tests.factories import phase
from tests.family.helpers import family_client, invite
from wel.forms import add_service_errors
from wel.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
SERVICE_MODULES = [
    "wel.services",
    "wel.accounts",
    "wel.second_factor",
    "regions.services",
    "cases.services",
    "interviews.services",
    "family.services",
    "reports.services",
]


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_no_service_takes_a_form(module):
    """The kind: a service's parameters are values and an actor, never a form or formset."""
    mod = importlib.import_module(module)
    for name, function in inspect.getmembers(mod, inspect.isfunction):
        if function.__module__ != mod.__name__ or name.startswith("_"):
            continue
        for parameter in inspect.signature(function).parameters:
            assert "form" not in parameter, f"{module}.{name}({parameter}=…)"


def test_only_the_one_helper_reads_a_validation_errors_shape():
    """Views map service errors through ``wel.forms.add_service_errors`` only."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {".venv", "tests", "var", "node_modules"}:
            continue
        if path == ROOT / "wel" / "forms.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"message_dict", "error_dict"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


class _Form:
    """A form-like object: the helper needs ``fields`` and ``add_error``."""

    def __init__(self, *names):
        self.fields = dict.fromkeys(names)
        self.errors: list[tuple] = []

    def add_error(self, field, messages):
        self.errors.append((field, messages))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValidationError("Plain."), [(None, ["Plain."])]),
        (ValidationError(["One.", "Two."]), [(None, ["One.", "Two."])]),
        (ValidationError({"name": "Bad name."}), [("name", ["Bad name."])]),
        (ValidationError({"elsewhere": "Not on this form."}), [(None, ["Not on this form."])]),
        (ValidationError("Coded.", code="duplicate_bsn"), [(None, ["Coded."])]),
    ],
)
def test_the_error_map_takes_every_shape(error, expected):
    form = _Form("name")
    add_service_errors(form, error)
    assert form.errors == expected


def test_found_a_plain_error_on_the_family_page_is_a_message_not_a_500(
    world, client_for, monkeypatch
):
    jeugdige = make_jeugdige(world, given_name="Fenna")
    token, code = invite(client_for("lpa_a"), jeugdige)
    family = family_client(token, code)

    def refuse(**kwargs):
        raise ValidationError("Dit kan nu niet worden opgeslagen.")

    monkeypatch.setattr("family.services.contribution_submit", refuse)
    response = family.post(reverse("family:answer", args=[token]), {"going_well": "Goed."})
    assert response.status_code == 200
    text = response.content.decode()
    # A plain message of the family's own service is shown (a case's staff-side refusal never
    # is: tests/family), and what the family typed is still in the form.
    assert "Dit kan nu niet worden opgeslagen." in text
    assert "Goed." in text


# -- Each of the four services, called with plain values ----------------------------------------
def test_interview_save_takes_values(world):
    jeugdige = make_jeugdige(world)
    lpa = world.user("lpa_a")
    values = {
        "respondent_kind": "parent",
        "respondent_name": "Marieke",
        "held_on": timezone.localdate(),
        "interviewer": lpa,
        "consent_to_record": True,
        "view_on_situation": "Rust.",
    }
    step = {
        "description": "Bellen",
        "owner_user": lpa,
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "done": False,
    }
    interview = interview_save(jeugdige=jeugdige, data=values, next_steps=[step], by=lpa)
    assert interview.next_steps.get().description == "Bellen"
    saved_step = interview.next_steps.get()
    changed = interview_save(
        jeugdige=jeugdige,
        interview=interview,
        data={**values, "view_on_situation": "Meer rust."},
        next_steps=[{**step, "pk": saved_step.pk, "done": True}],
        by=lpa,
    )
    assert changed.view_on_situation == "Meer rust."
    assert NextStep.objects.get(pk=saved_step.pk).done_at is not None
    event = AuditEvent.objects.filter(object_id=str(interview.pk)).order_by("-id").first()
    assert {c["field"] for c in event.changes} == {"next_steps", "view_on_situation"}


def test_interview_save_refuses_without_consent_and_writes_nothing(world):
    jeugdige = make_jeugdige(world)
    lpa = world.user("lpa_a")
    with pytest.raises(ValidationError) as refused:
        interview_save(
            jeugdige=jeugdige,
            data={
                "respondent_kind": "parent",
                "held_on": timezone.localdate(),
                "interviewer": lpa,
                "consent_to_record": False,
            },
            by=lpa,
        )
    assert "consent_to_record" in refused.value.message_dict
    assert not Interview.objects.exists()


def test_beraad_save_takes_values(world):
    kartrekker = world.user("kartrekker_a")
    jeugdige = make_jeugdige(world)
    values = {
        "held_on": timezone.localdate(),
        "facilitator": "Gespreksleider",
        "method": "other",
        "method_other": "",
        "participants": "LPA, consulent",
        "case_description": "Een jongere van 12.",
        "dilemma": "Aandringen of wachten?",
        "option_a": "Aandringen.",
        "option_b": "Wachten.",
        "conclusion": "Kleine stappen.",
    }
    with pytest.raises(ValidationError) as refused:
        beraad_save(region=world.region_a, data=values, by=kartrekker)
    assert "method_other" in refused.value.message_dict
    assert not MoreelBeraad.objects.exists()
    beraad = beraad_save(
        region=world.region_a,
        data={**values, "method_other": "Eigen vorm"},
        jeugdigen=[jeugdige],
        actions=[{"description": "Terugkoppelen", "owner": "LPA", "done": False}],
        by=kartrekker,
    )
    assert list(beraad.jeugdigen.all()) == [jeugdige]
    action = beraad.actions.get()
    beraad_save(
        region=world.region_a,
        beraad=beraad,
        data=values | {"method_other": "Eigen vorm"},
        actions=[{"pk": action.pk, "delete": True}],
        by=kartrekker,
    )
    assert not beraad.actions.exists()


def test_region_save_takes_values(world):
    landelijk = world.user("landelijk")
    region = region_save(
        data={
            "code": " vo9999 ",
            "name": "Proefregio",
            "reference_prefix": "prf",
            "kind": "swv_vo",
            "phase": phase(1),
            "focus_target": 5,
            "is_active": True,
        },
        gemeenten=[world.assen],
        by=landelijk,
    )
    assert (region.code, region.reference_prefix) == ("VO9999", "PRF")
    assert list(region.gemeenten.all()) == [world.assen]
    with pytest.raises(ValidationError) as refused:
        region_save(
            data={"code": "VO9999", "name": "Tweede", "reference_prefix": "TWE", "kind": "swv_vo"},
            by=landelijk,
        )
    assert "code" in refused.value.message_dict
    assert Region.objects.filter(name="Tweede").count() == 0


def test_training_session_save_takes_values(world):
    landelijk = world.user("landelijk")
    starts = timezone.now() + dt.timedelta(days=20)
    values = {
        "training": training_default(),
        "starts_at": starts,
        "ends_at": starts - dt.timedelta(hours=1),
        "place": "Zwolle",
        "capacity": 12,
        "is_published": True,
    }
    with pytest.raises(ValidationError) as refused:
        training_session_save(data=values, by=landelijk)
    assert "ends_at" in refused.value.message_dict
    assert not TrainingSession.objects.exists()
    session = training_session_save(
        data=values | {"ends_at": starts + dt.timedelta(hours=3)}, by=landelijk
    )
    assert session.capacity == 12 and session.created_by == landelijk
