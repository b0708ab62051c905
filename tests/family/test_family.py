"""Invitations end to end through the views: what the professional and the family each see
and write, and the refusals (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Betrokkene, Jeugdige, TimelineEntry
from cases.services import betrokkene_add
from family import services
from family.models import Contribution, Invitation
from tests.cases.factories import make_jeugdige
from tests.family.helpers import family_client, invite
from tests.interviews.factories import InterviewFactory, NextStepFactory
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")
    betrokkene_add(
        jeugdige=jeugdige,
        data={"kind": "school", "name": "Meester Jan", "organisation": "De Klimop"},
        by=world.user("lpa_a"),
    )
    return jeugdige


def test_parent_answers_and_the_lpa_sees_it_in_their_own_words(
    world, client_for, case, django_capture_on_commit_callbacks
):
    lpa = client_for("lpa_a")
    with django_capture_on_commit_callbacks(execute=True):
        token, code = invite(lpa, case, delivery="email", email="ouder@example.org")
    # The link goes by e-mail; the code never does.
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body and code not in mail.outbox[0].body
    invitation = Invitation.objects.get()
    assert invitation.token_hash == services.token_hash(token)
    assert token not in invitation.token_hash and code not in invitation.code_hash

    assert Invitation.objects.get().opened_at is None  # opening the link writes no row
    family = family_client(token, code)
    assert Invitation.objects.get().opened_at is not None  # the right code stamps it
    page = family.get(reverse("family:answer", args=[token]))
    body = page.content.decode()
    assert "Fenna" in body and "Bakkerveld" not in body and case.reference not in body
    school = Betrokkene.objects.get(jeugdige=case, kind="school")
    response = family.post(
        reverse("family:answer", args=[token]),
        {
            "going_well": "Fenna helpt graag op de boerderij.",
            "child_needs": "Rust en een vaste begeleider.",
            "parent_needs": "Eén aanspreekpunt.",
            "attendees": [school.pk],
            "other_kinds": ["ggd"],
            "other_text": "oma",
            "consent": "on",
        },
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()

    contribution = Contribution.objects.get()
    assert contribution.going_well == "Fenna helpt graag op de boerderij."
    school.refresh_from_db()
    assert school.invited_by_parents
    assert Betrokkene.objects.get(jeugdige=case, kind="ggd").invited_by_parents
    case.refresh_from_db()
    assert case.consent_date == timezone.localdate()
    assert "Familie Jansen" in case.consent_by
    assert TimelineEntry.objects.filter(jeugdige=case, kind="eigen_woorden").exists()

    detail = lpa.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "In their own words" in detail
    assert "Fenna helpt graag op de boerderij." in detail
    assert "chosen by the parents" in detail
    events = AuditEvent.objects.filter(jeugdige_id=case.pk)
    assert events.filter(event_type="invitation.opened", outcome="success").exists()
    assert events.filter(event_type="invitation.code_accepted", outcome="success").exists()
    assert events.filter(event_type="contribution.submitted", outcome="success").exists()
    # Every change the family's answer made is logged as theirs, none anonymously; the consent
    # (a date and the parent's name) by field name only.
    label = f"ouder via uitnodiging {invitation.pk}"
    consent = events.get(user_label=label, event_type="jeugdige.updated")
    assert consent.changes == [{"field": "consent_date"}, {"field": "consent_by"}]
    assert events.filter(user_label=label, event_type="betrokkenen.invited_by_parents").exists()
    assert not events.filter(user_label="", user=None).exists()


def test_the_answers_are_shown_next_to_the_interview(world, client_for, case):
    interview = InterviewFactory(
        jeugdige=case, created_by=world.user("lpa_a"), interviewer=world.user("lpa_a")
    )
    token, code = invite(client_for("lpa_a"), case, interview=interview.pk)
    family_client(token, code).post(
        reverse("family:answer", args=[token]), {"going_well": "Ze leest veel."}
    )
    page = client_for("lpa_a").get(reverse("interviews:detail", args=[interview.pk]))
    assert "Ze leest veel." in page.content.decode()


def test_young_person_only_from_the_age_setting(world, client_for, settings):
    today = timezone.localdate()
    eleven = make_jeugdige(
        world, date_of_birth=today.replace(year=today.year - 12) + dt.timedelta(1)
    )
    twelve = make_jeugdige(world, date_of_birth=today.replace(year=today.year - 12))
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[eleven.reference]),
        {
            "audience": "young_person",
            "purpose": "before",
            "recipient_name": "X",
            "delivery": "letter",
        },
    )
    assert "can be invited from age 12" in response.content.decode()
    assert not Invitation.objects.exists()
    token, code = invite(client_for("lpa_a"), twelve, audience="young_person")
    assert Invitation.objects.get().opened_at is None  # opening the link writes no row
    family = family_client(token, code)
    assert Invitation.objects.get().opened_at is not None  # the right code stamps it
    page = family.get(reverse("family:answer", args=[token])).content.decode()
    assert "What do you like doing?" in page and "What do you need as a parent?" not in page
    family.post(reverse("family:answer", args=[token]), {"likes": "Gamen en tekenen"})
    contribution = Contribution.objects.get()
    assert contribution.audience == "young_person" and contribution.likes == "Gamen en tekenen"
    assert not contribution.consent
    settings.WEL_FAMILY_YOUNG_PERSON_MIN_AGE = 14
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[twelve.reference]),
        {
            "audience": "young_person",
            "purpose": "before",
            "recipient_name": "X",
            "delivery": "letter",
        },
    )
    assert "can be invited from age 14" in response.content.decode()


def test_after_the_conversation_the_family_answers_the_shared_agreements(world, client_for, case):
    interview = InterviewFactory(
        jeugdige=case, created_by=world.user("lpa_a"), interviewer=world.user("lpa_a")
    )
    shared = NextStepFactory(interview=interview, description="Proefdag op de zorgboerderij")
    NextStepFactory(interview=interview, description="Intern: dossier bijwerken")
    token, code = invite(
        client_for("lpa_a"), case, purpose="after", interview=interview.pk, steps=[shared.pk]
    )
    assert Invitation.objects.get().opened_at is None  # opening the link writes no row
    family = family_client(token, code)
    assert Invitation.objects.get().opened_at is not None  # the right code stamps it
    page = family.get(reverse("family:answer", args=[token])).content.decode()
    assert "Proefdag op de zorgboerderij" in page and "Intern: dossier bijwerken" not in page
    step = Invitation.objects.get().shared_steps.get()
    family.post(
        reverse("family:answer", args=[token]),
        {f"agree_{step.pk}": "no", f"words_{step.pk}": "Liever eerst een middag."},
    )
    step.refresh_from_db()
    assert step.confirmed is False and step.own_words == "Liever eerst een middag."
    detail = client_for("lpa_a").get(reverse("interviews:detail", args=[interview.pk]))
    assert "Liever eerst een middag." in detail.content.decode()


def test_an_after_invitation_needs_a_conversation_and_a_step(world, client_for, case):
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[case.reference]),
        {"audience": "parent", "purpose": "after", "recipient_name": "X", "delivery": "letter"},
    )
    assert "Choose the conversation whose agreements you share." in response.content.decode()
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[case.reference]),
        {"audience": "parent", "purpose": "before", "recipient_name": "X", "delivery": "email"},
    )
    assert "Fill in the e-mail address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_cannot_edit_what_the_family_wrote(world, client_for, case):
    """No view, form or admin changes a contribution: it is theirs."""
    assert Contribution not in admin.site._registry
    assert not [n for n in _family_url_names() if "edit" in n or "update" in n]


def _family_url_names():
    from tests.test_url_walk import ALL_NAMES

    return [n for n in ALL_NAMES if n.startswith("family:")]


def test_only_workers_of_the_case_may_invite(world, client_for, case):
    assert (
        client_for("lpa_b").get(reverse("family:invite", args=[case.reference])).status_code == 404
    )
    assert (
        client_for("landelijk").get(reverse("family:invite", args=[case.reference])).status_code
        == 403
    )
    borger = make_jeugdige(world, gemeente=world.borger)
    assert (
        client_for("lpa_a").get(reverse("family:invite", args=[borger.reference])).status_code
        == 404
    )
    assert Jeugdige.objects.count() == 2


def test_the_inzage_export_holds_the_familys_words_but_no_secrets(world, client_for, case):
    from cases.inzage import inzage_json

    token, code = invite(client_for("lpa_a"), case)
    family_client(token, code).post(
        reverse("family:answer", args=[token]), {"going_well": "Ze tekent elke dag."}
    )
    invitation = Invitation.objects.get()
    export = inzage_json(jeugdige=case).decode()
    assert "Ze tekent elke dag." in export
    assert invitation.token_hash not in export and invitation.code_hash not in export


# -- issue 21: the family's words, labelled by who wrote them ------------------------------------
def _young_case(world):
    today = timezone.localdate()
    jeugdige = make_jeugdige(
        world,
        given_name="Sanne",
        family_name="Bakkerveld",
        date_of_birth=today.replace(year=today.year - 14),
    )
    betrokkene_add(
        jeugdige=jeugdige,
        data={"kind": "school", "name": "Meester Jan", "organisation": "De Klimop"},
        by=world.user("lpa_a"),
    )
    return jeugdige


def test_the_young_persons_choice_of_who_attends_is_labelled_as_theirs(world, client_for):
    """Issue 21: the young person's choice showed as "gekozen door de ouders", in the answer
    and in the timeline."""
    case = _young_case(world)
    token, code = invite(client_for("lpa_a"), case, audience="young_person")
    school = Betrokkene.objects.get(jeugdige=case, kind="school")
    response = family_client(token, code).post(
        reverse("family:answer", args=[token]),
        {"likes": "Tekenen", "attendees": [school.pk], "other_kinds": ["ggd"]},
    )
    assert "Thank you" in response.content.decode()
    school.refresh_from_db()
    assert not school.invited_by_parents
    ggd = Betrokkene.objects.get(jeugdige=case, kind="ggd")
    assert not ggd.invited_by_parents and ggd.role == "chosen by the young person"
    texts = " ".join(TimelineEntry.objects.filter(jeugdige=case).values_list("text", flat=True))
    assert "chosen by the young person" in texts and "by the parents" not in texts
    detail = client_for("lpa_a").get(reverse("cases:detail", args=[case.reference]))
    html = detail.content.decode()
    assert "chosen by the young person" in html and "chosen by the parents" not in html


def test_a_refused_case_write_never_reaches_the_family(world, client_for, case, monkeypatch):
    """Issue 21: a parent's answers with consent were refused whole because the case's own
    exemption dates broke a newer rule; the family saw the staff-side message."""
    from cases import services as case_services

    def refuse(**kwargs):
        raise case_services.RuleError(
            [
                type(
                    "Finding",
                    (),
                    {"field": "exemption_end", "message": "Staff-side rule", "level": "error"},
                )()
            ]
        )

    monkeypatch.setattr(case_services, "jeugdige_update", refuse)
    token, code = invite(client_for("lpa_a"), case)
    response = family_client(token, code).post(
        reverse("family:answer", args=[token]),
        {"going_well": "Ze leest veel.", "consent": "on"},
    )
    body = response.content.decode()
    assert "Thank you" in body and "Staff-side rule" not in body
    contribution = Contribution.objects.get()
    assert contribution.going_well == "Ze leest veel." and contribution.consent
    note = TimelineEntry.objects.get(jeugdige=case, text__contains="Staff-side rule")
    assert "consent" in note.text


def test_an_unexpected_refusal_keeps_the_typed_answers(world, client_for, case, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"exemption_end": "Staff-side rule"})

    monkeypatch.setattr(services, "contribution_submit", refuse)
    token, code = invite(client_for("lpa_a"), case)
    response = family_client(token, code).post(
        reverse("family:answer", args=[token]), {"going_well": "Ze leest veel."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Staff-side rule" not in body and "Ze leest veel." in body


# -- issue 21: the letter and e-mail say who sends them ------------------------------------------
def test_the_letter_says_who_sends_it(world, client_for, case):
    lpa = world.user("lpa_a")
    lpa.phone = "0591 685 000"
    lpa.save()
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[case.reference]),
        {
            "audience": "parent",
            "purpose": "before",
            "recipient_name": "Familie Jansen",
            "delivery": "letter",
        },
    )
    html = response.content.decode()
    assert "Lotte LPA-A" in html and "0591 685 000" in html and "lpa.a@wel.test" in html
    assert "gemeente Emmen" in html
    assert "before we talk about Fenna" in html


def test_the_letter_to_a_young_person_addresses_the_young_person(world, client_for):
    """Issue 21: "Beste Sanne … voordat we praten over Sanne"."""
    case = _young_case(world)
    response = client_for("lpa_a").post(
        reverse("family:invite", args=[case.reference]),
        {
            "audience": "young_person",
            "purpose": "before",
            "recipient_name": "Sanne",
            "delivery": "letter",
        },
    )
    html = response.content.decode()
    assert "Dear Sanne," in html
    assert "talk about Sanne" not in html and "before we talk with you" in html


def test_the_email_has_a_real_sender_and_replies_go_to_the_lpa(
    world, client_for, case, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "WEL in Ontwikkeling <noreply@wel.example.nl>"
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("lpa_a"), case, delivery="email", email="ouder@example.org")
    message = mail.outbox[-1]
    assert "localhost" not in message.from_email
    assert "noreply@wel.example.nl" in message.from_email and "Emmen" in message.from_email
    assert message.reply_to == ["lpa.a@wel.test"]
    assert "Lotte LPA-A" in message.body and "Emmen" in message.subject
    # a region with its own sender address uses it
    world.region_a.email_from = "leerplicht@emmen.nl"
    world.region_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("lpa_a"), case, delivery="email", email="ouder@example.org")
    assert "leerplicht@emmen.nl" in mail.outbox[-1].from_email


def test_the_default_sender_is_never_localhost():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import wel.settings.base as b; print(b.DEFAULT_FROM_EMAIL)"],
        capture_output=True,
        text=True,
        env={"SITE_URL": "https://wel.gemeente.nl", "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    assert "noreply@wel.gemeente.nl" in out


def test_a_case_error_never_reaches_the_family(world, client_for, case, monkeypatch):
    from cases.services import CaseError

    def refuse(**kwargs):
        raise CaseError("Someone else saved this case in the meantime.")

    monkeypatch.setattr(services, "contribution_submit", refuse)
    token, code = invite(client_for("lpa_a"), case)
    response = family_client(token, code).post(
        reverse("family:answer", args=[token]), {"going_well": "Ze leest veel."}
    )
    body = response.content.decode()
    assert "saved this case" not in body and "Ze leest veel." in body
    assert "could not be sent just now" in body
