"""cases.rules: a boundary table per rule (the day before, on and after the edge; 29 February;
31 July / 1 August; the first and last of a month) and property tests that each rule's Python
side and database side agree. Change any boundary in cases/rules.py by one day and a test here
fails (docs/cases.md, "Rules")."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases import rules
from cases.models import ExemptionDuration, Grondslag, Jeugdige, Status
from interviews.models import AgendaStatus

D = dt.date
DATES = st.dates(min_value=D(1995, 1, 1), max_value=D(2045, 12, 31))


def test_choice_values_repeated_in_rules_match_the_models():
    assert rules.GRONDSLAG_5A == Grondslag.VRIJSTELLING_5A
    assert rules.WHOLE_PERIOD == ExemptionDuration.WHOLE_PERIOD
    assert rules.CLOSED == Status.AFGESLOTEN
    assert set(rules.OBSTACLE_CLOSED_STATUSES) == {
        AgendaStatus.OPGELOST,
        AgendaStatus.NIET_OPLOSBAAR,
    }
    assert set(rules.OBSTACLE_CLOSED_STATUSES) <= set(AgendaStatus.values)


# -- calendar and age ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day, years, expected",
    [
        (D(2016, 2, 29), 1, D(2017, 3, 1)),  # 29 February: 1 March in other years
        (D(2016, 2, 29), 4, D(2020, 2, 29)),
        (D(2016, 2, 28), 1, D(2017, 2, 28)),
        (D(2016, 3, 1), 1, D(2017, 3, 1)),
        (D(2028, 2, 29), -5, D(2023, 3, 1)),
        (D(2026, 7, 31), 1, D(2027, 7, 31)),
    ],
)
def test_add_years(day, years, expected):
    assert rules.add_years(day, years) == expected


@pytest.mark.parametrize(
    "dob, on, age",
    [
        (D(2015, 3, 14), D(2020, 3, 13), 4),  # day before the 5th birthday
        (D(2015, 3, 14), D(2020, 3, 14), 5),  # on it
        (D(2015, 3, 14), D(2020, 3, 15), 5),
        (D(2016, 2, 29), D(2027, 2, 28), 10),  # born 29 February, year without it
        (D(2016, 2, 29), D(2027, 3, 1), 11),  # … a year older on 1 March
        (D(2016, 2, 29), D(2028, 2, 28), 11),
        (D(2016, 2, 29), D(2028, 2, 29), 12),  # leap year: on 29 February itself
        (D(2016, 2, 28), D(2027, 2, 28), 11),
        (D(2016, 3, 1), D(2028, 2, 29), 11),
        (D(2010, 8, 1), D(2026, 7, 31), 15),
        (D(2010, 8, 1), D(2026, 8, 1), 16),
        (D(2010, 12, 31), D(2026, 12, 31), 16),
        (D(2011, 1, 1), D(2026, 12, 31), 15),
    ],
)
def test_age_on(dob, on, age):
    assert rules.age_on(dob, on) == age


@pytest.mark.parametrize(
    "on, years, expected",
    [
        (D(2028, 2, 29), 5, D(2023, 2, 28)),  # born 1 March 2023 turns 5 only on 1 March 2028
        (D(2028, 2, 29), 4, D(2024, 2, 29)),
        (D(2027, 2, 28), 3, D(2024, 2, 28)),  # born 29 February 2024: not yet 3
        (D(2027, 3, 1), 3, D(2024, 3, 1)),
        (D(2026, 8, 1), 16, D(2010, 8, 1)),
        (D(2026, 7, 31), 16, D(2010, 7, 31)),
    ],
)
def test_born_on_or_before(on, years, expected):
    assert rules.born_on_or_before(on, years) == expected


@settings(max_examples=300, deadline=None)
@given(dob=DATES, on=DATES, years=st.integers(min_value=0, max_value=25))
def test_age_cutoff_is_the_database_side_of_age_on(dob, on, years):
    assert (rules.age_on(dob, on) >= years) == (dob <= rules.born_on_or_before(on, years))


@pytest.mark.parametrize(
    "dob, on, band",
    [
        (D(2016, 2, 29), D(2021, 2, 28), "0-4"),
        (D(2016, 2, 29), D(2021, 3, 1), "5-11"),
        (D(2023, 3, 1), D(2028, 2, 29), "0-4"),  # the filter said 5–11 here before
        (D(2023, 2, 28), D(2028, 2, 29), "5-11"),
        (D(2014, 8, 1), D(2026, 7, 31), "5-11"),
        (D(2014, 8, 1), D(2026, 8, 1), "12-15"),
        (D(2010, 3, 1), D(2026, 2, 28), "12-15"),
        (D(2010, 3, 1), D(2026, 3, 1), "16-17"),
        (D(2008, 2, 29), D(2026, 2, 28), "16-17"),
        (D(2008, 2, 29), D(2026, 3, 1), "18+"),
        (D(2030, 1, 1), D(2026, 3, 1), "0-4"),  # born after the day: first band
    ],
)
def test_age_band(dob, on, band):
    assert rules.age_band(dob, on) == band


def test_age_bands_cover_every_age_once():
    keys = [rules.age_band(D(2000, 1, 1), rules.add_years(D(2000, 1, 1), a)) for a in range(30)]
    assert keys == ["0-4"] * 5 + ["5-11"] * 7 + ["12-15"] * 4 + ["16-17"] * 2 + ["18+"] * 12


@pytest.mark.parametrize(
    "day, start, end",
    [
        (D(2026, 7, 31), D(2025, 8, 1), D(2026, 7, 31)),
        (D(2026, 8, 1), D(2026, 8, 1), D(2027, 7, 31)),
        (D(2027, 1, 1), D(2026, 8, 1), D(2027, 7, 31)),
        (D(2026, 12, 31), D(2026, 8, 1), D(2027, 7, 31)),
        (D(2028, 2, 29), D(2027, 8, 1), D(2028, 7, 31)),
    ],
)
def test_school_year(day, start, end):
    assert rules.school_year_start(day) == start
    assert rules.school_year_end(day) == end


# -- Leerplichtwet start and end -------------------------------------------------------------
@pytest.mark.parametrize(
    "dob, start",
    [
        (D(2015, 3, 14), D(2020, 4, 1)),  # Wednesday 1 April
        (D(2015, 3, 31), D(2020, 4, 1)),  # last of the month
        (D(2015, 4, 1), D(2020, 5, 1)),  # first of the month: the month after
        (D(2021, 7, 31), D(2026, 8, 3)),  # 1 August 2026 is a Saturday
        (D(2021, 8, 1), D(2026, 9, 1)),
        (D(2016, 2, 29), D(2021, 4, 1)),  # 5th birthday is 1 March 2021
        (D(2016, 2, 28), D(2021, 3, 1)),
        (D(2019, 12, 31), D(2025, 1, 1)),
        (D(2020, 1, 1), D(2025, 2, 3)),  # 1 February 2025 is a Saturday
    ],
)
def test_leerplicht_start(dob, start):
    assert rules.leerplicht_start(dob) == start


@pytest.mark.parametrize(
    "dob, end",
    [
        (D(2010, 7, 31), D(2026, 7, 31)),  # 16 on the last day of the school year
        (D(2010, 8, 1), D(2027, 7, 31)),  # 16 on the first day of the next
        (D(2011, 1, 1), D(2027, 7, 31)),
        (D(2010, 12, 31), D(2027, 7, 31)),
        (D(2012, 2, 29), D(2028, 7, 31)),
    ],
)
def test_leerplicht_end(dob, end):
    assert rules.leerplicht_end(dob) == end


@pytest.mark.parametrize(
    "dob, on, ended",
    [
        (D(2008, 3, 14), D(2026, 3, 13), False),
        (D(2008, 3, 14), D(2026, 3, 14), True),  # from the 18th birthday
        (D(2008, 3, 14), D(2026, 3, 15), True),
        (D(2008, 2, 29), D(2026, 2, 28), False),
        (D(2008, 2, 29), D(2026, 3, 1), True),
        (D(2008, 8, 1), D(2026, 7, 31), False),
        (D(2008, 8, 1), D(2026, 8, 1), True),
    ],
)
def test_kwalificatieplicht_ended(dob, on, ended):
    assert rules.kwalificatieplicht_ended(dob, on) is ended
    assert rules.kwalificatieplicht_end(dob) == rules.add_years(dob, 18)


# -- the yearly notice and the 5a duration: tests/cases/test_law.py --------------------------


@pytest.mark.parametrize(
    "due, on, overdue, soon",
    [
        (D(2027, 7, 1), D(2027, 6, 30), False, True),
        (D(2027, 7, 1), D(2027, 7, 1), True, False),  # overdue ON 1 July ("before 1 July")
        (D(2027, 7, 1), D(2027, 7, 2), True, False),
        (D(2027, 7, 1), D(2027, 5, 2), False, True),  # exactly 60 days ahead
        (D(2027, 7, 1), D(2027, 5, 1), False, False),  # 61 days ahead
        (D(2027, 7, 1), D(2026, 12, 1), False, False),
        (D(2027, 2, 1), D(2027, 7, 1), True, False),  # five months late is not "due soon"
        (D(2028, 2, 29), D(2027, 12, 31), False, True),
        (None, D(2027, 7, 1), False, False),
    ],
)
def test_renewal_overdue_and_due_soon(due, on, overdue, soon):
    assert rules.renewal_overdue(due, on) is overdue
    assert rules.renewal_due_soon(due, on) is soon


# -- contact ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "due, on, overdue",
    [
        (D(2026, 3, 10), D(2026, 3, 9), False),
        (D(2026, 3, 10), D(2026, 3, 10), False),  # may still happen that day
        (D(2026, 3, 10), D(2026, 3, 11), True),
        (D(2026, 7, 31), D(2026, 8, 1), True),
        (None, D(2026, 3, 10), False),
    ],
)
def test_contact_overdue(due, on, overdue):
    assert rules.contact_overdue(due, on) is overdue


@pytest.mark.parametrize(
    "last, on, silent",
    [
        (D(2026, 3, 1), D(2026, 8, 31), False),  # the dashboard's 182 days said yes here
        (D(2026, 3, 1), D(2026, 9, 1), True),
        (D(2026, 3, 1), D(2026, 9, 2), True),
        (D(2026, 8, 31), D(2027, 2, 27), False),
        (D(2026, 8, 31), D(2027, 2, 28), True),  # 31 August + 6 months: last of February
        (D(2027, 8, 31), D(2028, 2, 28), False),
        (D(2027, 8, 31), D(2028, 2, 29), True),
        (D(2028, 2, 29), D(2028, 8, 28), False),
        (D(2028, 2, 29), D(2028, 8, 29), True),
        (D(2026, 3, 31), D(2026, 9, 29), False),
        (D(2026, 3, 31), D(2026, 9, 30), True),
        (D(2026, 8, 1), D(2027, 1, 31), False),
        (D(2026, 8, 1), D(2027, 2, 1), True),
        (None, D(2026, 9, 1), True),  # never any contact
    ],
)
def test_no_contact_since(last, on, silent):
    assert rules.no_contact_since(last, on) is silent


@pytest.mark.parametrize(
    "on, cutoff",
    [
        (D(2026, 8, 31), D(2026, 2, 28)),
        (D(2026, 9, 1), D(2026, 3, 1)),
        (D(2026, 8, 30), D(2026, 2, 28)),
        (D(2026, 8, 28), D(2026, 2, 28)),
        (D(2026, 8, 27), D(2026, 2, 27)),
        (D(2028, 8, 29), D(2028, 2, 29)),
        (D(2028, 2, 29), D(2027, 8, 31)),
        (D(2027, 2, 28), D(2026, 8, 31)),
        (D(2027, 2, 27), D(2026, 8, 27)),
        (D(2026, 9, 30), D(2026, 3, 31)),
        (D(2026, 9, 29), D(2026, 3, 29)),
        (D(2027, 1, 1), D(2026, 7, 1)),
    ],
)
def test_no_contact_cutoff(on, cutoff):
    assert rules.no_contact_cutoff(on) == cutoff


@settings(max_examples=300, deadline=None)
@given(last=DATES, on=DATES)
def test_no_contact_cutoff_is_the_database_side_of_no_contact_since(last, on):
    assert rules.no_contact_since(last, on) == (last <= rules.no_contact_cutoff(on))


# -- open and closed, next steps, activities, obstacles -----------------------------------
@pytest.mark.parametrize(
    "due, done, status, on, overdue",
    [
        (D(2026, 3, 10), False, "in_beeld", D(2026, 3, 10), False),
        (D(2026, 3, 10), False, "in_beeld", D(2026, 3, 11), True),
        (D(2026, 3, 10), True, "in_beeld", D(2026, 3, 11), False),
        (D(2026, 3, 10), False, "afgesloten", D(2026, 3, 11), False),  # closed case
    ],
)
def test_next_step_overdue(due, done, status, on, overdue):
    assert rules.next_step_overdue(due_on=due, done=done, case_status=status, on=on) is overdue


@pytest.mark.parametrize(
    "until, on, current",
    [
        (None, D(2026, 3, 10), True),
        (D(2026, 3, 10), D(2026, 3, 9), True),
        (D(2026, 3, 10), D(2026, 3, 10), True),  # current through its last day
        (D(2026, 3, 10), D(2026, 3, 11), False),
    ],
)
def test_activity_current(until, on, current):
    assert rules.activity_current(until, on) is current


def test_obstacle_closed_and_case_open():
    closed = {s for s in AgendaStatus.values if rules.obstacle_closed(s)}
    assert closed == {"opgelost", "niet_oplosbaar"}
    assert [s for s in Status.values if not rules.case_open(s)] == ["afgesloten"]


# -- database side = Python side, at every boundary -----------------------------------------
BOUNDARY_DAYS = [
    D(2026, 6, 30),
    D(2026, 7, 1),
    D(2026, 7, 2),
    D(2026, 7, 31),
    D(2026, 8, 1),
    D(2026, 8, 31),
    D(2026, 9, 1),
    D(2027, 2, 28),
    D(2028, 2, 29),
    D(2028, 3, 1),
]


@pytest.mark.django_db
def test_every_database_filter_selects_what_its_python_rule_says(world):
    from tests.reports import factories as f

    offsets = [-200, -184, -183, -182, -181, -62, -61, -60, -59, -1, 0, 1, 59, 60, 61]
    anchor = D(2027, 1, 1)
    people = []
    for i, days in enumerate(offsets):
        d = anchor + dt.timedelta(days=days)
        people.append(
            f.jeugdige(
                world.region_a,
                world.emmen,
                date_of_birth=rules.add_years(D(2016, 2, 29), -(i % 4)) + dt.timedelta(days),
                next_contact_due=d,
                renewal_due=d + dt.timedelta(days=days),
                last_contact_on=None if i == 0 else d - dt.timedelta(days=120),
                status=Status.AFGESLOTEN if i % 5 == 0 else Status.IN_BEELD,
            )
        )
    qs = Jeugdige.objects.filter(pk__in=[p.pk for p in people])
    days = BOUNDARY_DAYS + [anchor + dt.timedelta(days=n) for n in (-61, -1, 0, 1, 60, 120)]
    for on in days:
        pairs = {
            "contact": (rules.contact_overdue_q(on), "next_contact_due", rules.contact_overdue),
            "renewal overdue": (rules.renewal_overdue_q(on), "renewal_due", rules.renewal_overdue),
            "renewal soon": (rules.renewal_due_soon_q(on), "renewal_due", rules.renewal_due_soon),
            "no contact": (rules.no_contact_q(on), "last_contact_on", rules.no_contact_since),
        }
        for name, (q, field, rule) in pairs.items():
            in_sql = set(qs.filter(q).values_list("pk", flat=True))
            in_python = {j.pk for j in people if rule(getattr(j, field), on)}
            assert in_sql == in_python, (name, on)
        for band in rules.AGE_BANDS:
            in_sql = set(qs.filter(rules.age_band_q(band.key, on)).values_list("pk", flat=True))
            in_python = {j.pk for j in people if rules.age_band(j.date_of_birth, on) == band.key}
            assert in_sql == in_python, (band.key, on)
        in_sql = set(qs.filter(rules.case_open_q()).values_list("pk", flat=True))
        assert in_sql == {j.pk for j in people if rules.case_open(j.status)}
