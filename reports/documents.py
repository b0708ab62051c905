"""The two PDF reports: their content (from :mod:`reports.metrics`) and the HTML → PDF step.

Both are rendered in Dutch (``translation.override("nl")``) with ``lang="nl"``, as tagged
PDF/UA-1 by WeasyPrint, with page numbers and a table of contents from CSS counters. A region
report is made for an audience (``Report.audience``): "regio" has the exact figures and says
"Vertrouwelijk" on every page; "landelijk" and every phase overview are protected by
statistical disclosure control (reports.sdc). They never contain a name, BSN or date of birth
of a jeugdige (docs/reports.md).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from regions.models import Region
from wel.models import Role

from . import metrics, snapshot
from .charts import chart_for
from .models import Report
from .tables import TOTAL, Row, Table

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
    """A region's progress report. "regio": every figure, exact, and the focus jeugdigen by
    reference; "landelijk": what the landelijk team sees of the region on its dashboard — the
    region's key figures from the national release and its moreel beraad sessions, nothing
    per jeugdige (docs/reports.md, "Who sees what")."""
    from . import selectors

    region = report.region
    span = region_span(report)
    progress(5, _("Collecting the figures"))
    if report.is_exact:
        tables = metrics.region_figures(span)
        progress(30, _("Following the focus jeugdigen"))
        focus = metrics.focus_trajectories(span)
        focus_figure = Figure(table=focus, chart=chart_for(focus))
    else:
        tables = selectors.national_region_tables(region=region)
        focus_figure = None
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
        "focus": focus_figure,
        "agenda": agenda,
        "learnings": learnings,
        "generated_at": timezone.localtime(),
    }


def phase_report_context(report: Report, progress: Progress) -> dict:
    """The regions taking part by this phase side by side, the programme's breakdowns, the
    national agenda and learnings: every figure a view of the national release
    (reports.release), with the same protected cells as the national dashboard and its
    exports. Each region's section is rendered in turn, reporting progress per region."""
    phase = report.phase
    # Phases are cumulative (3/14/42/75): phase N covers every region that takes part by then.
    regions = list(
        Region.objects.filter(is_active=True, phase__number__lte=phase.number).values_list(
            "code", flat=True
        )
    )
    span = metrics.Span.for_regions(None, report.period_start, report.period_end)
    progress(3, _("Collecting the figures"))
    # the protected release of the current counts, shared with the national dashboard: its
    # linear programs (seconds at 100,000 cases) are solved once per change of the counts for
    # every process and worker, not again in each report (reports.snapshot)
    protected = snapshot.current(start=report.period_start, end=report.period_end)
    whole = protected.tables["regions"]
    in_phase = set(regions)
    per_region = replace(
        whole,
        rows=[row for row in whole.rows if row.key in in_phase],
        total=Row(TOTAL, [_("Total (all regions)"), *whole.total[1:]])
        if whole.total is not None
        else None,
        ranges={k: v for k, v in whole.ranges.items() if k[0] in in_phase},
    )
    totals = [metrics.rollout(span)] + [
        protected.tables[key]
        for key in ("status", "grondslag", "age", "interviews", "obstacles", "agenda", "trend")
    ]
    agenda = metrics.national_obstacle_agenda(span)
    phase_span = metrics.Span.for_regions(
        Region.objects.filter(code__in=regions).values_list("pk", flat=True),
        report.period_start,
        report.period_end,
    )
    learnings = metrics.learnings_shared(phase_span)
    progress(10, _("Region by region"))
    sections = []
    n = len(per_region.rows) or 1
    for i, row in enumerate(per_region.rows):
        code = row.key
        # The region's key figures as one line of labels and numbers, exactly the cells of its
        # row in the table of all regions. No chart and no table per region: 75 small SVG
        # charts (six different figures on one axis) and 75 tables were 60 % of the phase
        # PDF's time, over issue 23's 3 s; the overview's table and chart show them all.
        sections.append(
            render_to_string(
                "reports/pdf/_phase_region.html",
                {
                    "name": row[0],
                    "code": code,
                    "pairs": list(zip(per_region.header[1:], row[1:], strict=True)),
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
        "region_count": len(regions),
        "per_region": per_region,
        "figures": figures(totals),
        "agenda": agenda,
        "learnings": learnings,
        "sections": mark_safe("".join(sections)),  # noqa: S308 - rendered templates
        "generated_at": timezone.localtime(),
    }


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while WeasyPrint builds a document. Laying out a report
    makes hundreds of thousands of short-lived objects (boxes, styles, text layouts), and each
    collection on the way walks all of them again, and every object the process holds: a
    quarter to a third of the PDF's CPU time (issue 23; docs/benchmarks.md). Reference
    counting still frees what it can; the cycles are collected as usual once the PDF is made
    (a few MB more at the peak)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    with _no_cycle_collection():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def warm_up() -> None:
    """Import WeasyPrint and lay out a small page in the report's fonts, so that the first
    report a worker process builds does not pay for it (about 0.7 s: the import, Pango and
    fontconfig loading the fonts). Called when a Celery worker process starts (reports.tasks)."""
    html_to_pdf(
        '<html lang="nl"><body style="font-family: \'DejaVu Sans\', Arial, sans-serif">'
        '<h1>WEL</h1><p>1 2 3 <b>x</b></p><svg width="10" height="10">'
        '<text x="0" y="9" font-family="DejaVu Sans, Arial, sans-serif">1</text></svg>'
        "</body></html>"
    )


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
