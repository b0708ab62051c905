"""The two PDF reports: their content (from :mod:`reports.metrics`) and the HTML → PDF step.

Both are rendered in Dutch (``translation.override("nl")``) with ``lang="nl"``, as tagged
PDF/UA-1 by WeasyPrint, with page numbers and a table of contents from CSS counters. A region
report is made for an audience (``Report.audience``): "regio" has the exact figures and says
"Vertrouwelijk" on every page; "landelijk" and every phase overview are protected by
statistical disclosure control (reports.sdc). They never contain a name, BSN or date of birth
of a jeugdige (docs/reports.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from regions.models import Region
from wel.models import Role

from . import metrics
from .charts import chart_for
from .models import Report
from .tables import Column, Row, Table, present

Progress = Callable[[int, str], None]


@dataclass
class Figure:
    """A table as shown: the (suppressed) table, its chart and an anchor for the TOC."""

    table: Table
    chart: str

    @property
    def anchor(self) -> str:
        return f"s-{self.table.key}"


def figures(tables: list[Table]) -> list[Figure]:
    return [Figure(table=t, chart=chart_for(t)) for t in tables]


def region_span(report: Report) -> metrics.Span:
    return metrics.Span.for_regions([report.region_id], report.period_start, report.period_end)


def region_report_context(report: Report, progress: Progress) -> dict:
    region = report.region
    span = region_span(report)
    progress(5, _("Collecting the figures"))
    tables = present(metrics.region_figures(span), suppress=not report.is_exact)
    progress(30, _("Following the focus jeugdigen"))
    focus = metrics.focus_trajectories(span)
    agenda = metrics.national_obstacle_agenda(span)
    learnings = metrics.learnings_shared(span)
    kartrekkers = list(
        region.memberships.filter(role=Role.KARTREKKER)
        .order_by("user__full_name")
        .values_list("user__full_name", flat=True)
    )
    progress(45, _("Drawing the charts"))
    return {
        "report": report,
        "confidential": report.is_exact,
        "region": region,
        "kartrekkers": kartrekkers,
        "figures": figures(tables),
        "focus": Figure(table=focus, chart=chart_for(focus)),
        "agenda": agenda,
        "learnings": learnings,
        "generated_at": timezone.localtime(),
    }


def phase_report_context(report: Report, progress: Progress) -> dict:
    """All regions taking part by this phase side by side, totals, the national agenda and
    learnings. The figures are fetched in bulk (a fixed number of queries); each region's section is
    rendered in turn, reporting progress per region."""
    phase = report.phase
    # Phases are cumulative (3/14/42/75): phase N covers every region that takes part by then.
    region_ids = list(
        Region.objects.filter(is_active=True, phase__number__lte=phase.number).values_list(
            "pk", flat=True
        )
    )
    span = metrics.Span.for_regions(region_ids, report.period_start, report.period_end)
    progress(3, _("Collecting the figures"))
    counts = metrics.jeugdige_counts(span, by_region=True)  # the jeugdigen counted once
    # all of the document's tables protected together (they share counts: reports.tables.links)
    per_region, *totals = present(
        [
            metrics.key_counts_per_region(span, counts),
            metrics.rollout(span),
            metrics.jeugdigen_by_status(span, counts),
            metrics.jeugdigen_by_grondslag(span, counts),
            metrics.jeugdigen_by_age_band(span, counts),
            metrics.interviews_by_respondent(span),
            metrics.activities_by_kind(span),
            metrics.obstacles_by_category(span),
            metrics.obstacles_by_level_status(span),
            metrics.moreel_beraad_held(span),
            metrics.trend_per_month(span, counts),
        ],
        suppress=True,
    )
    agenda = metrics.national_obstacle_agenda(span)
    learnings = metrics.learnings_shared(span)
    progress(10, _("Region by region"))
    sections = []
    n = len(per_region.rows) or 1
    counts = [c for c in per_region.columns if c.count]
    for i, row in enumerate(per_region.rows):
        code = row.key
        # The region's own key figures, exactly as protected in the table of all regions: a
        # separate breakdown per region could be subtracted from them (linked tables).
        table = Table(
            key=f"region-{code.lower()}",
            caption=str(row[0]),
            columns=[
                Column("figure", _("Figure")),
                Column("number", _("Number"), count=True),
            ],
            rows=[Row(c.key, [str(c.label), per_region.cell(code, c.key)]) for c in counts],
            suppressed=True,
            ranges={
                (c.key, "number"): rng
                for c in counts
                if (rng := per_region.ranges.get((code, c.key)))
            },
        )
        sections.append(
            render_to_string(
                "reports/pdf/_phase_region.html",
                {
                    "name": row[0],
                    "code": code,
                    "pairs": list(zip(per_region.header[1:], row[1:], strict=True)),
                    "figure": Figure(table=table, chart=chart_for(table)),
                },
            )
        )
        progress(
            10 + round(50 * (i + 1) / n),
            _("Region %(i)s of %(n)s: %(name)s") % {"i": i + 1, "n": n, "name": row[0]},
        )
    return {
        "report": report,
        "phase": phase,
        "region_count": len(region_ids),
        "per_region": per_region,
        "figures": figures(totals),
        "agenda": agenda,
        "learnings": learnings,
        "sections": mark_safe("".join(sections)),  # noqa: S308 - rendered templates
        "generated_at": timezone.localtime(),
    }


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def render_report(report: Report, *, progress: Progress) -> bytes:
    """The report's PDF bytes. ``progress(percent, note)`` is called along the way."""
    timings = {}
    t0 = time.monotonic()
    with translation.override("nl"):
        if report.kind == Report.Kind.REGION_PROGRESS:
            context = region_report_context(report, progress)
            template = "reports/pdf/region_progress.html"
        else:
            context = phase_report_context(report, progress)
            template = "reports/pdf/phase_overview.html"
        timings["figures"] = time.monotonic() - t0
        progress(62, _("Writing the document"))
        html = render_to_string(template, context)
        progress(65, _("Laying out the pages"))
        t1 = time.monotonic()
        pdf = html_to_pdf(html)
        timings["pdf"] = time.monotonic() - t1
        progress(95, _("Storing the file"))
    render_report.last_timings = timings  # for the operator command's summary
    return pdf


render_report.last_timings = {}
