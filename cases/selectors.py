"""Reads on the jeugdige's dossier, always starting from the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from regions.models import Region
from wel import audit
from wel.access import scope_for
from wel.models import AuditEvent
from wel.sql import compiled, fetch
from wel.sql import rows as sql_rows

from . import counts, rules, search
from .filters import JeugdigeFilter
from .models import Jeugdige

# Kept for callers that name the window; the rule itself is cases.rules.renewal_due_soon.
RENEWAL_WINDOW_DAYS = rules.RENEWAL_SOON_DAYS


def jeugdigen_for_user(user) -> QuerySet[Jeugdige]:
    """The cases this user may see, with region, gemeente and assigned LPA joined."""
    return Jeugdige.objects.visible_to(user).select_related("region", "gemeente", "assigned_lpa")


def jeugdigen_list(*, user, filters) -> JeugdigeFilter:
    """The filtered case list (the FilterSet; ``.qs`` is the queryset), newest first by default."""
    qs = jeugdigen_for_user(user).order_by("-created_at", "-pk")
    return JeugdigeFilter(filters, queryset=qs, user=user)


# What a case-list row shows (cases.rows.case_list_rows).
CASE_LIST_COLUMNS = (
    "reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "grondslag",
    "status",
    "is_focus",
    "next_contact_due",
    "renewal_due",
    "gemeente__name",
    "assigned_lpa__full_name",
    "assigned_lpa__email",
)


def case_list_page(queryset: QuerySet[Jeugdige]) -> QuerySet[Jeugdige]:
    """The case list's queryset (:func:`jeugdigen_list`) reading only ``CASE_LIST_COLUMNS``
    with the municipality and LPA joined: whole cases with their region were ~3 ms of 25 rows.
    For the page only; the export reads whole cases."""
    return (
        queryset.select_related(None)
        .select_related("gemeente", "assigned_lpa")
        .only(*CASE_LIST_COLUMNS)
    )


@dataclass(frozen=True, slots=True)
class CaseListRow:
    """A case as a case-list row shows it (:data:`CASE_LIST_COLUMNS`, what
    :func:`cases.rows.case_list_rows` reads), read as a plain row; ``assigned_lpa`` is the LPA's
    label (``str()`` of the user: the name, else the e-mail address)."""

    pk: int
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    grondslag: str
    status: str
    is_focus: bool
    next_contact_due: dt.date | None
    renewal_due: dt.date | None
    gemeente: GemeenteName
    assigned_lpa_id: int | None
    assigned_lpa: str

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"reference": self.reference})


def case_list_page_rows(page_slice: QuerySet[Jeugdige], *, scope, sort: str) -> list[CaseListRow]:
    """The rows of one page of the unfiltered case list: ``page_slice`` is the paginator's
    unevaluated slice of :func:`case_list_page`, for a user of ``scope`` in the order ``sort``
    (the request's raw ``sort`` value, valid or not). Its SQL is built once per process for
    what it depends on — the scope, the order and the slice's bounds (the last page's end moves
    with the count) — and the rows are read as :class:`CaseListRow`: the ORM built the query
    and three models per row on every view, a tenth of the case list's CPU (issue 23).

    Only for the list without filters: a filter's text (a name, a BSN) is not kept in the
    per-process SQL cache."""
    query = page_slice.query
    rows = sql_rows(
        ("cases.list.page", scope, sort, query.low_mark, query.high_mark),
        lambda: page_slice.values(*CASE_LIST_VALUES),
    )
    return [case_list_row(row) for row in rows]


# What a CaseListRow is read from (values() names).
CASE_LIST_VALUES = ("pk", "gemeente_id", "assigned_lpa_id", *CASE_LIST_COLUMNS)


def case_list_row(row: dict) -> CaseListRow:
    """A :class:`CaseListRow` from a row of ``values(*CASE_LIST_VALUES)``."""
    return CaseListRow(
        pk=row["pk"],
        reference=row["reference"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        date_of_birth=row["date_of_birth"],
        grondslag=row["grondslag"],
        status=row["status"],
        is_focus=row["is_focus"],
        next_contact_due=row["next_contact_due"],
        renewal_due=row["renewal_due"],
        gemeente=GemeenteName(row["gemeente__name"]),
        assigned_lpa_id=row["assigned_lpa_id"],
        # as str(User)
        assigned_lpa=row["assigned_lpa__full_name"] or row["assigned_lpa__email"] or "",
    )


def jeugdige_get(*, user, reference: str) -> Jeugdige:
    """One case by reference, or 404 when it does not exist or is outside the user's scope.

    The case counts as shown to the user: unless the view records its own event, the audit
    middleware writes "case file viewed"; a 404 is logged "denied".
    """
    try:
        jeugdige = jeugdigen_for_user(user).get(reference=reference)
    except Jeugdige.DoesNotExist as exc:
        # Outside the scope (or absent): the 404 is logged "denied" on that case, if it exists.
        audit.refused(
            jeugdige=Jeugdige.objects.filter(reference=reference).only("pk", "reference").first()
        )
        raise Http404 from exc
    audit.shown(jeugdige=jeugdige, event=audit.events.JEUGDIGE_VIEWED)
    return jeugdige


def jeugdige_detail(*, jeugdige: Jeugdige) -> dict:
    """Everything the detail page shows, in a fixed number of queries."""
    return {
        "betrokkenen": list(jeugdige.betrokkenen.all()),
        "activiteiten": list(jeugdige.activiteiten.all()),
        "contacten": list(jeugdige.contacten.select_related("by")[:50]),
        "timeline": list(jeugdige.timeline.select_related("by")[:200]),
    }


def field_history(*, jeugdige: Jeugdige, limit: int | None = None) -> list[dict]:
    """Field-level changes, newest first: who, when, which field, old → new."""
    records = list(
        jeugdige.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    labels = {f.name: str(f.verbose_name) for f in Jeugdige._meta.fields}
    choices = {f.name: dict(f.flatchoices) for f in Jeugdige._meta.fields if f.choices}
    skip = {"version", "updated_at", "status_changed_at", "last_contact_on", "closed_on"}
    lines = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if older is None:
            lines.append(
                {"at": newer.history_date, "by": newer.history_user, "created": True, "changes": []}
            )
            continue
        delta = newer.diff_against(older)
        changes = [
            {
                "field": labels.get(c.field, c.field),
                "old": choices.get(c.field, {}).get(c.old, c.old),
                "new": choices.get(c.field, {}).get(c.new, c.new),
            }
            for c in delta.changes
            if c.field not in skip
        ]
        if changes:
            lines.append(
                {
                    "at": newer.history_date,
                    "by": newer.history_user,
                    "created": False,
                    "changes": changes,
                }
            )
    return lines[:limit] if limit else lines


def access_history(*, jeugdige: Jeugdige) -> QuerySet[AuditEvent]:
    """The case's own access log (who looked at or changed it), newest first."""
    return AuditEvent.objects.filter(jeugdige_id=jeugdige.pk).order_by("-occurred_at", "-pk")


def region_access_log(*, user) -> QuerySet[AuditEvent]:
    """The access log of every case in the regions this user leads (kartrekker), newest first;
    empty for anyone else."""
    region_ids = sorted(scope_for(user).kartrekker_region_ids)
    cases = Jeugdige.objects.filter(region_id__in=region_ids).values("pk")
    return AuditEvent.objects.filter(jeugdige_id__in=cases).order_by("-occurred_at", "-pk")


@dataclass(frozen=True, slots=True)
class GemeenteName:
    name: str


@dataclass(frozen=True, slots=True)
class WorklistRow:
    """A case as one worklist row shows it (:data:`WORKLIST_COLUMNS`), read as a plain row."""

    pk: int
    reference: str
    given_name: str
    family_name: str
    status: str
    next_contact_due: dt.date | None
    renewal_due: dt.date | None
    last_contact_on: dt.date | None
    gemeente: GemeenteName

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"reference": self.reference})


@dataclass(frozen=True, slots=True)
class FocusCase:
    """A focus case as the worklist's focus panel lists it."""

    reference: str
    gemeente: GemeenteName

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"reference": self.reference})


@dataclass
class Worklist:
    """Four lists of open cases, each the first ``limit`` in order of urgency, and their full
    counts. A case can be on more than one list."""

    contact_overdue: list[WorklistRow]
    renewal_overdue: list[WorklistRow]
    renewal_due_soon: list[WorklistRow]
    no_recent_contact: list[WorklistRow]
    counts: dict[str, int]
    limit: int

    @property
    def total(self) -> int:
        lists = (
            self.contact_overdue
            + self.renewal_overdue
            + self.renewal_due_soon
            + self.no_recent_contact
        )
        return len({j.pk for j in lists})


def worklist_queryset(*, user) -> QuerySet[Jeugdige]:
    """Open cases on this user's worklist: an LPA's own and unassigned ones; a kartrekker the
    whole region."""
    scope = scope_for(user)
    qs = jeugdigen_for_user(user).filter(rules.case_open_q())
    if not scope.is_kartrekker:
        qs = qs.filter(Q(assigned_lpa=user) | Q(assigned_lpa__isnull=True))
    return qs


def worklist_signals(today: dt.date) -> dict[str, Q]:
    """The worklist's signals on ``today`` as database filters, each made by :mod:`cases.rules`
    (the dashboard counts with the same rules). Keys as in :func:`worklist_counts`."""
    return {
        "contact_overdue": rules.contact_overdue_q(today),
        "renewal_overdue": rules.renewal_overdue_q(today),
        "renewal_due_soon": rules.renewal_due_soon_q(today),
        "no_recent_contact": rules.no_contact_q(today),
    }


# What a worklist row shows (cases.rows.worklist_rows) and what Worklist.total counts.
WORKLIST_COLUMNS = (
    "reference",
    "given_name",
    "family_name",
    "status",
    "next_contact_due",
    "renewal_due",
    "last_contact_on",
    "gemeente__name",
)
# Most urgent first, per section (the keys of worklist_signals).
WORKLIST_ORDER = {
    "contact_overdue": (F("next_contact_due").asc(), F("pk").asc()),
    "renewal_overdue": (F("renewal_due").asc(), F("pk").asc()),
    "renewal_due_soon": (F("renewal_due").asc(), F("pk").asc()),
    "no_recent_contact": (
        F("last_contact_on").asc(nulls_first=True),
        F("created_at").asc(),
        F("pk").asc(),
    ),
}


def worklist(*, user, today: dt.date | None = None, limit: int = 50) -> Worklist:
    """What needs attention: contacts overdue, renewals overdue, renewals due within
    ``rules.RENEWAL_SOON_DAYS`` days (not overdue), six months without contact; per section the
    ``limit`` most urgent (``WORKLIST_ORDER``) and the exact counts (:func:`worklist_counts`).

    On PostgreSQL the four sections are one ``UNION ALL`` query (each part ordered and limited
    by its own index); on a database that cannot order the parts of a union (SQLite, ``make
    run``) four queries. Each row carries only ``WORKLIST_COLUMNS``."""
    today = today or timezone.localdate()
    # Only the columns the worklist shows (cases.rows.worklist_rows), as plain rows: 200 rows of
    # whole cases with their region and LPA were a third of the page, and 200 deferred model
    # instances with their gemeenten still a sixth of it (issue 23).
    scope = scope_for(user)

    def parts() -> list[QuerySet]:
        base = worklist_queryset(user=user).select_related(None)
        signals = worklist_signals(today)
        return [
            base.filter(signals[key])
            .annotate(
                section=Value(key, output_field=CharField()),
                rank=Window(RowNumber(), order_by=list(order)),
            )
            .order_by(*order)
            .values_list("pk", *WORKLIST_COLUMNS, "section", "rank")[:limit]
            for key, order in WORKLIST_ORDER.items()
        ]

    sections: dict[str, list[WorklistRow]] = {key: [] for key in WORKLIST_ORDER}
    if connection.features.supports_slicing_ordering_in_compound:
        # One query whose SQL is built once per process for this scope and day (wel.sql): its
        # four parts took Django more CPU to build and compile than PostgreSQL to run.
        def union() -> QuerySet:
            first, *rest = parts()
            return first.union(*rest, all=True)

        alias, sql, params = compiled(("cases.worklist", scope, today, limit), union)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            found = sorted(cursor.fetchall(), key=lambda row: (row[-2], row[-1]))
    else:
        found = [row for part in parts() for row in part]
    for pk, *values, section, _rank in found:
        *fields, gemeente = values
        sections[section].append(WorklistRow(pk, *fields, gemeente=GemeenteName(gemeente)))
    return Worklist(**sections, counts=worklist_counts(user=user, today=today), limit=limit)


def worklist_counts(*, user, today: dt.date | None = None) -> dict[str, int]:
    """The four worklist numbers (for the start page and the worklist), exact; one query when
    no case of the user's regions changed since they were last counted, else two:
    ``contact_overdue``, ``renewal_overdue``, ``renewal_due_soon``, ``no_recent_contact``."""
    today = today or timezone.localdate()
    scope = scope_for(user)

    def build() -> QuerySet:
        aggregates = {key: Count("pk", filter=q) for key, q in worklist_signals(today).items()}
        return (
            worklist_queryset(user=user)
            .annotate(_all=Value(1, output_field=IntegerField()))
            .values("_all")
            .annotate(**aggregates)
            .order_by()
        )

    # The SQL built once per process for this scope and day (wel.sql); the counts exact, and
    # cached under the regions' case tokens (cases.counts): one small query to read.
    query = compiled(("cases.worklist_counts", scope, today), build)
    alias, sql, params = query

    def compute() -> dict[str, int]:
        rows = fetch(query)
        row = rows[0] if rows else {}
        return {key: row.get(key) or 0 for key in WORKLIST_ORDER}

    return counts.cached(
        key=(alias, sql, repr(params)), region_ids=scope.region_ids, compute=compute
    )


@dataclass
class FocusRegion:
    """A region on the worklist's focus panel: its open focus cases counted against its target
    (:func:`focus_panel`)."""

    pk: int
    name: str
    focus_target: int
    focus_count: int
    focus_cases: list[FocusCase]

    @property
    def focus_warning(self) -> bool:
        return self.focus_count != self.focus_target


def focus_panel(*, user) -> list[FocusRegion]:
    """Per region the user works in (by name): the open focus cases counted against the focus
    target.

    The count covers the whole region (a number, no personal data); the listed cases are only
    those the user may see. Two queries, their SQL built once per process for the user's
    regions (``wel.sql``; through the ORM they were a tenth of the worklist's CPU, issue 23).
    """
    scope = scope_for(user)
    region_ids = tuple(sorted(scope.region_ids))
    regions = sql_rows(
        ("cases.focus_panel.regions", region_ids),
        lambda: (
            Region.objects.filter(pk__in=region_ids)
            .order_by("name")
            .values("pk", "name", "focus_target")
        ),
    )
    # One query over the partial index on focus cases: every open focus case of the regions
    # (a region follows a handful), counted per region; listed are those the user may see
    # (the policy's single check, the same rule as visible_to).
    by_region: dict[int, list[FocusCase]] = {}
    counts: dict[int, int] = {}
    for row in sql_rows(
        ("cases.focus_panel.cases", region_ids),
        lambda: (
            Jeugdige.objects.filter(region__in=region_ids, is_focus=True)
            .filter(rules.case_open_q())
            .order_by("reference")
            .values("region_id", "gemeente_id", "reference", "gemeente__name")
        ),
    ):
        region_id = row["region_id"]
        counts[region_id] = counts.get(region_id, 0) + 1
        if scope.may_work_on_cases_in(region_id, row["gemeente_id"]):
            by_region.setdefault(region_id, []).append(
                FocusCase(row["reference"], GemeenteName(row["gemeente__name"]))
            )
    return [
        FocusRegion(
            pk=region["pk"],
            name=region["name"],
            focus_target=region["focus_target"],
            focus_count=counts.get(region["pk"], 0),
            focus_cases=by_region.get(region["pk"], []),
        )
        for region in regions
    ]


@dataclass(frozen=True)
class ReviewItem:
    reference: str
    name: str
    gemeente: str
    titles: tuple[str, ...]
    jeugdige_id: int | None = None  # for the processing log's line of the page that shows it


def review_list(*, user, limit: int = 50) -> tuple[list[ReviewItem], int]:
    """Open cases on the user's worklist whose recorded values do not meet a condition of the
    law (``RuleFinding``, not confirmed): the first ``limit`` by reference, and how many cases
    there are in all (for a kartrekker: the whole region). One query; a second one only to
    count when there are more findings than one page reads."""
    from .law_messages import TITLES
    from .models import RuleFinding

    read = limit * len(rules.CONDITION_CODES)

    def build() -> QuerySet:
        cases = worklist_queryset(user=user).order_by()
        return (
            RuleFinding.objects.filter(confirmed_at__isnull=True, jeugdige__in=cases.values("pk"))
            .order_by("jeugdige__reference", "code")
            .values_list(
                "jeugdige__reference",
                "jeugdige__given_name",
                "jeugdige__family_name",
                "jeugdige__gemeente__name",
                "code",
                "jeugdige_id",
            )[: read + 1]
        )

    # The SQL built once per process for the user's scope (wel.sql), as the worklist's own.
    alias, sql, params = compiled(("cases.review_list", scope_for(user), read), build)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    items: dict[str, ReviewItem] = {}
    for reference, given, family, gemeente, code, pk in rows[:read]:
        item = items.get(reference) or ReviewItem(reference, f"{given} {family}", gemeente, ())
        items[reference] = ReviewItem(
            item.reference,
            item.name,
            item.gemeente,
            (*item.titles, str(TITLES.get(code, code))),
            pk,
        )
    total = len(items)
    if len(rows) > read:
        cases = worklist_queryset(user=user).order_by()
        total = (
            RuleFinding.objects.filter(confirmed_at__isnull=True, jeugdige__in=cases.values("pk"))
            .values("jeugdige")
            .distinct()
            .count()
        )
    return list(items.values())[:limit], total


# -- the search box (issue 21 §1) ---------------------------------------------------------------
SEARCH_LIMIT = 50


@dataclass
class SearchResult:
    query: search.Query
    rows: list[CaseListRow]
    more: bool  # more than SEARCH_LIMIT matched: narrow the search


def search_cases(*, user, text: str) -> SearchResult:
    """The cases within the user's scope that ``text`` finds (:mod:`cases.search`): at most
    :data:`SEARCH_LIMIT`, open cases first, in two queries whatever the number of results."""
    query = search.parse(text)
    if query.kind not in ("bsn", "date_of_birth", "text"):
        return SearchResult(query=query, rows=[], more=False)
    qs = (
        Jeugdige.objects.visible_to(user)
        .filter(search.search_q(query))
        .order_by(
            Case(When(rules.case_open_q(), then=Value(0)), default=Value(1)),
            "family_name",
            "given_name",
            "pk",
        )
    )
    # As plain rows (CaseListRow): 51 cases with their municipality and LPA as models were
    # a tenth of the search's CPU.
    rows = [case_list_row(row) for row in qs.values(*CASE_LIST_VALUES)[: SEARCH_LIMIT + 1]]
    return SearchResult(query=query, rows=rows[:SEARCH_LIMIT], more=len(rows) > SEARCH_LIMIT)


# -- my team (issue 21 §2) ----------------------------------------------------------------------
@dataclass
class TeamRow:
    user_id: int | None
    name: str
    open_cases: int = 0
    contact_overdue: int = 0
    renewal_overdue: int = 0
    renewal_due_soon: int = 0


def team_overview(*, user, today: dt.date | None = None) -> list[TeamRow]:
    """The open cases this user may see, counted per assigned colleague (and "not assigned"),
    with the colleagues of their regions who have none: two queries. Figures only, no case."""
    from wel.models import NationalRole, User

    today = today or timezone.localdate()
    scope = scope_for(user)
    counts_by_user = {
        row["assigned_lpa"]: row
        for row in Jeugdige.objects.visible_to(user)
        .filter(rules.case_open_q())
        .order_by()
        .values("assigned_lpa")
        .annotate(
            open_cases=Count("pk"),
            contact_overdue=Count("pk", filter=rules.contact_overdue_q(today)),
            renewal_overdue=Count("pk", filter=rules.renewal_overdue_q(today)),
            renewal_due_soon=Count("pk", filter=rules.renewal_due_soon_q(today)),
        )
    }
    people = (
        User.objects.filter(
            Q(memberships__region_id__in=sorted(scope.region_ids), is_active=True)
            | Q(pk__in=[pk for pk in counts_by_user if pk is not None])
        )
        .exclude(national_role=NationalRole.BEHEERDER)
        .exclude(api_client__isnull=False)  # an API client's service account is no person
        .distinct()
        .order_by("full_name", "pk")
        .only("pk", "full_name", "email")
    )
    rows = []
    for person in people:
        found = counts_by_user.get(person.pk, {})
        rows.append(
            TeamRow(
                user_id=person.pk,
                name=str(person),
                **{
                    k: found.get(k, 0)
                    for k in (
                        "open_cases",
                        "contact_overdue",
                        "renewal_overdue",
                        "renewal_due_soon",
                    )
                },
            )
        )
    if None in counts_by_user:
        found = counts_by_user[None]
        rows.append(
            TeamRow(
                user_id=None,
                name="",
                **{
                    k: found[k]
                    for k in (
                        "open_cases",
                        "contact_overdue",
                        "renewal_overdue",
                        "renewal_due_soon",
                    )
                },
            )
        )
    return rows
