"""Retention: closed cases are destroyed after their term (default 19 years after the date of
birth), open ones are listed and kept, audit lines go after 5 years; the run leaves counts and
an audit line of its own (cases/retention.py)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cases import retention, services
from cases.models import ClosingReason, ContactMoment, Grondslag, Jeugdige
from interviews.models import BelemmerendeFactor, Interview, NextStep
from tests.cases.factories import make_jeugdige
from tests.conftest import need_services
from tests.interviews.factories import InterviewFactory, NextStepFactory, ObstacleFactory
from wel.models import AuditEvent

POLICY = retention.RetentionPolicy(default_years=19, per_grondslag={}, audit_years=5)


def _closed(world, *, born: dt.date, **data) -> Jeugdige:
    j = make_jeugdige(world, date_of_birth=born, **data)
    return services.jeugdige_close(
        jeugdige=j, reason=ClosingReason.LEERPLICHT_VOORBIJ, by=world.user("kartrekker_a")
    )


# -- the rule -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("born", "ends"),
    [
        (dt.date(2007, 3, 14), dt.date(2026, 3, 14)),
        (dt.date(2008, 2, 29), dt.date(2027, 3, 1)),  # born on a leap day, term ends 1 March
        (dt.date(2009, 2, 28), dt.date(2028, 2, 28)),
        (dt.date(2007, 7, 31), dt.date(2026, 7, 31)),
        (dt.date(2007, 8, 1), dt.date(2026, 8, 1)),
        (dt.date(2007, 12, 31), dt.date(2026, 12, 31)),
        (dt.date(2008, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_retention_ends_nineteen_years_after_birth(born, ends):
    assert (
        retention.retention_ends(
            date_of_birth=born, grondslag=Grondslag.VRIJSTELLING_5A, policy=POLICY
        )
        == ends
    )


@hsettings(max_examples=200, deadline=None)
@given(
    today=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    born=st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2025, 12, 31)),
    years=st.integers(min_value=1, max_value=30),
)
def test_the_database_cutoff_agrees_with_the_rule_on_every_day(today, born, years):
    """The query's birth-date cutoff is exactly the inverse of retention_ends."""
    policy = retention.RetentionPolicy(default_years=years, per_grondslag={}, audit_years=5)
    cutoff = retention._birth_cutoffs(policy, today)[Grondslag.ABSOLUUT_VERZUIM]
    ends = retention.retention_ends(
        date_of_birth=born, grondslag=Grondslag.ABSOLUUT_VERZUIM, policy=policy
    )
    assert (born <= cutoff) == (ends <= today)


def test_a_grondslag_can_have_its_own_term(settings):
    settings.WEL_RETENTION_YEARS_PER_GRONDSLAG = {"absoluut_verzuim": 23}
    policy = retention.retention_policy()
    assert policy.years_for(Grondslag.ABSOLUUT_VERZUIM) == 23
    assert policy.years_for(Grondslag.VRIJSTELLING_5A) == 19


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("WEL_RETENTION_YEARS_AFTER_BIRTH", 0, "WEL_RETENTION_YEARS_AFTER_BIRTH"),
        ("WEL_RETENTION_YEARS_PER_GRONDSLAG", {"5a": 19}, "unknown grondslag"),
        ("WEL_RETENTION_YEARS_PER_GRONDSLAG", {"absoluut_verzuim": 0}, "absoluut_verzuim"),
        ("WEL_RETENTION_YEARS_PER_GRONDSLAG", [19], "JSON object"),
        ("WEL_AUDIT_RETENTION_YEARS", 4, "at least 5"),
    ],
)
def test_a_bad_policy_is_refused_with_the_variable_named(settings, name, value, says):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=says):
        retention.retention_policy()


# -- a run --------------------------------------------------------------------------------------
@pytest.fixture
def cases(world):
    """Closed past term (with everything around it), closed one day short of it, open past
    term, and a young open case."""
    today = timezone.localdate()
    expired = _closed(world, born=retention._subtract_years(today, 19) - dt.timedelta(days=1))
    services.contact_add(
        jeugdige=expired,
        date=today - dt.timedelta(days=400),
        kind=ContactMoment.Kind.TELEFOON,
        summary="Moeder gebeld.",
        by=world.user("kartrekker_a"),
    )
    interview = InterviewFactory(jeugdige=expired, interviewer=world.user("lpa_a"))
    NextStepFactory(interview=interview)
    obstacle = ObstacleFactory(region=world.region_a, jeugdige=expired, interview=interview)
    short = _closed(
        world,
        born=dt.date(today.year - 19, today.month, today.day) + dt.timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - 19, 3, 1) + dt.timedelta(days=1),
    )
    open_old = make_jeugdige(world, date_of_birth=retention._subtract_years(today, 25))
    young = make_jeugdige(world, date_of_birth=dt.date(today.year - 10, 1, 1))
    return {
        "expired": expired,
        "short": short,
        "open_old": open_old,
        "young": young,
        "obstacle": obstacle,
    }


def test_dry_run_lists_and_changes_nothing(world, cases):
    before = (Jeugdige.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--user", "KARTREKKER.A@wel.test", stdout=out)
    text = out.getvalue()
    assert cases["expired"].reference in text
    assert cases["open_old"].reference in text
    assert cases["short"].reference not in text
    assert cases["young"].reference not in text
    assert cases["expired"].given_name not in text  # references only
    assert Jeugdige.objects.count() == before[0]
    # only the dry run's own audit line
    assert AuditEvent.objects.count() == before[1] + 1


def test_the_run_destroys_the_expired_case_and_everything_it_owns(world, cases):
    expired = cases["expired"]
    out = StringIO()
    call_command("apply_retention", "--user", world.user("kartrekker_a").email, stdout=out)
    assert not Jeugdige.objects.filter(pk=expired.pk).exists()
    assert not Jeugdige.history.model.objects.filter(id=expired.pk).exists()
    assert not Interview.objects.filter(jeugdige_id=expired.pk).exists()
    assert not NextStep.objects.filter(interview__jeugdige_id=expired.pk).exists()
    assert not ContactMoment.objects.filter(jeugdige_id=expired.pk).exists()
    # region content stays, unlinked
    obstacle = BelemmerendeFactor.objects.get(pk=cases["obstacle"].pk)
    assert obstacle.jeugdige_id is None and obstacle.interview_id is None
    for kept in ("short", "open_old", "young"):
        assert Jeugdige.objects.filter(pk=cases[kept].pk).exists()
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).latest("pk")
    assert event.user == world.user("kartrekker_a")
    assert event.detail["cases"] == 1
    assert event.detail["open_past_term"] == 1
    assert expired.given_name not in str(event.detail) and expired.family_name not in event.data
    assert "Destroyed 1 closed case(s)" in out.getvalue()
    assert "1 open case(s) are past their term" in out.getvalue()


def test_the_scheduled_task_does_the_same(world, cases):
    from cases.tasks import apply_retention

    assert apply_retention.delay().get() == {"cases": 1, "audit_lines": 0}
    assert not Jeugdige.objects.filter(pk=cases["expired"].pk).exists()
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).latest("pk").user_label
        == "bewaartermijn (geplande taak)"
    )


def test_a_second_run_destroys_nothing_more(world, cases):
    retention.retention_apply(operator_label="test")
    assert retention.retention_apply(operator_label="test").cases == 0


def test_the_command_requires_an_operator(world):
    with pytest.raises(CommandError):
        call_command("apply_retention", "--dry-run")
    with pytest.raises(CommandError, match="No active user"):
        call_command("apply_retention", "--dry-run", "--user", "nobody@wel.example")


def test_a_database_error_mid_run_rolls_everything_back(world, cases, monkeypatch):
    def fail(**kwargs):
        raise DatabaseError("injected")

    monkeypatch.setattr(retention, "purge_audit_lines", fail)
    with pytest.raises(DatabaseError):
        retention.retention_apply(operator_label="test")
    assert Jeugdige.objects.filter(pk=cases["expired"].pk).exists()
    assert Interview.objects.filter(jeugdige=cases["expired"]).exists()


# -- audit lines --------------------------------------------------------------------------------
def _old_event(years: float) -> AuditEvent:
    event = AuditEvent(action=AuditEvent.Action.VIEW, user_label="x")
    event.occurred_at = timezone.now() - dt.timedelta(days=round(365.25 * years))
    event.save()
    return event


def test_audit_lines_past_five_years_are_purged_younger_ones_kept(world):
    old = _old_event(5.1)
    young = _old_event(4.9)
    result = retention.retention_apply(operator_label="test")
    assert result.audit_lines == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_purging_younger_lines_is_refused_in_code(world):
    with pytest.raises(ValueError, match="5 years"), transaction.atomic():
        retention.purge_audit_lines(before=timezone.now())


@pytest.mark.services
def test_the_database_refuses_to_delete_a_young_line_even_during_a_purge(world):
    need_services(postgres=True)
    young = _old_event(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL wel.audit_retention_purge = 'on'")
        cursor.execute("DELETE FROM wel_auditevent WHERE id = %s", [young.pk])
    old = _old_event(6)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # an old line, but no purge declared: refused
        cursor.execute("DELETE FROM wel_auditevent WHERE id = %s", [old.pk])
    assert AuditEvent.objects.filter(pk__in=[young.pk, old.pk]).count() == 2
