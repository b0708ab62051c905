"""Notifications (issue 21 §3): who hears what, never of their own action, never about a case
they cannot see, once per item per state, and e-mails without names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cases import services as case_services
from family import services as family_services
from interviews import services as interview_services
from interviews.agenda import next_step_deadlines
from jobs import services as jobs
from notifications import due, rules, services
from notifications import mail as notify_mail
from notifications.models import EmailChoice, Kind, Notification
from reports.models import Report
from tests.cases.factories import make_jeugdige
from tests.reports import factories as rf
from wel import audit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def notices(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "reference"))


def unread(user) -> int:
    user.refresh_from_db(fields=["unread_notifications"])
    return user.unread_notifications


# -- who hears what -----------------------------------------------------------------------------
def test_handover_tells_the_new_lpa_not_the_actor(world):
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    j = make_jeugdige(world)
    case_services.jeugdige_handover(jeugdige=j, to=lpa, note="Zie dossier.", by=kartrekker)
    assert notices(lpa) == [(Kind.ASSIGNED, j.reference)]
    assert notices(kartrekker) == []
    assert unread(lpa) == 1
    notice = Notification.objects.get(recipient=lpa)
    assert notice.link == j.get_absolute_url()
    assert notice.jeugdige_id == j.pk


def test_no_notice_of_ones_own_assignment(world):
    lpa = world.user("lpa_a")
    make_jeugdige(world, by=lpa, assigned_lpa=lpa)
    assert notices(lpa) == []


def test_assigned_at_registration_by_someone_else(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=lpa)  # by the kartrekker
    assert notices(lpa) == [(Kind.ASSIGNED, j.reference)]


def test_nobody_hears_of_a_case_they_cannot_see(world):
    j = make_jeugdige(world)
    for persona in ("lpa_b", "landelijk", "beheerder"):
        assert (
            services.notify(
                recipient=world.user(persona),
                kind=Kind.ASSIGNED,
                reference=j.reference,
                link=j.get_absolute_url(),
                jeugdige=j,
            )
            is None
        )
    assert Notification.objects.count() == 0


def test_an_inactive_user_hears_nothing(world):
    lpa = world.user("lpa_a")
    lpa.is_active = False
    lpa.save()
    j = make_jeugdige(world)
    assert (
        services.notify(recipient=lpa, kind=Kind.ASSIGNED, reference="x", link="/", jeugdige=j)
        is None
    )


def test_the_family_answered_tells_the_assigned_lpa(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=lpa)
    Notification.objects.all().delete()
    new = family_services.invitation_create(
        jeugdige=j,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Ouder",
        by=world.user("kartrekker_a"),
    )
    family_services.contribution_submit(invitation=new.invitation, data={"going_well": "Goed."})
    assert notices(lpa) == [(Kind.FAMILY_ANSWERED, j.reference)]
    assert notices(world.user("kartrekker_a")) == []


def test_a_case_without_an_lpa_tells_nobody_when_the_family_answers(world):
    j = make_jeugdige(world)
    new = family_services.invitation_create(
        jeugdige=j,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Ouder",
        by=world.user("kartrekker_a"),
    )
    family_services.contribution_submit(invitation=new.invitation, data={"going_well": "Goed."})
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("ending", ["finish", "fail"])
def test_a_report_that_ends_tells_who_asked(world, ending):
    kartrekker = world.user("kartrekker_a")
    report = rf.report(region=world.region_a, requested_by=kartrekker)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    if ending == "finish":
        jobs.finish(Report, report.pk, file="reports/test/walk.pdf")
        kind = Kind.REPORT_DONE
    else:
        jobs.fail(Report, report.pk, "kapot")
        kind = Kind.REPORT_FAILED
    assert notices(kartrekker) == [(kind, str(report.pk))]
    assert Notification.objects.get().link == report.get_absolute_url()
    # ending it again changes nothing, and tells nobody again
    jobs.finish(Report, report.pk, file="reports/test/walk.pdf")
    assert Notification.objects.count() == 1


def test_a_scheduled_report_tells_nobody(world):
    report = rf.report(region=world.region_a)
    jobs.fail(Report, report.pk, "kapot")
    assert Notification.objects.count() == 0


def test_an_event_without_a_rule_costs_no_query(world, django_assert_num_queries):
    from wel.models import AuditEvent

    event = AuditEvent(event_type="jeugdige.viewed", user=world.user("lpa_a"))
    with django_assert_num_queries(0):
        rules.on_event(event)


def test_register_refuses_an_unknown_event_type():
    with pytest.raises(ValueError):
        rules.register("transfer.nonsense", Kind.TRANSFER_PROPOSED, rules.assigned_lpa)


def test_a_registered_rule_is_one_line(world):
    """How the lead wires a new event: one register() call (here on an existing type)."""
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=lpa)
    Notification.objects.all().delete()
    saved = dict(rules.RULES)
    try:
        rules.register("jeugdige.closed", Kind.TRANSFER_ACCEPTED, rules.assigned_lpa)
        audit.record(
            audit.events.JEUGDIGE_CLOSED, user=world.user("kartrekker_a"), obj=j, jeugdige=j
        )
    finally:
        rules.RULES.clear()
        rules.RULES.update(saved)
    assert notices(lpa) == [(Kind.TRANSFER_ACCEPTED, j.reference)]


# -- due and overdue ----------------------------------------------------------------------------
def test_due_and_overdue_once_per_item_per_state(world):
    lpa = world.user("lpa_a")
    overdue = make_jeugdige(world, assigned_lpa=lpa, next_contact_due=TODAY - dt.timedelta(days=1))
    soon = make_jeugdige(world, assigned_lpa=lpa, next_contact_due=TODAY + dt.timedelta(days=3))
    later = make_jeugdige(world, assigned_lpa=lpa, next_contact_due=TODAY + dt.timedelta(days=4))
    make_jeugdige(world, next_contact_due=TODAY - dt.timedelta(days=1))  # nobody's
    Notification.objects.all().delete()
    first = due.notify_due(today=TODAY, days=3)
    assert set(notices(lpa)) == {
        (Kind.CONTACT_OVERDUE, overdue.reference),
        (Kind.CONTACT_DUE, soon.reference),
    }
    assert later.reference not in {r for _k, r in notices(lpa)}
    assert first.notified == 2
    again = due.notify_due(today=TODAY, days=3)
    assert again.notified == 0
    assert Notification.objects.count() == 2
    # the next day "later" comes into the window; "soon" is still due (same state): no notice
    assert due.notify_due(today=TODAY + dt.timedelta(days=1), days=3).notified == 1
    # past its day "soon" is overdue (a new state); "later" is still due
    assert due.notify_due(today=TODAY + dt.timedelta(days=4), days=3).notified == 1
    assert unread(lpa) == 4


def test_renewal_due_soon_and_overdue(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=lpa)
    j.__class__.objects.filter(pk=j.pk).update(renewal_due=TODAY + dt.timedelta(days=10))
    Notification.objects.all().delete()
    due.notify_due(today=TODAY)
    assert notices(lpa) == [(Kind.RENEWAL_DUE, j.reference)]
    due.notify_due(today=TODAY + dt.timedelta(days=10))
    assert (Kind.RENEWAL_OVERDUE, j.reference) in notices(lpa)


def test_a_closed_case_has_no_deadlines(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=lpa, next_contact_due=TODAY - dt.timedelta(days=1))
    j.__class__.objects.filter(pk=j.pk).update(status="afgesloten", closing_reason="verhuisd")
    Notification.objects.all().delete()
    assert due.notify_due(today=TODAY).notified == 0


def test_the_command_does_what_the_task_does(world):
    lpa = world.user("lpa_a")
    make_jeugdige(world, assigned_lpa=lpa, next_contact_due=TODAY - dt.timedelta(days=1))
    Notification.objects.all().delete()
    call_command("notify_due")
    call_command("notify_due")
    assert len(notices(lpa)) == 1


# -- next step owners ---------------------------------------------------------------------------
def _interview(world, j, *, steps, by):
    return interview_services.interview_save(
        jeugdige=j,
        data={
            "respondent_kind": "parent",
            "held_on": TODAY,
            "interviewer": by,
            "consent_to_record": True,
        },
        next_steps=steps,
        by=by,
    )


def test_owner_of_a_next_step_is_told_and_sees_it_in_their_agenda(world):
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    j = make_jeugdige(world)  # assigned to nobody
    _interview(
        world,
        j,
        steps=[{"description": "School bellen", "owner_user": lpa, "due_on": TODAY}],
        by=kartrekker,
    )
    assert notices(lpa) == [(Kind.NEXT_STEP_OWNER, j.reference)]
    from cases.agenda import MINE, agenda_cases

    mine = next_step_deadlines(
        cases=agenda_cases(user=lpa, who=MINE),
        start=TODAY,
        end=TODAY,
        today=TODAY,
        user=lpa,
        who=MINE,
    )
    assert [(i.reference, i.owner) for i in mine] == [(j.reference, lpa.full_name)]
    theirs = next_step_deadlines(
        cases=agenda_cases(user=kartrekker, who=MINE),
        start=TODAY,
        end=TODAY,
        today=TODAY,
        user=kartrekker,
        who=MINE,
    )
    assert theirs == []


def test_owning_ones_own_step_tells_nobody(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    _interview(world, j, steps=[{"description": "x", "owner_user": lpa, "due_on": TODAY}], by=lpa)
    assert Notification.objects.count() == 0


def test_a_step_owner_must_work_on_the_case(world):
    from django.core.exceptions import ValidationError

    j = make_jeugdige(world)
    with pytest.raises(ValidationError):
        _interview(
            world,
            j,
            steps=[{"description": "x", "owner_user": world.user("lpa_b"), "due_on": TODAY}],
            by=world.user("kartrekker_a"),
        )


def test_a_new_step_needs_an_owner_user(world):
    from django.core.exceptions import ValidationError

    j = make_jeugdige(world)
    with pytest.raises(ValidationError):
        _interview(
            world,
            j,
            steps=[{"description": "x", "owner": "de moeder", "due_on": TODAY}],
            by=world.user("kartrekker_a"),
        )


def test_an_overdue_step_goes_to_its_owner(world):
    kartrekker, lpa = world.user("kartrekker_a"), world.user("lpa_a")
    j = make_jeugdige(world, assigned_lpa=kartrekker, by=kartrekker)
    interview = _interview(
        world, j, steps=[{"description": "x", "owner_user": lpa, "due_on": TODAY}], by=kartrekker
    )
    Notification.objects.all().delete()
    due.notify_due(today=TODAY + dt.timedelta(days=1), days=0)
    assert notices(lpa) == [(Kind.NEXT_STEP_OVERDUE, j.reference)]
    assert notices(kartrekker) == []
    # an old step without an owner user goes to the case's LPA
    rf.next_step(interview, TODAY)
    due.notify_due(today=TODAY + dt.timedelta(days=1), days=0)
    assert notices(kartrekker) == [(Kind.NEXT_STEP_OVERDUE, j.reference)]


# -- e-mail -------------------------------------------------------------------------------------
def _no_personal_data(message, j):
    text = message.subject + message.body
    for value in (j.given_name, j.family_name, j.bsn or "never-empty"):
        assert value not in text


def test_direct_email_on_commit_with_reference_and_link_only(
    world, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://wel.example"
    lpa = world.user("lpa_a")
    services.set_preference(user=lpa, email=EmailChoice.DIRECT)
    j = make_jeugdige(world, bsn="111222333", given_name="Zoë", family_name="Bakkerstraat")
    with django_capture_on_commit_callbacks(execute=True):
        case_services.jeugdige_handover(
            jeugdige=j, to=lpa, note="Zie dossier.", by=world.user("kartrekker_a")
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lpa.email]
    assert j.reference in message.body
    assert "https://wel.example" + j.get_absolute_url() in message.body
    _no_personal_data(message, j)
    assert Notification.objects.get().emailed_at is not None


def test_digests_by_choice(world):
    lpa, kartrekker = world.user("lpa_a"), world.user("kartrekker_a")
    j = make_jeugdige(world, bsn="111222333", given_name="Zoë", family_name="Bakkerstraat")
    case_services.jeugdige_handover(
        jeugdige=j, to=lpa, note="Zie dossier.", by=kartrekker
    )  # lpa: default daily
    case_services.jeugdige_handover(jeugdige=j, to=kartrekker, note="Zie dossier.", by=lpa)
    services.set_preference(user=kartrekker, email=EmailChoice.WEEKLY)
    assert notify_mail.send_digests(choice=EmailChoice.DAILY) == 1
    assert [m.to for m in mail.outbox] == [[lpa.email]]
    assert notify_mail.send_digests(choice=EmailChoice.DAILY) == 0  # e-mailed already
    assert notify_mail.send_digests(choice=EmailChoice.WEEKLY) == 1
    assert mail.outbox[1].to == [kartrekker.email]
    for message in mail.outbox:
        _no_personal_data(message, j)


def test_off_means_no_email(world):
    lpa = world.user("lpa_a")
    services.set_preference(user=lpa, email=EmailChoice.OFF)
    j = make_jeugdige(world)
    case_services.jeugdige_handover(
        jeugdige=j, to=lpa, note="Zie dossier.", by=world.user("kartrekker_a")
    )
    assert notify_mail.send_digests(choice=EmailChoice.DAILY) == 0
    assert notify_mail.send_digests(choice=EmailChoice.WEEKLY) == 0
    assert mail.outbox == []


# -- retention ----------------------------------------------------------------------------------
def test_a_notice_goes_with_its_case(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    case_services.jeugdige_handover(
        jeugdige=j, to=lpa, note="Zie dossier.", by=world.user("kartrekker_a")
    )
    assert Notification.objects.filter(jeugdige=j).count() == 1
    Notification.objects.filter(jeugdige=j).first().jeugdige.delete()
    assert Notification.objects.count() == 0


def test_the_daily_task_repairs_counts_after_retention(world):
    from notifications.tasks import daily

    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    case_services.jeugdige_handover(
        jeugdige=j, to=lpa, note="Zie dossier.", by=world.user("kartrekker_a")
    )
    assert unread(lpa) == 1
    j.delete()  # as retention does: the notice goes with the case
    assert Notification.objects.count() == 0 and unread(lpa) == 1
    daily()
    assert unread(lpa) == 0
    assert services.recount_all() == 0  # nothing left to repair
