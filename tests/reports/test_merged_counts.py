"""The dashboards count each table once, with a conditional count per figure cell
(reports.metrics: InterviewCounts, ObstacleCounts, activities and family in one query each).
Here those merged counts are checked against a plain computation per figure, in Python over
the rows themselves with the rules of cases.rules, on varied data: both regions, dates on
either side of the period's and the months' edges, closed cases, done and future next steps,
ended activities, contributions near midnight. A filter dropped from one conditional count
(a kind, the period, the region, a status) makes one of these cells differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import rules
from cases.models import ContactMoment, Ontwikkelactiviteit, Status
from family.models import Contribution, Invitation
from interviews.models import (
    AgendaStatus,
    BelemmerendeFactor,
    Category,
    Interview,
    Level,
    NextStep,
)
from reports import metrics
from reports.metrics import Span

from . import factories as f

pytestmark = pytest.mark.django_db
_tokens = itertools.count(1)

KINDS = Interview.RespondentKind.values
ACTIVITY_KINDS = Ontwikkelactiviteit.Kind.values
AUDIENCES = Invitation.Audience.values


def _programme():
    """Cases in region A or B with interviews (and next steps), activities, contributions,
    contact moments; obstacles of either region. Offsets are days from "today"."""
    case = st.fixed_dictionaries(
        {
            "region_b": st.booleans(),
            "closed": st.booleans(),
            "interviews": st.lists(
                st.tuples(
                    st.sampled_from(KINDS),
                    st.integers(-130, 5),
                    st.lists(st.tuples(st.integers(-3, 3), st.booleans()), max_size=2),
                ),
                max_size=3,
            ),
            "activities": st.lists(
                st.tuples(
                    st.sampled_from(ACTIVITY_KINDS),
                    st.one_of(st.none(), st.integers(-3, 3)),
                    st.booleans(),
                ),
                max_size=3,
            ),
            "contributions": st.lists(
                st.tuples(st.sampled_from(AUDIENCES), st.integers(-100, 2), st.integers(0, 23)),
                max_size=2,
            ),
            "contacts": st.lists(st.integers(-130, 0), max_size=2),
        }
    )
    obstacle = st.tuples(
        st.booleans(),
        st.sampled_from(Category.values),
        st.sampled_from(Level.values),
        st.sampled_from(AgendaStatus.values),
    )
    return st.fixed_dictionaries(
        {
            "cases": st.lists(case, min_size=1, max_size=5),
            "obstacles": st.lists(obstacle, max_size=6),
        }
    )


def _build(world, programme: dict, today: dt.date) -> None:
    lpa = world.user("lpa_a")
    for c in programme["cases"]:
        region, gemeente = (
            (world.region_b, world.assen) if c["region_b"] else (world.region_a, world.emmen)
        )
        j = f.jeugdige(
            region, gemeente, status=Status.AFGESLOTEN if c["closed"] else Status.IN_BEELD
        )
        for kind, held, steps in c["interviews"]:
            interview = f.interview(j, lpa, today + dt.timedelta(days=held), kind=kind)
            for due, done in steps:
                f.next_step(interview, today + dt.timedelta(days=due), done=done)
        for kind, until, recognised in c["activities"]:
            f.activity(
                j,
                kind,
                until=None if until is None else today + dt.timedelta(days=until),
                recognised_by_education=recognised,
            )
        for audience, day, hour in c["contributions"]:
            when = timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=day), dt.time(hour, 30))
            )
            n = next(_tokens)
            invitation = Invitation.objects.create(
                jeugdige=j,
                audience=audience,
                purpose="before",
                delivery="letter",
                recipient_name="Ouder",
                token_hash=f"merged-{n}",
                code_hash="x",
                expires_at=when + dt.timedelta(days=30),
                created_by=lpa,
            )
            Contribution.objects.create(
                invitation=invitation, jeugdige=j, audience=audience, submitted_at=when
            )
        for day in c["contacts"]:
            f.contact(j, today + dt.timedelta(days=day))
    for region_b, category, level, status in programme["obstacles"]:
        f.obstacle(world.region_b if region_b else world.region_a, category, level, status)


def _expected(span: Span) -> dict:
    """Every merged figure, computed plainly: one pass over the rows per figure."""

    def in_span(region_id) -> bool:
        return span.region_ids is None or region_id in span.region_ids

    def in_period(day) -> bool:
        return span.start <= day <= span.end

    interviews = [
        i for i in Interview.objects.select_related("jeugdige") if in_span(i.jeugdige.region_id)
    ]
    held = [i for i in interviews if in_period(i.held_on)]
    out = {
        "interviews": {
            k: (
                sum(i.respondent_kind == k for i in held),
                len({i.jeugdige_id for i in held if i.respondent_kind == k}),
            )
            for k in KINDS
        },
        "interviews_total": (len(held), len({i.jeugdige_id for i in held})),
        "interviews_per_region": Counter(i.jeugdige.region_id for i in held),
    }
    months = span.trend_months()
    out["interviews_per_month"] = [
        sum(
            (i.held_on.year, i.held_on.month) == (m.year, m.month) and i.held_on <= span.end
            for i in interviews
        )
        for m in months
    ]
    contacts = [
        c for c in ContactMoment.objects.select_related("jeugdige") if in_span(c.jeugdige.region_id)
    ]
    out["contacts_per_month"] = [
        sum(
            (c.date.year, c.date.month) == (m.year, m.month) and c.date <= span.end
            for c in contacts
        )
        for m in months
    ]
    out["next_steps"] = len(
        {
            s.interview.jeugdige_id
            for s in NextStep.objects.select_related("interview__jeugdige")
            if in_span(s.interview.jeugdige.region_id)
            and rules.next_step_overdue(
                due_on=s.due_on, done=s.done, case_status=s.interview.jeugdige.status, on=span.today
            )
        }
    )
    current = [
        a
        for a in Ontwikkelactiviteit.objects.select_related("jeugdige")
        if in_span(a.jeugdige.region_id) and rules.activity_current(a.until, span.today)
    ]
    out["activities"] = {
        k: (
            len({a.jeugdige_id for a in current if a.kind == k}),
            len({a.jeugdige_id for a in current if a.kind == k and a.recognised_by_education}),
        )
        for k in ACTIVITY_KINDS
    }
    out["activities_total"] = (
        len({a.jeugdige_id for a in current}),
        len({a.jeugdige_id for a in current if a.recognised_by_education}),
    )
    given_ = [
        c
        for c in Contribution.objects.select_related("jeugdige")
        if in_span(c.jeugdige.region_id) and in_period(timezone.localtime(c.submitted_at).date())
    ]
    out["family"] = {
        k: (
            sum(c.audience == k for c in given_),
            len({c.jeugdige_id for c in given_ if c.audience == k}),
        )
        for k in AUDIENCES
    }
    out["family_total"] = (len(given_), len({c.jeugdige_id for c in given_}))
    obstacles = [o for o in BelemmerendeFactor.objects.all() if in_span(o.region_id)]
    out["obstacles"] = {
        k: (
            sum(o.category == k and not rules.obstacle_closed(o.status) for o in obstacles),
            sum(o.category == k and rules.obstacle_closed(o.status) for o in obstacles),
        )
        for k in Category.values
    }
    out["agenda"] = {
        (lv, st_): sum(o.level == lv and o.status == st_ for o in obstacles)
        for lv in Level.values
        for st_ in AgendaStatus.values
    }
    out["open_per_region"] = Counter(
        o.region_id for o in obstacles if not rules.obstacle_closed(o.status)
    )
    return out


def _by_key(tables) -> dict:
    return {t.key: t for t in tables}


def _check_region(span: Span) -> None:
    want = _expected(span)
    cache.clear()
    for tables in (
        _by_key(metrics.region_figures(span)),  # the merged counts, shared
        {  # each figure on its own (the PDF's way)
            "interviews": metrics.interviews_by_respondent(span),
            "activities": metrics.activities_by_kind(span),
            "family": metrics.family_contributions(span),
            "obstacles": metrics.obstacles_by_category(span),
            "agenda": metrics.obstacles_by_level_status(span),
            "trend": metrics.trend_per_month(span),
            "worklist": metrics.worklist(span),
        },
    ):
        t = tables["interviews"]
        assert [tuple(r[1:]) for r in t.rows] == [want["interviews"][k] for k in KINDS]
        assert tuple(t.total[1:]) == want["interviews_total"]
        t = tables["activities"]
        assert [tuple(r[1:]) for r in t.rows] == [want["activities"][k] for k in ACTIVITY_KINDS]
        assert tuple(t.total[1:]) == want["activities_total"]
        t = tables["family"]
        assert [tuple(r[1:]) for r in t.rows] == [want["family"][k] for k in AUDIENCES]
        assert tuple(t.total[1:]) == want["family_total"]
        _check_obstacles(tables, want)
        t = tables["trend"]
        assert [r[3] for r in t.rows] == want["interviews_per_month"]
        assert [r[2] for r in t.rows] == want["contacts_per_month"]
        assert tables["worklist"].rows[-1][1] == want["next_steps"]


def _check_obstacles(tables: dict, want: dict) -> None:
    t = tables["obstacles"]
    assert [tuple(r[1:]) for r in t.rows] == [want["obstacles"][k] for k in Category.values]
    t = tables["agenda"]
    for row, lv in zip(t.rows, Level.values, strict=True):
        cells = [want["agenda"][(lv, s)] for s in AgendaStatus.values]
        assert row[1:] == [*cells, sum(cells)]


def _check_national(span: Span, world) -> None:
    want = _expected(span)
    cache.clear()
    tables = _by_key(metrics.national_figures(span))
    _check_obstacles(tables, want)
    assert [r[3] for r in tables["trend"].rows] == want["interviews_per_month"]
    assert [r[2] for r in tables["trend"].rows] == want["contacts_per_month"]
    regions = tables["regions"]
    for row in regions.rows:
        code = row.key
        pk = {world.region_a.code: world.region_a.pk, world.region_b.code: world.region_b.pk}.get(
            code
        )
        assert regions.cell(code, "interviews") == want["interviews_per_region"].get(pk, 0), code
        assert regions.cell(code, "open_obstacles") == want["open_per_region"].get(pk, 0), code


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    programme=_programme(),
    start=st.integers(-120, 0),
    end=st.integers(-40, 0),
    today=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
)
def test_merged_counts_equal_a_plain_count_per_figure(world, programme, start, end, today):
    with transaction.atomic():
        _build(world, programme, today)
        # start after end too: metrics take any span, the views never ask for one
        day = lambda n: today + dt.timedelta(days=n)  # noqa: E731
        _check_region(Span.for_regions([world.region_a.pk], day(start), day(end), today))
        _check_national(Span.for_regions(None, day(start), day(end), today), world)
        transaction.set_rollback(True)


def test_merged_counts_at_the_edges(world):
    """A fixed programme that puts something on every edge: a different count in every cell,
    a day before and after the period, the first day of the trend's first month, region B,
    closed cases, done and not-yet-due next steps, an activity that ended yesterday."""
    today = dt.date(2026, 5, 20)
    start, end = dt.date(2026, 3, 10), dt.date(2026, 5, 18)
    kinds = {k: n + 1 for n, k in enumerate(KINDS)}  # 1, 2, 3 interviews in the period
    edge = [start - dt.timedelta(days=1), end + dt.timedelta(days=1), dt.date(2026, 3, 1)]
    programme = {
        "cases": [
            {
                "region_b": False,
                "closed": False,
                "interviews": [(k, (start - today).days + 3, []) for k, n in kinds.items()]
                + [(KINDS[1], (end - today).days, [(-1, False), (-2, True)])],
                "activities": [(ACTIVITY_KINDS[0], None, True), (ACTIVITY_KINDS[1], -1, True)],
                "contributions": [(AUDIENCES[0], -5, 0), (AUDIENCES[-1], -5, 23)],
                "contacts": [(start - today).days, (edge[2] - today).days],
            },
            {
                "region_b": False,
                "closed": False,
                "interviews": [(KINDS[2], (d - today).days, [(0, False)]) for d in edge]
                + [(KINDS[2], (start - today).days, [(1, False)])]
                + [(k, (start - today).days, []) for k, n in kinds.items() for _ in range(n - 1)],
                "activities": [(ACTIVITY_KINDS[0], 0, False), (ACTIVITY_KINDS[2], None, True)],
                "contributions": [(AUDIENCES[0], (start - today).days - 1, 23)],
                "contacts": [(end - today).days + 1],
            },
            {
                "region_b": False,
                "closed": True,
                "interviews": [(KINDS[0], -10, [(-5, False)])],
                "activities": [(ACTIVITY_KINDS[0], None, True)],
                "contributions": [(AUDIENCES[0], -3, 12)],
                "contacts": [-3],
            },
            {
                "region_b": True,
                "closed": False,
                "interviews": [(k, -10, [(-5, False)]) for k in KINDS],
                "activities": [(k, None, True) for k in ACTIVITY_KINDS],
                "contributions": [(a, -3, 12) for a in AUDIENCES],
                "contacts": [-3, -40],
            },
        ],
        "obstacles": [
            (region_b, category, level, status)
            for region_b in (False, True)
            for n, category in enumerate(Category.values)
            for level, status in [
                (Level.values[n % len(Level.values)], AgendaStatus.values[0]),
                (Level.values[0], AgendaStatus.values[n % len(AgendaStatus.values)]),
            ]
        ],
    }
    _build(world, programme, today)
    span = Span.for_regions([world.region_a.pk], start, end, today)
    want = _expected(span)
    # the programme does reach every kind of edge (else this test would prove little)
    assert [want["interviews"][k][0] for k in KINDS] == [2, 3, 4]
    assert want["next_steps"] == 1
    assert want["interviews_per_month"][0] == 9  # 7 in the period, 2 before its start
    assert want["activities"][ACTIVITY_KINDS[0]] == (3, 2) and want["activities_total"] == (3, 3)
    assert want["family_total"] == (3, 2)
    _check_region(span)
    _check_national(Span.for_regions(None, start, end, today), world)
