"""The deadline agenda (issue 21 §4): renewals, planned contacts and next steps per person and
per team, as a list and a month view; each deadline's day and "overdue" from its own rule."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import agenda as deadlines
from cases.models import ClosingReason, Jeugdige, Status
from tests.cases.factories import make_jeugdige
from tests.interviews.factories import InterviewFactory, NextStepFactory
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 15)
JUNE = dt.date(2027, 6, 1)


def _interview(world, case):
    by = world.user("kartrekker_a")
    return InterviewFactory(jeugdige=case, created_by=by, interviewer=by)


def _set(case, **fields):
    Jeugdige.objects.filter(pk=case.pk).update(**fields)


def _items(user, who=deadlines.TEAM, month=JUNE, today=TODAY):
    return deadlines.agenda(user=user, month=month, who=who, today=today).items


def _keys(items):
    return [(i.day, i.kind, i.reference, i.overdue) for i in items]


# stored date, kind, the day the agenda shows it (None: not in June's), overdue on 15 June 2027
BOUNDARIES = [
    # A renewal is asked "voor 1 juli": shown on its last day in time, overdue from its due day.
    (dt.date(2027, 6, 1), "renewal", None, None),  # last day 31 May: the month before
    (dt.date(2027, 6, 2), "renewal", dt.date(2027, 6, 1), True),
    (dt.date(2027, 6, 15), "renewal", dt.date(2027, 6, 14), True),  # overdue on its due day
    (dt.date(2027, 6, 16), "renewal", dt.date(2027, 6, 15), False),  # today is the last day
    (dt.date(2027, 7, 1), "renewal", dt.date(2027, 6, 30), False),  # due 01-07: by 30 June
    (dt.date(2027, 7, 2), "renewal", None, None),
    (dt.date(2027, 5, 31), "contact", None, None),
    (dt.date(2027, 6, 1), "contact", dt.date(2027, 6, 1), True),
    (dt.date(2027, 6, 14), "contact", dt.date(2027, 6, 14), True),
    (dt.date(2027, 6, 15), "contact", dt.date(2027, 6, 15), False),  # may happen on its day
    (dt.date(2027, 6, 30), "contact", dt.date(2027, 6, 30), False),
    (dt.date(2027, 7, 1), "contact", None, None),
    (dt.date(2027, 5, 31), "next_step", None, None),
    (dt.date(2027, 6, 14), "next_step", dt.date(2027, 6, 14), True),
    (dt.date(2027, 6, 15), "next_step", dt.date(2027, 6, 15), False),
    (dt.date(2027, 6, 30), "next_step", dt.date(2027, 6, 30), False),
    (dt.date(2027, 7, 1), "next_step", None, None),
]


@pytest.mark.parametrize(("stored", "kind", "shown", "overdue"), BOUNDARIES)
def test_each_deadline_falls_on_its_day_and_is_overdue_by_its_own_rule(
    world, stored, kind, shown, overdue
):
    case = make_jeugdige(world)
    _set(case, renewal_due=None, next_contact_due=None)
    if kind == "renewal":
        _set(case, renewal_due=stored)
    elif kind == "contact":
        _set(case, next_contact_due=stored)
    else:
        NextStepFactory(interview=_interview(world, case), due_on=stored)
    got = _keys(_items(world.user("kartrekker_a")))
    expected = [] if shown is None else [(shown, kind, case.reference, overdue)]
    assert got == expected


def test_mine_is_what_is_assigned_to_me_and_team_is_my_scope(world):
    lpa = world.user("lpa_a")  # Emmen only
    mine = make_jeugdige(world, assigned_lpa=lpa)
    colleague = make_jeugdige(world, assigned_lpa=world.user("kartrekker_a"))
    unassigned = make_jeugdige(world)
    borger = make_jeugdige(world, gemeente=world.borger)  # not lpa_a's gemeente
    other_region = make_jeugdige(
        world, region=world.region_b, gemeente=world.assen, by=world.user("lpa_b")
    )
    closed = make_jeugdige(world, assigned_lpa=lpa)
    for case in (mine, colleague, unassigned, borger, other_region, closed):
        _set(case, renewal_due=dt.date(2027, 6, 20), next_contact_due=None)
    _set(closed, status=Status.AFGESLOTEN, closing_reason=ClosingReason.choices[0][0])
    done = NextStepFactory(interview=_interview(world, mine), due_on=TODAY, done=True)
    assert done.done

    refs = lambda items: sorted({i.reference for i in items})  # noqa: E731
    assert refs(_items(lpa, deadlines.MINE)) == [mine.reference]
    assert refs(_items(lpa, deadlines.TEAM)) == sorted(
        [mine.reference, colleague.reference, unassigned.reference]
    )
    assert refs(_items(world.user("kartrekker_a"), deadlines.TEAM)) == sorted(
        [mine.reference, colleague.reference, unassigned.reference, borger.reference]
    )
    assert refs(_items(world.user("lpa_b"), deadlines.TEAM)) == [other_region.reference]
    for persona in ("landelijk", "beheerder"):
        assert _items(world.user(persona), deadlines.TEAM) == []


def test_items_are_sorted_by_day_then_kind(world):
    a = make_jeugdige(world)
    _set(a, renewal_due=dt.date(2027, 6, 21), next_contact_due=dt.date(2027, 6, 20))
    NextStepFactory(interview=_interview(world, a), due_on=dt.date(2027, 6, 3))
    got = [(i.day.day, i.kind) for i in _items(world.user("kartrekker_a"))]
    assert got == [(3, "next_step"), (20, "renewal"), (20, "contact")]


def test_the_month_view_starts_on_monday_and_places_items_on_their_day(world):
    case = make_jeugdige(world)
    _set(case, renewal_due=dt.date(2027, 3, 1), next_contact_due=None)  # last day 28 February
    result = deadlines.agenda(
        user=world.user("kartrekker_a"), month=dt.date(2027, 2, 10), today=TODAY, who="team"
    )
    weeks = result.weeks
    assert weeks[0][0][0] == dt.date(2027, 2, 1)  # 1 February 2027 is a Monday
    assert weeks[-1][-1][0] == dt.date(2027, 2, 28)  # and the 28th a Sunday: four weeks
    assert len(weeks) == 4
    placed = {day: [i.reference for i in items] for week in weeks for day, items in week}
    assert placed[dt.date(2027, 2, 28)] == [case.reference]
    assert result.previous_month == dt.date(2027, 1, 1)
    assert result.next_month == dt.date(2027, 3, 1)


def test_an_unknown_agenda_is_refused(world):
    with pytest.raises(ValueError):
        deadlines.agenda(user=world.user("lpa_a"), month=JUNE, who="everyone")


def test_the_page_shows_the_month_is_audited_and_has_a_fixed_number_of_queries(client_for, world):
    client = client_for("kartrekker_a")
    url = reverse("cases:agenda")
    month = dt.date.today().replace(day=1)
    for n in range(3):
        case = make_jeugdige(world, given_name=f"Kind{n}")
        _set(case, renewal_due=month + dt.timedelta(days=n + 1), next_contact_due=month)
        NextStepFactory(interview=_interview(world, case), due_on=month)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"wie": "team"})
    assert response.status_code == 200
    assert "Kind2" in response.content.decode()
    event = AuditEvent.objects.filter(event_type="agenda.viewed").latest("pk")
    assert event.detail["rows"] == 9 and event.detail["wie"] == "team"
    for n in range(3, 20):
        case = make_jeugdige(world, given_name=f"Kind{n}")
        _set(case, renewal_due=month + dt.timedelta(days=1), next_contact_due=month)
        NextStepFactory(interview=_interview(world, case), due_on=month)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"wie": "team"})
    assert "Kind19" in response.content.decode()
    assert len(many) == len(few) <= 12


@pytest.mark.parametrize("month", ["juni", "2027-13", "1999-12", "9999-01"])
def test_a_month_that_cannot_be_read_says_so_and_shows_this_month(client_for, world, month):
    response = client_for("lpa_a").get(reverse("cases:agenda"), {"maand": month})
    assert response.status_code == 200
    text = response.content.decode()
    assert "This month is shown." in text
    assert response.context["agenda"].first == dt.date.today().replace(day=1)


def test_the_worklist_links_to_the_agenda(client_for, world):
    response = client_for("lpa_a").get(reverse("cases:worklist"))
    assert reverse("cases:agenda") in response.content.decode()
