"""The metrics against the hand-counted fixture in conftest.py, and their query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import metrics
from reports.metrics import Span

from . import factories as f


def rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_jeugdigen_by_grondslag(figures):
    t = metrics.jeugdigen_by_grondslag(figures.span)
    r = rows(t)
    assert r["Vrijstelling 5 onder a"] == [2, 1, 3]
    assert r["Absoluut verzuim"] == [1, 0, 1]
    assert r["Not yet leerplichtig (4 years old)"] == [0, 1, 1]
    assert t.total == ["Total", 3, 2, 5]


def test_jeugdigen_by_status(figures):
    r = rows(metrics.jeugdigen_by_status(figures.span))
    assert r["Registered"] == [1, 1]
    assert r["Conversation held"] == [1, 0]
    assert r["In development"] == [1, 1]
    assert r["Closed"] == [2, 1]
    assert r["In view"] == [0, 0]
    assert metrics.jeugdigen_by_status(figures.span).total == ["Total", 5, 3]


def test_age_bands_count_open_cases_only(figures):
    t = metrics.jeugdigen_by_age_band(figures.span)
    assert rows(t) == {"0–4": [0], "5–11": [1], "12–15": [1], "16–17": [1], "18+": [0]}
    assert t.total == ["Total", 3]


def test_worklist(figures):
    r = rows(metrics.worklist(figures.span))
    assert r["Contact overdue"] == [1]
    assert r["No contact in six months"] == [2]
    assert r["Renewal due within 60 days"] == [1]
    assert r["Renewal overdue"] == [1]
    assert r["Next step overdue"] == [1]  # two overdue steps, one jeugdige; done ones ignored


def test_interviews_in_period_by_respondent(figures):
    t = metrics.interviews_by_respondent(figures.span)
    assert rows(t) == {"parent / verzorger": [2, 1], "young person": [1, 1], "professional": [0, 0]}
    assert t.total == ["Total", 3, 2]


def test_current_activities_by_kind(figures):
    t = metrics.activities_by_kind(figures.span)
    r = rows(t)
    assert r["Care farm"] == [2, 1]
    assert r["Education"] == [1, 0]
    assert r["Day activity"] == [0, 0]  # ended
    assert t.total[1:] == [2, 1]


def test_obstacles(figures):
    t = metrics.obstacles_by_category(figures.span)
    assert rows(t)["transport"] == [1, 1]
    assert rows(t)["funding"] == [1, 0]
    assert rows(t)["laws and rules"] == [0, 0]  # region B's
    assert t.total == ["Total", 2, 1]
    m = rows(metrics.obstacles_by_level_status(figures.span))
    assert m["local"] == [1, 0, 0, 0, 0, 1]
    assert m["regional"] == [0, 0, 0, 1, 0, 1]
    assert m["national"] == [0, 1, 0, 0, 0, 1]


def test_moreel_beraad_in_period(figures):
    t = metrics.moreel_beraad_held(figures.span)
    assert rows(t)["dilemma method"] == [2]
    assert rows(t)["Socratic dialogue"] == [0]
    assert t.total == ["Total", 2]


def test_trend_totals(figures):
    t = metrics.trend_per_month(figures.span)
    assert len(t.rows) in (3, 4)  # the months the 90-day period touches
    assert t.total == ["Total", 5, 2, 3]
    this_month = figures.today.strftime("%m-%Y")
    assert rows(t)[this_month][0] == 5  # all registered today


def test_focus_by_reference_without_names(figures):
    t = metrics.focus_trajectories(figures.span)
    refs = [r[0] for r in t.rows]
    assert refs == sorted([figures.j1.reference, figures.j2.reference, figures.j5.reference])
    by_ref = {r[0]: r for r in t.rows}
    assert by_ref[figures.j1.reference][3] == 1
    assert by_ref[figures.j2.reference][3] == 7
    assert by_ref[figures.j5.reference][3] == 8
    assert by_ref[figures.j1.reference][6] == 2  # current activities
    flat = " ".join(str(c) for r in t.rows for c in r)
    for j in figures.people:
        assert j.given_name not in flat and j.family_name not in flat
    assert "111222333" not in flat


def test_learnings_published_only(figures):
    t = metrics.learnings_shared(figures.span)
    assert [r[0] for r in t.rows] == ["Ouders aan tafel"]


def test_key_counts_per_region_and_national_agenda(figures, world):
    span = Span.for_regions(None, figures.span.start, figures.today, figures.today)
    t = metrics.key_counts_per_region(span)
    by_name = {r[0]: r[1:] for r in t.rows}
    assert by_name[world.region_a.name] == [3, 2, 1, 3, 2, 2]
    assert by_name[world.region_b.name] == [1, 0, 0, 1, 1, 0]
    agenda = metrics.national_obstacle_agenda(span)
    assert [r[0] for r in agenda.rows] == ["Vervoer naar zorg"]
    assert "Geheime" not in str(agenda.rows)  # the description never leaves the region


def _count(fn, span) -> int:
    cache.clear()  # cold: the jeugdigen are counted (cases.counts), after reading the tokens
    with CaptureQueriesContext(connection) as ctx:
        fn(span)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "fn,expected",
    [
        # the case token and the jeugdigen (cases.counts), interviews (with the worklist's next
        # steps and the trend's months), family, activities, obstacles, moreel beraad, contacts
        (metrics.region_figures, 8),
        (metrics.focus_trajectories, 1),
        (metrics.learnings_shared, 2),
        # token, jeugdigen, rollout, regions, interviews, obstacles, moreel beraad, agenda,
        # contacts
        (metrics.national_figures, 9),
    ],
)
def test_query_counts_are_fixed_and_do_not_grow(figures, world, fn, expected):
    span = (
        figures.span
        if fn is not metrics.national_figures
        else Span.for_regions(None, figures.span.start, figures.today)
    )
    before = _count(fn, span)
    assert before == expected
    # ten times the data, in both regions
    for i in range(10):
        j = f.jeugdige(world.region_a, world.emmen, is_focus=True)
        f.activity(j)
        f.contact(j, figures.today - timedelta(days=i))
        f.interview(j, world.user("lpa_a"), figures.today - timedelta(days=i))
        f.obstacle(world.region_a)
        f.learning(
            world.region_a, world.user("kartrekker_a"), title=f"L{i}", themes=("parents", "funding")
        )
        f.jeugdige(world.region_b, world.assen)
    assert _count(fn, span) == before
