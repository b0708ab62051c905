"""Reads of the reports app. Who sees which figures at which level of detail:

- members of a region (kartrekker; LPAs read-only) see its dashboard with exact figures;
- the landelijk team sees every region's dashboard and the national one, always protected by
  statistical disclosure control (reports.sdc), and for the standard period only;
- a beheerder sees no dashboards or reports (no case content, not even aggregated);
- another region's dashboard answers 404.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from regions.models import Region
from wel import memo
from wel.access import Scope, scope_for

from . import metrics, release, snapshot
from .charts import chart_for
from .html import table_body
from .models import Report
from .tables import Column, Row, Table


def may_see_dashboards(scope: Scope) -> bool:
    return scope.works_in_region or scope.is_landelijk_team


def may_request_region_report(scope: Scope, region_id: int) -> bool:
    return scope.may_lead(region_id) or scope.is_landelijk_team


def region_report_audience(scope: Scope, region_id: int) -> str | None:
    """The audience of a region report this user asks for: "regio" (exact, confidential) for
    the region's kartrekker, "landelijk" (protected) for the landelijk team, else None."""
    if scope.may_lead(region_id):
        return Report.Audience.REGIO
    if scope.is_landelijk_team:
        return Report.Audience.LANDELIJK
    return None


def may_request(scope: Scope, report: Report) -> bool:
    """May this user ask for (or retry) this report: its kind, scope and audience."""
    if report.kind == Report.Kind.REGION_PROGRESS:
        if report.audience == Report.Audience.REGIO:
            return scope.may_lead(report.region_id)
        return scope.is_landelijk_team
    return scope.is_landelijk_team


def suppress_for(scope: Scope, region_id: int | None) -> bool:
    """Exact figures for the region's own members; protected (and the standard period only)
    for everyone else."""
    return region_id is None or scope.role_in(region_id) is None


def dashboard_region_get(*, user, code: str) -> Region:
    """The region for its dashboard: 403 for roles without dashboards, 404 outside scope."""
    if not may_see_dashboards(scope_for(user)):
        raise PermissionDenied
    return get_object_or_404(Region.objects.visible_to(user).select_related("phase"), code=code)


@functools.lru_cache(maxsize=1024)
def _region_dashboard_url(code: str, prefix: str) -> str:
    """A region dashboard's address, reversed once per code and script prefix: the national
    dashboard links 75 regions in each of its per-region tables (3,000 ``reverse`` calls were
    a tenth of its CPU; issue 23)."""
    return reverse("reports:region_dashboard", kwargs={"code": code})


@dataclass
class Shown:
    table: Table
    chart: str

    @property
    def anchor(self) -> str:
        return f"t-{self.table.key}"

    @property
    def linked_rows(self) -> list[tuple[list, str | None]]:
        """Rows with a link for the row label: a region's dashboard in "per region" tables
        (whose row keys are the regions' codes)."""
        if self.table.extra.get("row_keys") != "region codes":
            return [(row, None) for row in self.table.rows]
        prefix = get_script_prefix()
        return [(row, _region_dashboard_url(row.key, prefix)) for row in self.table.rows]

    @property
    def table_html(self) -> str:
        """The table's head, rows and total as markup (built once, see reports/html.py)."""
        links = [link for _row, link in self.linked_rows]
        return memo.remembered("table", lambda: table_body(self.table, links), self.table, links)


def _shown(tables: list[Table]) -> list[Shown]:
    return [
        Shown(table=t, chart=memo.remembered("chart", lambda t=t: chart_for(t), t)) for t in tables
    ]


def region_tables(
    *, user, region: Region, start: date, end: date, only: str | None = None
) -> list[Table]:
    """The region dashboard's tables, as this user may see them: everything, exact, for the
    region's own members; for anyone else (the landelijk team) the region's key figures from
    the national release and its moreel beraad sessions only (:func:`national_region_tables`).
    ``only``: just the table with that key (an export)."""
    if suppress_for(scope_for(user), region.pk):
        tables = national_region_tables(region=region)
    else:
        span = metrics.Span.for_regions([region.pk], start, end)
        tables = [*metrics.region_figures(span), metrics.focus_trajectories(span)]
    if only is not None:
        tables = [t for t in tables if t.key == only]
    return tables


def national_release(*, start: date, end: date) -> release.Protected:
    """The one protected release national roles see (reports.release), for the standard
    period."""
    return release.national(metrics.Span.for_regions(None, start, end))


def region_key_figures(
    protected: release.Protected | snapshot.Snapshot, code: str, name: str
) -> Table:
    """A region's row of the release's key figures as a table of its own: the same cells,
    the same marks (a view of the release, not a new figure)."""
    per_region = protected.tables["regions"]
    counts = [c for c in per_region.columns if c.count or c.key == "beraad"]
    return Table(
        key="keyfigures",
        caption=_("Key figures of %(name)s") % {"name": name},
        columns=[Column("figure", _("Figure")), Column("number", _("Number"), count=True)],
        rows=[Row(c.key, [str(c.label), per_region.cell(code, c.key)]) for c in counts],
        suppressed=True,
        ranges={
            (c.key, "number"): rng for c in counts if (rng := per_region.ranges.get((code, c.key)))
        },
        description=_(
            "The region's figures as the national team sees them: the same cells as in the key "
            "figures per region, no breakdowns per region."
        ),
    )


def national_region_tables(*, region: Region) -> list[Table]:
    """What a national role sees of one region (docs/reports.md, "Who sees what"): its key
    figures from the national release and the moreel beraad sessions (not about children).
    No breakdown, no list of jeugdigen."""
    from .services import standard_period

    start, end = standard_period()
    found = snapshot.national(start=start, end=end)
    span = metrics.Span.for_regions([region.pk], start, end)
    return [
        region_key_figures(found, region.code, region.name),
        metrics.moreel_beraad_held(span),
    ]


NATIONAL_ORDER = (
    "rollout",
    "regions",
    "status",
    "grondslag",
    "age",
    "interviews",
    "obstacles",
    "agenda",
    "national_agenda",
    "trend",
)


def national_tables(*, start: date, end: date, only: str | None = None) -> list[Table]:
    """The national dashboard's tables: the protected release and the tables that are not
    about children (``only``: the table with that key, an export — the same protected cells
    as on the page)."""
    return national_snapshot(start=start, end=end, only=only)[0]


def national_snapshot(
    *, start: date, end: date, only: str | None = None
) -> tuple[list[Table], snapshot.Snapshot]:
    """:func:`national_tables` and the snapshot of the release they show (reports.snapshot:
    its moment, and whether it is of the current counts)."""
    span = metrics.Span.for_regions(None, start, end)
    found = snapshot.national(start=start, end=end)
    extra = {"rollout": metrics.rollout, "national_agenda": metrics.national_obstacle_agenda}
    tables = []
    for key in NATIONAL_ORDER:
        if only is not None and key != only:
            continue
        tables.append(extra[key](span) if key in extra else found.tables[key])
    return tables, found


def shown(tables: list[Table]) -> list[Shown]:
    return _shown(tables)


def reports_list(*, user) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related("region", "phase", "requested_by")


def report_get(*, user, pk: int) -> Report:
    return get_object_or_404(reports_list(user=user), pk=pk)
