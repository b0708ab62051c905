"""The Leerplichtwet article by article (version 2015-04-30 of BWBR0002628): each grondslag's
conditions, the yearly notice, the statement's age, the 36 663 advice and the counts of the
year overview. Boundary tables: the day before, on and after each edge; a one-day change to
any edge in cases/rules.py fails a row here."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import rules
from cases.models import Grondslag, Jeugdige

D = dt.date
A5, B5, C5 = Grondslag.VRIJSTELLING_5A, Grondslag.VRIJSTELLING_5B, Grondslag.VRIJSTELLING_5C
ART5A, ART15 = Grondslag.ARTIKEL_5A, Grondslag.ARTIKEL_15
V3A, V3B = Grondslag.VERVANGENDE_LEERPLICHT_3A, Grondslag.VERVANGENDE_LEERPLICHT_3B
AV = Grondslag.ABSOLUUT_VERZUIM


def test_choice_values_repeated_in_rules_match_the_models():
    values = {
        rules.GRONDSLAG_5A: A5,
        rules.GRONDSLAG_5B: B5,
        rules.GRONDSLAG_5C: C5,
        rules.GRONDSLAG_ARTIKEL_5A: ART5A,
        rules.GRONDSLAG_15: ART15,
        rules.GRONDSLAG_3A: V3A,
        rules.GRONDSLAG_3B: V3B,
        rules.GRONDSLAG_VERVANGEND_UNSPECIFIED: Grondslag.VERVANGENDE_LEERPLICHT,
        rules.GRONDSLAG_ABSOLUUT_VERZUIM: AV,
    }
    assert all(k == v for k, v in values.items()) and set(values) <= set(Grondslag.values)
    assert rules.CLOSED_ENROLLED == "ingeschreven_school"


# -- art. 6 lid 2 onder b, lid 3: the yearly notice --------------------------------------------
@pytest.mark.parametrize(
    "grondslag, start, end, duration, due",
    [
        # the first 1 July after the start (field case 23: never due before it starts)
        (A5, D(2027, 1, 15), D(2027, 7, 31), "", D(2027, 7, 1)),
        (A5, D(2027, 7, 10), D(2028, 7, 31), "", D(2028, 7, 1)),
        (A5, D(2027, 6, 30), None, "", D(2027, 7, 1)),  # the day before 1 July
        (A5, D(2027, 7, 1), None, "", D(2028, 7, 1)),  # on 1 July: next year's
        (A5, D(2027, 7, 2), None, "", D(2028, 7, 1)),
        (A5, D(2026, 7, 31), None, "", D(2027, 7, 1)),
        (A5, D(2026, 8, 1), D(2029, 7, 31), "", D(2027, 7, 1)),  # field case 14
        # ends before that 1 July: no longer claimed then, no yearly notice
        (A5, D(2027, 7, 10), D(2027, 7, 31), "", None),
        (A5, D(2026, 8, 1), D(2027, 6, 30), "", None),
        (A5, D(2026, 8, 1), D(2027, 7, 1), "", D(2027, 7, 1)),
        # art. 6 lid 3: never able to attend
        (A5, D(2026, 8, 1), None, "whole_period", None),
        # every art. 5 ground (field case 22)
        (B5, D(2026, 8, 1), D(2027, 7, 31), "", D(2027, 7, 1)),
        (C5, D(2026, 8, 1), D(2027, 7, 31), "", D(2027, 7, 1)),
        (B5, D(2026, 8, 1), D(2027, 7, 31), "whole_period", D(2027, 7, 1)),
        # without a start: the end's school year
        (A5, None, D(2027, 7, 31), "", D(2027, 7, 1)),
        (A5, None, D(2027, 3, 31), "", None),
        (A5, None, None, "", None),
        # no yearly notice for these
        (ART5A, D(2026, 8, 1), None, "", None),
        (ART15, D(2026, 8, 1), D(2027, 7, 31), "", None),
        (V3B, D(2026, 8, 1), D(2027, 7, 31), "", None),
        (AV, D(2026, 8, 1), D(2027, 7, 31), "", None),
        # art. 3a lid 5: at least eight weeks before the period ends
        (V3A, D(2026, 8, 1), D(2027, 7, 31), "", D(2027, 6, 6)),
        (V3A, D(2026, 8, 1), D(2027, 7, 30), "", D(2027, 6, 5)),
        (V3A, D(2027, 6, 5), D(2027, 7, 31), "", D(2027, 6, 6)),
        (V3A, D(2027, 6, 6), D(2027, 7, 31), "", None),  # shorter than eight weeks
        (V3A, D(2026, 8, 1), None, "", None),
    ],
)
def test_renewal_due(grondslag, start, end, duration, due):
    assert rules.renewal_due(grondslag=grondslag, start=start, end=end, duration=duration) == due


@pytest.mark.parametrize(
    "start, end, due, fits",
    [
        (D(2026, 8, 1), None, D(2027, 7, 1), True),
        (D(2026, 8, 1), None, D(2028, 7, 1), True),  # after a yearly notice: the next 1 July
        (D(2026, 8, 1), None, D(2027, 7, 2), False),
        (D(2026, 8, 1), None, D(2027, 6, 30), False),
        (D(2026, 8, 1), None, D(2026, 7, 1), False),  # before the first one
        (D(2026, 8, 1), None, None, False),  # missing
        (D(2026, 8, 1), D(2028, 6, 30), D(2028, 7, 1), False),  # after the end
        (D(2026, 8, 1), D(2028, 7, 1), D(2028, 7, 1), True),
        (D(2027, 7, 10), D(2027, 7, 31), None, True),  # none due, none given
        (D(2027, 7, 10), D(2027, 7, 31), D(2027, 7, 1), False),  # field case 23's old date
    ],
)
def test_renewal_date_fits(start, end, due, fits):
    assert rules.renewal_date_fits(grondslag=A5, start=start, end=end, duration="", due=due) is fits


@pytest.mark.parametrize(
    "previous, notice, following",
    [
        (D(2027, 7, 1), D(2027, 6, 30), D(2028, 7, 1)),  # in time
        (D(2027, 7, 1), D(2027, 3, 1), D(2028, 7, 1)),
        (D(2027, 7, 1), D(2027, 7, 1), D(2028, 7, 1)),  # late on the day
        (D(2027, 7, 1), D(2028, 7, 1), D(2029, 7, 1)),  # a year late
        (D(2027, 7, 1), D(2028, 6, 30), D(2028, 7, 1)),
    ],
)
def test_next_yearly_notice_due(previous, notice, following):
    assert rules.next_yearly_notice_due(previous, notice) == following


# -- art. 7: the statement at most three months old -------------------------------------------
@pytest.mark.parametrize(
    "statement, notice, too_old",
    [
        (D(2027, 1, 15), D(2027, 4, 14), False),
        (D(2027, 1, 15), D(2027, 4, 15), False),  # exactly three months
        (D(2027, 1, 15), D(2027, 4, 16), True),
        (D(2026, 11, 30), D(2027, 2, 28), False),  # three months: 28 February
        (D(2026, 11, 30), D(2027, 3, 1), True),
        (D(2027, 11, 30), D(2028, 2, 29), False),  # leap year
        (D(2027, 11, 30), D(2028, 3, 1), True),
        (D(2027, 5, 31), D(2027, 8, 31), False),
        (D(2027, 5, 31), D(2027, 9, 1), True),
        (D(2027, 1, 15), D(2026, 12, 1), False),  # a statement after the notice: not "old"
        (None, D(2027, 4, 16), False),
        (D(2027, 1, 15), None, False),
    ],
)
def test_statement_too_old(statement, notice, too_old):
    assert rules.statement_too_old(statement, notice) is too_old


# -- art. 3, 4a, 4b: leerplicht and kwalificatieplicht -----------------------------------------
DOB = D(2010, 3, 14)  # full leerplicht ends 31-07-2026; 18 on 14-03-2028


@pytest.mark.parametrize(
    "on, startkwalificatie, exempt, applies",
    [
        (D(2026, 7, 31), None, False, False),  # last day of the full leerplicht
        (D(2026, 8, 1), None, False, True),  # art. 4b: "direct na het einde"
        (D(2028, 3, 13), None, False, True),
        (D(2028, 3, 14), None, False, False),  # 18
        (D(2027, 6, 30), D(2027, 7, 1), False, True),
        (D(2027, 7, 1), D(2027, 7, 1), False, False),  # startkwalificatie obtained
        (D(2027, 1, 1), None, True, False),  # art. 4a lid 2
    ],
)
def test_kwalificatieplichtig_on(on, startkwalificatie, exempt, applies):
    assert rules.leerplicht_end(DOB) == D(2026, 7, 31)
    assert (
        rules.kwalificatieplichtig_on(
            DOB, on, startkwalificatie_on=startkwalificatie, exempt_4a_lid_2=exempt
        )
        is applies
    )


@pytest.mark.parametrize(
    "startkwalificatie, end",
    [(None, D(2028, 3, 14)), (D(2027, 6, 1), D(2027, 6, 1)), (D(2029, 1, 1), D(2028, 3, 14))],
)
def test_kwalificatieplicht_end_with_a_startkwalificatie(startkwalificatie, end):
    assert rules.kwalificatieplicht_end(DOB, startkwalificatie) == end
    assert rules.kwalificatieplicht_ended(DOB, end, startkwalificatie)
    assert not rules.kwalificatieplicht_ended(DOB, end - dt.timedelta(days=1), startkwalificatie)


# -- the conditions ------------------------------------------------------------------------------
def codes(**values) -> list[tuple[str, str]]:
    return [(f.code, f.level) for f in rules.findings(rules.Facts(**values))]


@pytest.mark.parametrize(
    "start, found",
    [
        (D(2026, 7, 31), [("art15_kwalificatieplicht", "error")]),  # still full leerplicht
        (D(2026, 8, 1), []),
        (D(2028, 3, 13), []),
        (D(2028, 3, 14), [("art15_kwalificatieplicht", "error")]),  # 18
    ],
)
def test_art15_only_within_the_kwalificatieplicht(start, found):
    assert codes(grondslag=ART15, date_of_birth=DOB, exemption_start=start) == found
    # the same dates on another ground: not this rule
    assert codes(grondslag=B5, date_of_birth=DOB, exemption_start=start, renewal_due=None) in (
        [],
        [("renewal_date", "review")],
    )


def test_art15_not_for_a_young_person_of_art_4a_lid_2():
    found = codes(
        grondslag=ART15,
        date_of_birth=DOB,
        exemption_start=D(2027, 1, 1),
        kwalificatieplicht_exempt="praktijkonderwijs",
    )
    assert found == [("art15_kwalificatieplicht", "error")]


@pytest.mark.parametrize(
    "start, found",
    [
        (D(2024, 3, 13), [("art3a_age", "error")]),  # the day before the 14th birthday
        (D(2024, 3, 14), []),
    ],
)
def test_3a_from_the_age_of_14(start, found):
    end = rules.school_year_end(start)
    renewal = rules.renewal_due(grondslag=V3A, start=start, end=end)
    assert (
        codes(
            grondslag=V3A,
            date_of_birth=DOB,
            exemption_start=start,
            exemption_end=end,
            renewal_due=renewal,
        )
        == found
    )


@pytest.mark.parametrize(
    "grondslag, end, found",
    [
        (V3A, D(2025, 7, 31), []),
        (V3A, D(2025, 8, 1), [("vervangend_one_school_year", "error")]),
        (V3A, None, [("vervangend_one_school_year", "error")]),
        (V3B, D(2026, 7, 31), []),
        (V3B, D(2026, 8, 1), [("vervangend_one_school_year", "error")]),
    ],
)
def test_vervangende_leerplicht_for_one_school_year(grondslag, end, found):
    start = D(2024, 8, 1) if grondslag == V3A else D(2025, 8, 1)
    renewal = rules.renewal_due(grondslag=grondslag, start=start, end=end)
    got = codes(
        grondslag=grondslag,
        date_of_birth=DOB,
        exemption_start=start,
        exemption_end=end,
        renewal_due=renewal,
    )
    assert got == found


@pytest.mark.parametrize(
    "start, end, found",
    [
        # DOB 14-03-2010 turns 16 in school year 2025-2026: the last school year
        (D(2025, 8, 1), D(2026, 7, 31), []),
        (D(2026, 7, 31), D(2026, 7, 31), []),
        (D(2026, 8, 1), D(2027, 7, 31), [("art3b_after_leerplicht", "error")]),
        (D(2025, 7, 31), D(2025, 7, 31), [("art3b_before_last_year", "warning")]),
    ],
)
def test_3b_for_the_last_school_year(start, end, found):
    got = codes(grondslag=V3B, date_of_birth=DOB, exemption_start=start, exemption_end=end)
    assert got == found


@pytest.mark.parametrize("grondslag", [B5, C5, ART5A, ART15, AV, V3A])
def test_whole_period_is_for_5_onder_a_only(grondslag):
    found = codes(grondslag=grondslag, exemption_duration="whole_period")
    assert ("whole_period_5a_only", "error") in found
    assert codes(grondslag=A5, exemption_duration="whole_period") == []


@pytest.mark.parametrize(
    "start, end, warned",
    [
        (D(2027, 3, 1), D(2027, 10, 31), False),
        (D(2027, 2, 28), D(2027, 10, 31), True),  # before March
        (D(2027, 3, 1), D(2027, 11, 1), True),  # into November
        (D(2027, 3, 1), None, True),  # open-ended (field case 19)
        (D(2027, 11, 1), D(2027, 12, 31), True),
    ],
)
def test_artikel_5a_for_march_to_october(start, end, warned):
    found = codes(grondslag=ART5A, exemption_start=start, exemption_end=end)
    assert found == ([("artikel_5a_season", "warning")] if warned else [])


def test_statement_condition_is_for_5_onder_a():
    old = {"doctor_statement_date": D(2027, 1, 15), "notice_date": D(2027, 4, 16)}
    assert codes(grondslag=A5, **old) == [("statement_too_old", "error")]
    assert codes(grondslag=A5, **old | {"notice_date": D(2027, 4, 15)}) == []
    assert codes(grondslag=B5, **old) == []


def test_vervangende_leerplicht_without_its_article_is_for_review():
    assert codes(grondslag="vervangende_leerplicht") == [("vervangend_article", "review")]


@pytest.mark.parametrize(
    "end, exceeds",
    [
        (D(2027, 7, 31), False),
        (D(2027, 8, 1), True),
        (None, False),
    ],
)
def test_the_5a_maximum_duration_is_one_constant(end, exceeds, monkeypatch):
    kw = {"grondslag": A5, "start": D(2026, 8, 1), "end": end}
    assert rules.EXEMPTION_5A_MAX_SCHOOL_YEARS is None  # the law read sets no maximum
    assert not rules.exemption_5a_exceeds_max(**kw)
    assert rules.exemption_5a_exceeds_max(**kw, max_school_years=1) is exceeds
    assert rules.exemption_5a_exceeds_max(**kw, max_school_years=2) is False
    assert not rules.exemption_5a_exceeds_max(**kw, duration="whole_period", max_school_years=1)
    monkeypatch.setattr(rules, "EXEMPTION_5A_MAX_SCHOOL_YEARS", 1)
    found = codes(grondslag=A5, exemption_start=D(2026, 8, 1), exemption_end=end)
    assert (("exemption_5a_max", "error") in found) is exceeds


@pytest.mark.parametrize(
    "notice, required_from, required",
    [
        (D(2027, 12, 31), D(2028, 1, 1), False),
        (D(2028, 1, 1), D(2028, 1, 1), True),
        (D(2028, 1, 2), D(2028, 1, 1), True),
        (D(2028, 1, 2), None, False),  # off: a bill, not law
        (None, D(2028, 1, 1), False),
    ],
)
def test_advice_required_from_the_configured_date(notice, required_from, required):
    assert (
        rules.advice_required(grondslag=A5, notice_on=notice, required_from=required_from)
        is required
    )
    assert not rules.advice_required(grondslag=B5, notice_on=notice, required_from=required_from)
    facts = rules.Facts(grondslag=A5, notice_date=notice)
    found = [f.code for f in rules.findings(facts, advice_required_from=required_from)]
    assert ("advice_missing" in found) is required
    complete = rules.Facts(
        grondslag=A5,
        notice_date=notice,
        advice_date=notice,
        advice_by="SWV orthopedagoog",
        advice_conclusion="Onderwijs op maat thuis",
    )
    assert not rules.findings(complete, advice_required_from=required_from)


def test_a_condition_is_checked_only_for_the_input_it_is_about():
    old_statement = rules.Facts(
        grondslag=A5,
        doctor_statement_date=D(2020, 1, 1),
        notice_date=D(2021, 1, 1),
        exemption_duration="",
    )
    assert [f.code for f in rules.findings(old_statement)] == ["statement_too_old"]
    for unrelated in (
        {"consent_date", "consent_by"},
        {"notes"},
        {"next_contact_due"},
        {"assigned_lpa", "is_focus"},
        set(),
    ):
        assert rules.findings(old_statement, changed=unrelated) == []
    assert rules.findings(old_statement, changed={"notice_date"})


def test_every_condition_has_a_message_and_a_title():
    from cases.law_messages import TITLES, _messages

    assert set(rules.CONDITION_CODES) == set(_messages()) == set(TITLES)


# -- the year overview (art. 25) ----------------------------------------------------------------
Y = rules.SchoolYear(2025)  # 01-08-2025 – 31-07-2026


def test_school_year():
    assert (Y.start, Y.end, Y.label) == (D(2025, 8, 1), D(2026, 7, 31), "2025-2026")
    assert rules.SchoolYear.parse("2025-2026") == Y
    assert rules.SchoolYear.parse("2025/26") == Y
    assert rules.SchoolYear.containing(D(2026, 7, 31)) == Y
    assert rules.SchoolYear.containing(D(2026, 8, 1)) == rules.SchoolYear(2026)
    for bad in ("2025-2027", "2025", "x", "2025-2025", "", "9999-10000"):
        with pytest.raises(ValueError):
            rules.SchoolYear.parse(bad)


def facts(**kw) -> rules.CountFacts:
    return rules.CountFacts(**({"grondslag": AV, "registered_on": D(2026, 3, 1)} | kw))


@pytest.mark.parametrize(
    "kw, counted",
    [
        ({"registered_on": D(2026, 7, 31)}, True),  # the last day
        ({"registered_on": D(2026, 8, 1)}, False),  # the next school year
        ({"registered_on": D(2020, 1, 1), "closed_on": D(2025, 7, 31)}, False),
        ({"registered_on": D(2020, 1, 1), "closed_on": D(2025, 8, 1)}, True),
        ({"exemption_start": D(2026, 7, 31), "registered_on": D(2027, 1, 1)}, True),
        ({"exemption_start": D(2026, 8, 1), "registered_on": D(2020, 1, 1)}, False),
        ({"exemption_start": D(2024, 8, 1), "exemption_end": D(2025, 7, 31)}, False),
        ({"exemption_start": D(2024, 8, 1), "exemption_end": D(2025, 8, 1)}, True),
    ],
)
def test_in_school_year(kw, counted):
    assert rules.in_school_year(facts(**kw), Y) is counted


@pytest.mark.parametrize(
    "registered, closed, long",
    [
        (D(2026, 3, 1), D(2026, 6, 1), False),  # exactly three months
        (D(2026, 3, 1), D(2026, 6, 2), True),
        (D(2026, 4, 30), None, True),  # still open at the end of the school year
        (D(2026, 4, 30), D(2026, 7, 30), False),
        (D(2026, 4, 30), D(2026, 7, 31), True),
        (D(2026, 5, 1), None, False),  # open: three months end 01-08, after 31-07
        (D(2026, 4, 30), D(2026, 9, 1), True),  # closed after the year: counted to 31 July
        (D(2025, 11, 30), D(2026, 2, 28), False),  # three months: 28 February
        (D(2025, 11, 30), D(2026, 3, 1), True),
    ],
)
def test_absence_longer_than_three_months(registered, closed, long):
    c = facts(registered_on=registered, closed_on=closed)
    assert rules.absence_longer_than_three_months(c, Y) is long
    assert rules.absence_longer_than_three_months(c, Y, as_of=D(2026, 8, 15)) is long
    other = facts(registered_on=registered, closed_on=closed, grondslag=A5)
    assert not rules.absence_longer_than_three_months(other, Y)


@pytest.mark.parametrize(
    "as_of, long",
    [
        (D(2026, 6, 1), False),  # a school year still running: counted to today
        (D(2026, 6, 2), True),
        (None, True),
    ],
)
def test_absence_in_a_running_school_year_is_counted_to_today(as_of, long):
    c = facts(registered_on=D(2026, 3, 1))
    assert rules.absence_longer_than_three_months(c, Y, as_of=as_of) is long


@pytest.mark.parametrize(
    "closed, reason, solved",
    [
        (D(2026, 7, 31), "ingeschreven_school", True),
        (D(2025, 8, 1), "ingeschreven_school", True),
        (D(2026, 8, 1), "ingeschreven_school", False),  # the next school year
        (D(2025, 7, 31), "ingeschreven_school", False),  # the school year before
        (D(2026, 3, 1), "passend_aanbod", False),
        (D(2026, 3, 1), "verhuisd", False),
        (None, "", False),
    ],
)
def test_absence_solved_in_the_school_year(closed, reason, solved):
    c = facts(registered_on=D(2025, 6, 1), closed_on=closed, closing_reason=reason)
    assert rules.absence_solved_in_year(c, Y) is solved


def test_every_count_row_has_its_grondslag():
    assert {r.grondslag for r in rules.COUNT_ROWS} >= {A5, B5, C5, ART5A, ART15, V3A, V3B, AV}
    assert len(rules.COUNT_KEYS) == len(set(rules.COUNT_KEYS))


days = st.dates(min_value=D(2023, 1, 1), max_value=D(2028, 12, 31))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.none() | days,
    end=st.none() | days,
    closed=st.none() | days,
    registered=days,
)
def test_in_school_year_q_selects_what_the_rule_says(world, start, end, closed, registered):
    """The database side of in_school_year equals the Python side, on random cases."""
    from django.utils import timezone

    from tests.cases.factories import JeugdigeFactory

    if start and end and end < start:
        start, end = end, start
    j = JeugdigeFactory(
        region=world.region_a,
        gemeente=world.emmen,
        exemption_start=start,
        exemption_end=end,
        created_at=timezone.make_aware(dt.datetime.combine(registered, dt.time(12))),
    )
    Jeugdige.objects.filter(pk=j.pk).update(closed_on=closed)
    c = rules.CountFacts(
        grondslag=j.grondslag,
        registered_on=registered,
        exemption_start=start,
        exemption_end=end,
        closed_on=closed,
    )
    for year in (rules.SchoolYear(2024), Y, rules.SchoolYear(2026)):
        in_db = Jeugdige.objects.filter(pk=j.pk).filter(rules.in_school_year_q(year)).exists()
        assert in_db is rules.in_school_year(c, year), (year, c)
    j.delete()
