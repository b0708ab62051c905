"""Every figure shown anywhere — dashboards, PDFs, CSV/XLSX exports — comes from one function
here, so screen, paper and spreadsheet never disagree.

All counting happens in the database (``values().annotate(Count)``, conditional
``Count(filter=Q(...))``); each function runs a fixed number of queries whatever the amount of
data. Functions take a :class:`Span` (which regions, which period) and return a
:class:`~reports.tables.Table` of exact figures; suppression of small cells is applied once, by
the caller, through :func:`reports.tables.present`.

These functions do not check access: the views and the report builder decide who may see
which span, and at which level of detail (docs/reports.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import counts as case_counts
from cases import rules
from cases.models import ContactMoment, Grondslag, Jeugdige, Ontwikkelactiviteit, Status
from cases.selectors import worklist_signals  # the worklist's own filters, so both agree
from family.models import Contribution, Invitation
from interviews.models import (
    AgendaStatus,
    BelemmerendeFactor,
    Category,
    Interview,
    Level,
    MoreelBeraad,
    NextStep,
)
from regions.models import Learning, Region
from regions.selectors import rollout_progress

from .tables import Table

TRAJECTORY = [s for s in Status.values if rules.case_open(s)]  # the steps, in order


@dataclass(frozen=True)
class Span:
    """Which regions (``None``: all of them) and which period the figures are about."""

    region_ids: tuple[int, ...] | None
    start: date
    end: date
    today: date

    @classmethod
    def for_regions(
        cls, region_ids: Iterable[int] | None, start: date, end: date, today: date | None = None
    ) -> Span:
        ids = None if region_ids is None else tuple(sorted(region_ids))
        return cls(region_ids=ids, start=start, end=end, today=today or timezone.localdate())

    def q(self, field: str = "region") -> Q:
        return Q() if self.region_ids is None else Q(**{f"{field}_id__in": self.region_ids})

    def months(self) -> list[date]:
        first = self.start.replace(day=1)
        months, m = [], first
        while m <= self.end and len(months) < 36:
            months.append(m)
            m = (m + timedelta(days=32)).replace(day=1)
        return months


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _month_key(value) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _total(rows: list[list], count_columns: Iterable[int], label: str | None = None) -> list:
    total = [label or _("Total")]
    cols = list(count_columns)
    width = len(rows[0]) if rows else max(cols) + 1
    for i in range(1, width):
        total.append(sum(r[i] for r in rows if isinstance(r[i], int)) if i in cols else "")
    return total


# -- Running the counts ------------------------------------------------------------------------
# A count with dozens of conditional cells takes Django more CPU to build and compile than
# PostgreSQL takes to run it. The SQL of each question is therefore built once per process and
# run afresh on every call: only the text is kept, never a result.
_SQL: dict[tuple, tuple[str, str, tuple]] = {}
_SQL_LIMIT = 512


def _compiled(key: tuple, build: Callable[[], QuerySet]) -> tuple[str, str, tuple]:
    """(database alias, SQL, parameters) of the ``values()`` queryset that ``build()`` makes,
    built once per process for ``key``. ``key`` must name everything the SQL depends on besides
    the code (the question, the :class:`Span` with its ``today``, the options); the current time
    zone, which date rules turn into timestamps, is added here."""
    key = (timezone.get_current_timezone_name(), *key)
    found = _SQL.get(key)
    if found is None:
        queryset = build()
        sql, params = queryset.query.sql_with_params()
        found = (queryset.db, sql, tuple(params))
        if len(_SQL) >= _SQL_LIMIT:
            _SQL.clear()
        _SQL[key] = found
    return found


def _fetch(compiled: tuple[str, str, tuple]) -> list[dict]:
    """The rows of a :func:`_compiled` query, as dicts by column alias (the ``values()`` names)."""
    alias, sql, params = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _counted(
    key: tuple,
    queryset: Callable[[], QuerySet],
    aggregates: Callable[[], dict],
    group: str | None = None,
) -> list[dict]:
    """``aggregates()`` over ``queryset()``: one row (``group`` None) or one row per value of
    ``group``; one query, built once per process for ``key`` (:func:`_compiled`)."""

    def build() -> QuerySet:
        qs = queryset()
        if group is None:  # a constant: no GROUP BY, so exactly one row, zeros when empty
            qs = qs.annotate(_all=Value(1, output_field=IntegerField())).values("_all")
        else:
            qs = qs.values(group)
        return qs.annotate(**aggregates()).order_by()

    rows = _fetch(_compiled(key, build))
    for row in rows:
        row.pop("_all", None)
    return rows


# -- Jeugdigen ---------------------------------------------------------------------------------
class JeugdigeCounts:
    """The span's jeugdigen counted in ONE pass over the table, for every figure about them.

    With 100,000 jeugdigen in a region each pass costs tens of milliseconds, so the dashboards
    count once: grouped by grondslag, status and focus (and region), with a conditional count
    per month of the period and (``signals``) per age band and worklist signal. The
    figure functions add these groups up; called without counts, each makes its own (one query).
    """

    def __init__(self, span: Span, *, by_region: bool = False, signals: bool = True):
        self.span = span
        self.by_region, self.signals = by_region, signals
        self.months = months = _trend_months(span)

        def build() -> QuerySet:
            today, end = span.today, span.end
            after = _start_of(end + timedelta(days=1))
            aggregates = {"n": Count("pk")}
            for i, band in enumerate(rules.AGE_BANDS if signals else []):  # age on the end date
                q = rules.age_band_q(band.key, end)
                aggregates[f"age{i}"] = Count("pk", filter=q) if q else Count("pk")
            if signals:  # the worklist's signals (open cases are picked when adding up)
                for key, q in worklist_signals(today).items():
                    aggregates[key] = Count("pk", filter=q)
            for i, m in enumerate(months):  # as TruncMonth in the current time zone would group
                upper = _start_of((m + timedelta(days=32)).replace(day=1))
                aggregates[f"m{i}"] = Count(
                    "pk", filter=Q(created_at__gte=_start_of(m), created_at__lt=min(upper, after))
                )
            fields = ["grondslag", "status", "is_focus"] + (["region"] if by_region else [])
            return (
                Jeugdige.objects.filter(span.q()).values(*fields).annotate(**aggregates).order_by()
            )

        def compute() -> list[dict]:
            groups = _fetch(compiled)
            for g in groups:  # SQLite answers 0/1
                g["is_focus"] = bool(g["is_focus"])
            return groups

        compiled = _compiled(("jeugdigen", span, by_region, signals), build)
        alias, sql, params = compiled
        # Exact and cached under the regions' case tokens (cases.counts): with 100,000 cases in
        # a region this one query was over half the dashboard; unchanged cases are not recounted.
        # The key is the query's own SQL and parameters (cases.counts.query_key's shape).
        self.groups = case_counts.cached(
            key=(alias, sql, repr(params)),
            region_ids=span.region_ids,
            compute=compute,
        )

    def totals(self, fields: list[str], *, open_only: bool = False) -> dict[str, int]:
        """``fields`` each added up over all groups (open cases only if asked), in one pass."""
        out = dict.fromkeys(fields, 0)
        for g in self.groups:
            if open_only and not rules.case_open(g["status"]):
                continue
            for f in fields:
                out[f] += g[f]
        return out

    def by(self, key: str, field: str = "n", *, open_only: bool = False, **match) -> dict:
        """``field`` added up per value of ``key`` over the groups matching ``match``."""
        out: dict = {}
        conditions = tuple(match.items())
        for g in self.groups:
            if open_only and not rules.case_open(g["status"]):
                continue
            for k, v in conditions:
                if g[k] != v:
                    break
            else:
                value = g[key]
                out[value] = out.get(value, 0) + g[field]
        return out


def jeugdige_counts(span: Span, *, by_region: bool = False, signals: bool = True) -> JeugdigeCounts:
    """The span's jeugdigen counted once for several figures (see :class:`JeugdigeCounts`):
    per region if ``by_region``; with the age bands and worklist signals if ``signals``."""
    return JeugdigeCounts(span, by_region=by_region, signals=signals)


def _counts(
    span: Span, counts: JeugdigeCounts | None, *, by_region: bool = False, signals: bool = False
) -> JeugdigeCounts:
    """``counts`` if they fit the span and hold what the figure needs, else fresh ones."""
    if (
        counts is None
        or counts.span != span
        or (by_region and not counts.by_region)
        or (signals and not counts.signals)
    ):
        return jeugdige_counts(span, by_region=by_region, signals=signals)
    return counts


def jeugdigen_by_grondslag(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Jeugdigen registered, per grondslag: open and closed. One query, none with ``counts``."""
    c = _counts(span, counts)
    total = c.by("grondslag")
    open_ = c.by("grondslag", open_only=True)
    labels = _labels(Grondslag.choices)
    rows = []
    for value in Grondslag.values:
        n_open = open_.get(value, 0)
        n_closed = total.get(value, 0) - n_open
        rows.append([labels[value], n_open, n_closed, n_open + n_closed])
    return Table(
        key="grondslag",
        caption=_("Jeugdigen by grondslag"),
        columns=[_("Grondslag"), _("Open"), _("Closed"), _("Total")],
        rows=rows,
        total=_total(rows, (1, 2, 3)),
        count_columns=(1, 2, 3),
        row_total_column=3,
    )


def jeugdigen_by_status(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Jeugdigen per step of the trajectory (closed last), with the focus cases. One query,
    none with ``counts``."""
    c = _counts(span, counts)
    n, focus = c.by("status"), c.by("status", is_focus=True)
    labels = _labels(Status.choices)
    rows = [[labels[s], n.get(s, 0), focus.get(s, 0)] for s in Status.values]
    return Table(
        key="status",
        caption=_("Jeugdigen by step in the trajectory"),
        columns=[_("Step"), _("Jeugdigen"), _("Of which focus")],
        rows=rows,
        total=_total(rows, (1, 2)),
        count_columns=(1, 2),
    )


def jeugdigen_by_age_band(span: Span, counts: JeugdigeCounts | None = None) -> Table:
    """Open cases per age band on the period's end date (no dates of birth leave). One query,
    none with ``counts``."""
    c = _counts(span, counts, signals=True)
    n = c.totals([f"age{i}" for i in range(len(rules.AGE_BANDS))], open_only=True)
    rows = [[band.label, n[f"age{i}"]] for i, band in enumerate(rules.AGE_BANDS)]
    return Table(
        key="age",
        caption=_("Open cases by age"),
        columns=[_("Age (years)"), _("Jeugdigen")],
        rows=rows,
        total=_total(rows, (1,)),
    )


def _start_of(day: date):
    """Local midnight at the start of ``day`` (an aware datetime): a range filter that can use
    an index, unlike ``__date`` which converts every row."""
    return timezone.make_aware(datetime.combine(day, time.min))


def focus_trajectories(span: Span) -> Table:
    """The focus cases by reference (no names): step, since when, last contact, activities.
    One query."""
    labels = _labels(Status.choices)
    qs = (
        Jeugdige.objects.filter(span.q(), is_focus=True)
        .annotate(
            activities=Count(
                "activiteiten", filter=rules.activity_current_q(span.today, "activiteiten__")
            )
        )
        .order_by("region__name", "reference")
        .values(
            "reference",
            "region__name",
            "grondslag",
            "status",
            "status_changed_at",
            "last_contact_on",
            "activities",
        )
    )
    grondslagen = _labels(Grondslag.choices)
    steps = len(TRAJECTORY)
    rows = []
    for j in qs:
        step = TRAJECTORY.index(j["status"]) + 1 if j["status"] in TRAJECTORY else steps + 1
        rows.append(
            [
                j["reference"],
                grondslagen.get(j["grondslag"], j["grondslag"]),
                labels.get(j["status"], j["status"]),
                step,
                timezone.localtime(j["status_changed_at"]).date()
                if j["status_changed_at"]
                else None,
                j["last_contact_on"],
                j["activities"],
            ]
        )
    return Table(
        key="focus",
        caption=_("Focus jeugdigen through the trajectory"),
        columns=[
            _("Reference"),
            _("Grondslag"),
            _("Step"),
            _("Step number (of %(n)s)") % {"n": steps + 1},
            _("Step since"),
            _("Last contact"),
            _("Current activities"),
        ],
        rows=rows,
        count_columns=(3,),
        number_columns=(3, 6),
        sensitive=False,  # no counts of children; references are pseudonymous (docs/security.md)
        description=_("Step reached per focus jeugdige, 1 is registered, %(n)s is closed.")
        % {"n": steps + 1},
    )


def worklist(
    span: Span, counts: JeugdigeCounts | None = None, interviews: InterviewCounts | None = None
) -> Table:
    """Open cases per worklist signal (the worklist's own filters, ``cases.rules``): contact
    overdue, six months without contact, renewal due soon, renewal overdue, and a next step
    overdue. Two queries; none with ``counts`` and ``interviews`` (made with ``next_steps``)."""
    today = span.today
    jc = _counts(span, counts, signals=True)
    c = jc.totals(
        ["contact_overdue", "no_recent_contact", "renewal_due_soon", "renewal_overdue"],
        open_only=True,
    )
    steps = _interview_counts(span, interviews, next_steps=True).total["next_steps"]
    rows = [
        [_("Contact overdue"), c["contact_overdue"]],
        [_("No contact in six months"), c["no_recent_contact"]],
        [
            _("Renewal due within %(n)s days") % {"n": rules.RENEWAL_SOON_DAYS},
            c["renewal_due_soon"],
        ],
        [_("Renewal overdue"), c["renewal_overdue"]],
        [_("Next step overdue"), steps],
    ]
    return Table(
        key="worklist",
        caption=_("Worklist: jeugdigen needing attention"),
        columns=[_("Signal"), _("Jeugdigen")],
        rows=rows,
        description=_("Open cases per signal on %(day)s.") % {"day": today.strftime("%d-%m-%Y")},
    )


# -- Conversations, development, obstacles, moreel beraad --------------------------------------
def _next_month(m: date) -> date:
    return (m + timedelta(days=32)).replace(day=1)


def _added_up(rows: list[dict], group: str | None) -> tuple[dict, dict]:
    """The counts of ``rows`` summed over the groups (``total``) and per value of ``group``."""
    total: dict = {}
    for row in rows:
        for key, value in row.items():
            if key != group:
                total[key] = total.get(key, 0) + (value or 0)
    return total, ({row[group]: row for row in rows} if group else {})


class InterviewCounts:
    """The span's interviews counted in ONE query for every figure about them, with a
    conditional count (``Count(filter=...)``) per figure cell:

    - ``n``: held in the period; per respondent kind ``n<i>`` (``Interview.RespondentKind``
      order) and, unless ``by_region``, the jeugdigen they were about (``jeugdigen``, ``j<i>``);
    - ``m<i>``: held per month of the trend (``_trend_months``, up to the period's end);
    - ``next_steps`` (if asked): open cases with an overdue next step, the worklist's rule
      (``cases.rules.next_step_overdue_q``); then every interview of the span is read, as any
      of them can have one.

    ``total`` holds the counts (summed over the regions); ``by_region_id`` (``by_region``) the
    same per region pk. A jeugdige belongs to one region, so distinct counts add up exactly.
    """

    def __init__(self, span: Span, *, by_region: bool = False, next_steps: bool = False):
        self.span, self.by_region, self.next_steps = span, by_region, next_steps
        self.months = months = _trend_months(span)
        in_period = Q(held_on__gte=span.start, held_on__lte=span.end)

        def aggregates() -> dict:
            out = {"n": Count("pk", filter=in_period)}
            if not by_region:
                out["jeugdigen"] = Count("jeugdige", distinct=True, filter=in_period)
            for i, kind in enumerate(Interview.RespondentKind.values):
                q = in_period & Q(respondent_kind=kind)
                out[f"n{i}"] = Count("pk", filter=q)
                if not by_region:
                    out[f"j{i}"] = Count("jeugdige", distinct=True, filter=q)
            for i, m in enumerate(months):  # as TruncMonth would group, within the period
                month = Q(held_on__gte=m, held_on__lt=_next_month(m), held_on__lte=span.end)
                out[f"m{i}"] = Count("pk", filter=month)
            if next_steps:
                overdue = NextStep.objects.filter(
                    rules.next_step_overdue_q(span.today), interview=OuterRef("pk")
                )
                out["next_steps"] = Count("jeugdige", distinct=True, filter=Q(Exists(overdue)))
            return out

        def queryset() -> QuerySet:
            qs = Interview.objects.filter(span.q("jeugdige__region"))
            if next_steps:  # any interview can have an overdue next step
                return qs
            return qs.filter(held_on__gte=min(span.start, months[0]), held_on__lte=span.end)

        group = "jeugdige__region" if by_region else None
        rows = _counted(("interviews", span, by_region, next_steps), queryset, aggregates, group)
        self.total, self.by_region_id = _added_up(rows, group)
        for key in ["n", *(f"m{i}" for i in range(len(months)))]:  # no rows (by region)
            self.total.setdefault(key, 0)

    def per_month(self) -> dict[date, int]:
        return {m: self.total[f"m{i}"] for i, m in enumerate(self.months)}


def interview_counts(
    span: Span, *, by_region: bool = False, next_steps: bool = False
) -> InterviewCounts:
    """The span's interviews counted once for several figures (see :class:`InterviewCounts`)."""
    return InterviewCounts(span, by_region=by_region, next_steps=next_steps)


def _interview_counts(
    span: Span,
    counts: InterviewCounts | None,
    *,
    kinds: bool = False,
    by_region: bool = False,
    next_steps: bool = False,
) -> InterviewCounts:
    """``counts`` if they fit the span and hold what the figure needs, else fresh ones."""
    if (
        counts is None
        or counts.span != span
        or (kinds and counts.by_region)
        or (by_region and not counts.by_region)
        or (next_steps and not counts.next_steps)
    ):
        return interview_counts(span, by_region=by_region, next_steps=next_steps)
    return counts


def interviews_by_respondent(span: Span, interviews: InterviewCounts | None = None) -> Table:
    """Interviews held in the period per respondent kind, and for how many jeugdigen. One
    query, none with ``interviews`` (not made ``by_region``)."""
    t = _interview_counts(span, interviews, kinds=True).total
    labels = _labels(Interview.RespondentKind.choices)
    rows = [
        [labels[k], t[f"n{i}"], t[f"j{i}"]] for i, k in enumerate(Interview.RespondentKind.values)
    ]
    return Table(
        key="interviews",
        caption=_("Interviews held by respondent"),
        columns=[_("Respondent"), _("Interviews"), _("Jeugdigen")],
        rows=rows,
        total=[_("Total"), t["n"], t["jeugdigen"]],
        count_columns=(1, 2),
    )


def activities_by_kind(span: Span) -> Table:
    """Jeugdigen with a current development activity, per kind; how many of those are
    recognised by education. One query: a conditional distinct count per kind, and the
    distinct totals (a jeugdige with two kinds counts once there)."""

    def aggregates() -> dict:
        recognised = Q(recognised_by_education=True)
        out = {
            "j": Count("jeugdige", distinct=True),
            "r": Count("jeugdige", distinct=True, filter=recognised),
        }
        for i, kind in enumerate(Ontwikkelactiviteit.Kind.values):
            out[f"j{i}"] = Count("jeugdige", distinct=True, filter=Q(kind=kind))
            out[f"r{i}"] = Count("jeugdige", distinct=True, filter=Q(kind=kind) & recognised)
        return out

    def queryset() -> QuerySet:
        return Ontwikkelactiviteit.objects.filter(span.q("jeugdige__region")).filter(
            rules.activity_current_q(span.today)
        )

    (c,) = _counted(("activities", span), queryset, aggregates)
    labels = _labels(Ontwikkelactiviteit.Kind.choices)
    rows = [
        [labels[k], c[f"j{i}"], c[f"r{i}"]] for i, k in enumerate(Ontwikkelactiviteit.Kind.values)
    ]
    return Table(
        key="activities",
        caption=_("Development that is there, by kind"),
        columns=[_("Kind"), _("Jeugdigen"), _("Recognised by education")],
        rows=rows,
        total=[_("Jeugdigen with any activity"), c["j"], c["r"]],
        count_columns=(1, 2),
    )


def family_contributions(span: Span) -> Table:
    """Parents and young people who wrote in their own words (family app), submitted in the
    period: answers per audience and for how many jeugdigen. One query: conditional counts
    per audience, and the totals (distinct jeugdigen over all audiences)."""

    def aggregates() -> dict:
        out = {"n": Count("pk"), "j": Count("jeugdige", distinct=True)}
        for i, audience in enumerate(Invitation.Audience.values):
            out[f"n{i}"] = Count("pk", filter=Q(audience=audience))
            out[f"j{i}"] = Count("jeugdige", distinct=True, filter=Q(audience=audience))
        return out

    def queryset() -> QuerySet:
        return Contribution.objects.filter(
            span.q("jeugdige__region"),
            submitted_at__date__gte=span.start,
            submitted_at__date__lte=span.end,
        )

    (c,) = _counted(("family", span), queryset, aggregates)
    labels = _labels(Invitation.Audience.choices)
    rows = [[labels[k], c[f"n{i}"], c[f"j{i}"]] for i, k in enumerate(Invitation.Audience.values)]
    return Table(
        key="family",
        caption=_("Parents and young people contributed themselves"),
        columns=[_("Who"), _("Contributions"), _("Jeugdigen")],
        rows=rows,
        total=[_("Total"), c["n"], c["j"]],
        count_columns=(1, 2),
    )


class ObstacleCounts:
    """The span's belemmerende factoren counted in ONE query for every figure about them, a
    conditional count per cell: ``open``; per category ``c<i>_open`` and ``c<i>_closed``
    (``Category`` order, ``cases.rules.obstacle_closed_q``); per level and agenda status
    ``l<i>_s<j>`` (``Level`` and ``AgendaStatus`` order). ``total`` holds them summed over the
    regions, ``by_region_id`` (``by_region``) per region pk."""

    def __init__(self, span: Span, *, by_region: bool = False):
        self.span, self.by_region = span, by_region

        def aggregates() -> dict:
            closed = rules.obstacle_closed_q()
            out = {"open": Count("pk", filter=~closed)}
            for i, category in enumerate(Category.values):
                out[f"c{i}_open"] = Count("pk", filter=Q(category=category) & ~closed)
                out[f"c{i}_closed"] = Count("pk", filter=Q(category=category) & closed)
            for i, level in enumerate(Level.values):
                for j, status in enumerate(AgendaStatus.values):
                    out[f"l{i}_s{j}"] = Count("pk", filter=Q(level=level, status=status))
            return out

        def queryset() -> QuerySet:
            return BelemmerendeFactor.objects.filter(span.q())

        group = "region" if by_region else None
        rows = _counted(("obstacles", span, by_region), queryset, aggregates, group)
        self.total, self.by_region_id = _added_up(rows, group)
        keys = ["open"] + [
            f"c{i}_{s}" for i in range(len(Category.values)) for s in ("open", "closed")
        ]
        keys += [
            f"l{i}_s{j}" for i in range(len(Level.values)) for j in range(len(AgendaStatus.values))
        ]
        for key in keys:  # no rows at all (by region): every count is 0
            self.total.setdefault(key, 0)


def obstacle_counts(span: Span, *, by_region: bool = False) -> ObstacleCounts:
    """The span's obstacles counted once for several figures (see :class:`ObstacleCounts`)."""
    return ObstacleCounts(span, by_region=by_region)


def _obstacle_counts(
    span: Span, counts: ObstacleCounts | None, *, by_region: bool = False
) -> ObstacleCounts:
    if counts is None or counts.span != span or (by_region and not counts.by_region):
        return obstacle_counts(span, by_region=by_region)
    return counts


def obstacles_by_category(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren per category: open and solved. One query, none with
    ``obstacles``."""
    t = _obstacle_counts(span, obstacles).total
    labels = _labels(Category.choices)
    rows = [[labels[k], t[f"c{i}_open"], t[f"c{i}_closed"]] for i, k in enumerate(Category.values)]
    return Table(
        key="obstacles",
        caption=_("Belemmerende factoren by category"),
        columns=[_("Category"), _("Open"), _("Solved or closed")],
        rows=rows,
        total=_total(rows, (1, 2)),
        count_columns=(1, 2),
    )


def obstacles_by_level_status(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren: level (rows) against agenda status (columns). One query, none
    with ``obstacles``."""
    t = _obstacle_counts(span, obstacles).total
    levels, statuses = _labels(Level.choices), _labels(AgendaStatus.choices)
    rows = []
    for i, lv in enumerate(Level.values):
        cells = [t[f"l{i}_s{j}"] for j in range(len(AgendaStatus.values))]
        rows.append([levels[lv], *cells, sum(cells)])
    n = len(AgendaStatus.values)
    return Table(
        key="agenda",
        caption=_("Belemmerende factoren by level and agenda status"),
        columns=[_("Level"), *[statuses[s] for s in AgendaStatus.values], _("Total")],
        rows=rows,
        total=_total(rows, range(1, n + 2)),
        count_columns=tuple(range(1, n + 2)),
        row_total_column=n + 1,
        chart="",
    )


def moreel_beraad_held(span: Span) -> Table:
    """Moreel beraad sessions held in the period, per method. One query."""
    counts = {
        row["method"]: row["n"]
        for row in MoreelBeraad.objects.filter(
            span.q(), held_on__gte=span.start, held_on__lte=span.end
        )
        .values("method")
        .annotate(n=Count("pk"))
        .order_by()
    }
    labels = _labels(MoreelBeraad.Method.choices)
    rows = [[labels[m], counts.get(m, 0)] for m in MoreelBeraad.Method.values]
    return Table(
        key="beraad",
        caption=_("Moreel beraad sessions held, by method"),
        columns=[_("Method"), _("Sessions")],
        rows=rows,
        total=_total(rows, (1,)),
        sensitive=False,  # sessions of professionals, not counts of children
    )


def _trend_months(span: Span) -> list[date]:
    return span.months() or [span.end.replace(day=1)]


def trend_per_month(
    span: Span, counts: JeugdigeCounts | None = None, interviews: InterviewCounts | None = None
) -> Table:
    """Per month of the period: jeugdigen registered, contact moments, interviews held.
    Three queries; one (the contact moments) with ``counts`` and ``interviews``."""
    months = _trend_months(span)
    first = months[0]
    jc = _counts(span, counts)
    n = jc.totals([f"m{i}" for i in range(len(jc.months))])
    registered = {m: n[f"m{i}"] for i, m in enumerate(jc.months)}
    contacts = {
        _month_key(row["m"]): row["n"]
        for row in ContactMoment.objects.filter(
            span.q("jeugdige__region"), date__gte=first, date__lte=span.end
        )
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    }
    held = _interview_counts(span, interviews).per_month()
    rows = [
        [m.strftime("%m-%Y"), registered.get(m, 0), contacts.get(m, 0), held.get(m, 0)]
        for m in months
    ]
    return Table(
        key="trend",
        caption=_("Trend per month"),
        columns=[_("Month"), _("Registered"), _("Contact moments"), _("Interviews")],
        rows=rows,
        total=_total(rows, (1, 2, 3)),
        count_columns=(1, 2, 3),
        chart="columns",
    )


def learnings_shared(span: Span) -> Table:
    """Published learnings of the regions in the period: title, kind, themes. Two queries."""
    qs = (
        Learning.objects.filter(
            span.q(),
            status=Learning.Status.PUBLISHED,
            published_at__date__gte=span.start,
            published_at__date__lte=span.end,
        )
        .select_related("region")
        .prefetch_related("themes")
        .order_by("-published_at")
    )
    rows = [
        [
            lr.title,
            lr.region.name if lr.region_id else _("National team"),
            lr.get_kind_display(),
            ", ".join(str(t) for t in lr.theme_labels),
            timezone.localtime(lr.published_at).date() if lr.published_at else None,
        ]
        for lr in qs
    ]
    return Table(
        key="learnings",
        caption=_("Learnings shared"),
        columns=[_("Title"), _("Region"), _("Kind"), _("Themes"), _("Published")],
        rows=rows,
        count_columns=(),
        chart="",
        sensitive=False,
    )


# -- National ----------------------------------------------------------------------------------
def rollout(span: Span | None = None) -> Table:
    """Regions joined per phase against the targets 3/14/42/75 (regions.selectors)."""
    rows = [[str(p.phase), p.joined, p.cumulative, p.target, p.percent] for p in rollout_progress()]
    return Table(
        key="rollout",
        caption=_("Rollout: regions joined against the target"),
        columns=[
            _("Phase"),
            _("Joined in phase"),
            _("Total joined"),
            _("Target"),
            _("Percentage of target"),
        ],
        rows=rows,
        count_columns=(2,),
        number_columns=(1, 2, 3, 4),
        sensitive=False,
    )


def key_counts_per_region(
    span: Span,
    counts: JeugdigeCounts | None = None,
    interviews: InterviewCounts | None = None,
    obstacles: ObstacleCounts | None = None,
) -> Table:
    """Per region: open cases, focus cases, interviews in the period, open obstacles and moreel
    beraad sessions in the period. Five queries whatever the number of regions; two (the
    regions, the moreel beraad) with ``counts``, ``interviews`` and ``obstacles`` all made
    ``by_region``."""
    regions = list(
        Region.objects.filter(_region_pk_q(span))
        .select_related("phase")
        .order_by("phase__number", "name")
        .values("pk", "name", "code", "phase__number")
    )

    def grouped(qs, field: str, **aggregates) -> dict:
        return {row[field]: row for row in qs.values(field).annotate(**aggregates).order_by()}

    jc = _counts(span, counts, by_region=True)
    open_, focus = jc.by("region", open_only=True), jc.by("region", open_only=True, is_focus=True)
    developing = jc.by("region", status=Status.IN_ONTWIKKELING)
    cases = {
        pk: {
            "open": open_.get(pk, 0),
            "focus": focus.get(pk, 0),
            "developing": developing.get(pk, 0),
        }
        for pk in set(open_) | set(developing)
    }
    interviews = _interview_counts(span, interviews, by_region=True).by_region_id
    obstacles = _obstacle_counts(span, obstacles, by_region=True).by_region_id
    beraad = grouped(
        MoreelBeraad.objects.filter(span.q(), held_on__gte=span.start, held_on__lte=span.end),
        "region",
        n=Count("pk"),
    )
    rows = []
    for r in regions:
        c = cases.get(r["pk"], {})
        rows.append(
            [
                r["name"],
                c.get("open", 0),
                c.get("focus", 0),
                c.get("developing", 0),
                interviews.get(r["pk"], {}).get("n", 0),
                obstacles.get(r["pk"], {}).get("open", 0),
                beraad.get(r["pk"], {}).get("n", 0),
            ]
        )
    return Table(
        key="regions",
        caption=_("Key figures per region"),
        columns=[
            _("Region"),
            _("Open cases"),
            _("Focus"),
            _("In development"),
            _("Interviews"),
            _("Open obstacles"),
            _("Moreel beraad"),
        ],
        rows=rows,
        total=_total(rows, range(1, 7)) if rows else None,
        count_columns=(1, 2, 3, 4, 5),  # moreel beraad sessions are not about children
        number_columns=(1, 2, 3, 4, 5, 6),
        chart="",
        extra={
            "codes": [r["code"] for r in regions],
            "phases": [r["phase__number"] for r in regions],
        },
    )


def _region_pk_q(span: Span) -> Q:
    return Q() if span.region_ids is None else Q(pk__in=span.region_ids)


def national_obstacle_agenda(span: Span) -> Table:
    """Obstacles put on the national agenda: only the shareable summary, never the description
    or a link to a case. One query."""
    categories, statuses = _labels(Category.choices), _labels(AgendaStatus.choices)
    qs = (
        BelemmerendeFactor.objects.filter(span.q(), level=Level.NATIONAL)
        .order_by("status", "-escalated_at", "pk")
        .values(
            "shareable_summary", "category", "status", "region__name", "agenda_where", "agenda_on"
        )
    )
    rows = [
        [
            o["shareable_summary"],
            categories.get(o["category"], o["category"]),
            statuses.get(o["status"], o["status"]),
            o["region__name"],
            o["agenda_where"],
            o["agenda_on"],
        ]
        for o in qs
    ]
    return Table(
        key="national_agenda",
        caption=_("National obstacle agenda"),
        columns=[
            _("Obstacle (shareable summary)"),
            _("Category"),
            _("Status"),
            _("Raised by region"),
            _("On the agenda at"),
            _("Since"),
        ],
        rows=rows,
        count_columns=(),
        chart="",
        sensitive=False,
    )


def region_figures(span: Span) -> list[Table]:
    """Everything on a region dashboard, in order. The jeugdigen, the interviews and the
    obstacles are each counted once (one query each; the jeugdigen cached, cases.counts)."""
    counts = jeugdige_counts(span)
    interviews = interview_counts(span, next_steps=True)
    obstacles = obstacle_counts(span)
    return [
        jeugdigen_by_grondslag(span, counts),
        jeugdigen_by_status(span, counts),
        jeugdigen_by_age_band(span, counts),
        worklist(span, counts, interviews),
        interviews_by_respondent(span, interviews),
        family_contributions(span),
        activities_by_kind(span),
        obstacles_by_category(span, obstacles),
        obstacles_by_level_status(span, obstacles),
        moreel_beraad_held(span),
        trend_per_month(span, counts, interviews),
    ]


def national_figures(span: Span) -> list[Table]:
    """Everything on the national dashboard, in order (aggregates only). The jeugdigen, the
    interviews and the obstacles are each counted once, per region."""
    counts = jeugdige_counts(span, by_region=True, signals=False)  # no age bands, no worklist
    interviews = interview_counts(span, by_region=True)
    obstacles = obstacle_counts(span, by_region=True)
    return [
        rollout(span),
        key_counts_per_region(span, counts, interviews, obstacles),
        jeugdigen_by_status(span, counts),
        jeugdigen_by_grondslag(span, counts),
        obstacles_by_category(span, obstacles),
        obstacles_by_level_status(span, obstacles),
        national_obstacle_agenda(span),
        trend_per_month(span, counts, interviews),
    ]
