"""The PDFs as laid out by WeasyPrint and read back with pypdf (issue 11): every label in full,
no heading left at a page foot, no empty grid.

Text positions come from pypdf's ``visitor_text``: the baseline's height on the page and the
font size, both in points. Headings are the text set at 10.5 pt or more (h2 14 pt, h3 11 pt; the
body is 9.5 pt at most). A chart's text sits in a form XObject whose placement pypdf does not
pass on (an identity matrix): it is left out, as every chart has its table beside it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from cases.models import Grondslag, Status
from reports import metrics
from reports.documents import html_to_pdf
from reports.tables import Column, Row, Table

from .test_pdf import build, nl

HEADING_PT = 10.5
TOP, FOOT = 841.89 - 20 * 72 / 25.4, 22 * 72 / 25.4  # the page's body: inside the margins


@dataclass(frozen=True)
class Line:
    y: float  # baseline, points from the page's foot
    size: float  # points
    text: str

    @property
    def heading(self) -> bool:
        return self.size >= HEADING_PT


def page_lines(pdf: bytes) -> list[list[Line]]:
    """Per page, the body's text pieces from the top of the page down."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        items: list[Line] = []

        def visit(text, cm, tm, font, size, items=items):
            if text.strip() and abs(cm[0] - 0.75) < 1e-3:  # page flow (CSS px), not a chart
                y = tm[5] * cm[3] + cm[5]
                if FOOT < y < TOP:
                    items.append(Line(round(y, 1), round(abs(size * tm[3] * cm[3]), 1), text))

        page.extract_text(visitor_text=visit)
        pages.append(sorted(items, key=lambda line: -line.y))
    return pages


def squash(text: str) -> str:
    return "".join(text.split())


def report_pdf(report) -> bytes:
    with default_storage.open(report.file.name, "rb") as fh:
        return fh.read()


def assert_no_heading_alone(pages: list[list[Line]], content: set[str]) -> None:
    """Below the last heading of every page (the cover aside) comes at least one piece of
    ``content``: a table row or the sentence standing in for an empty table."""
    for number, lines in enumerate(pages[1:], start=2):
        headings = [i for i, line in enumerate(lines) if line.heading]
        assert len(headings) < len(lines), f"page {number} holds only headings"
        if headings:
            below = lines[headings[-1] + 1 :]
            assert any(line.text.strip() in content for line in below), (
                f"page {number} ends with the heading {lines[headings[-1]].text!r} "
                f"without its content: {[line.text for line in below]}"
            )


SECTION = """{% extends "reports/pdf/base.html" %}{% block body %}
<div style="height: {{ filler }}mm">{{ filler }} mm</div>
<section id="s-learnings"><h2>Gedeelde geleerde lessen</h2>
<p class="muted">Wat de regio heeft geleerd over wat werkt en wat waardevol is, ook uit moreel
beraad, zoals gepubliceerd voor de andere regio's.</p>
{% include "reports/pdf/_table.html" with table=table %}</section>{% endblock %}"""


@pytest.mark.parametrize("rows", [0, 3])
def test_a_heading_keeps_its_table_wherever_the_page_breaks(rows):
    """The section is pushed down the page a few millimetres at a time, across the page foot:
    its heading always shares a page with the first row, or with the sentence saying there is
    nothing yet; an empty table is never drawn as a grid."""
    template = engines["django"].from_string(SECTION)
    table = Table(
        key="learnings",
        caption="Gedeelde geleerde lessen",
        columns=[Column("title", "Titel"), Column("region", "Regio")],
        rows=[Row(i, [f"Les {i}", "Emmen"]) for i in range(rows)],
    )
    with translation.override("nl"):
        nothing = nl("Nothing recorded yet.")
        for filler in range(196, 252, 4):
            pages = page_lines(html_to_pdf(template.render({"filler": filler, "table": table})))
            text = [line.text.strip() for page in pages for line in page]
            assert_no_heading_alone([[], *pages], {nothing, *(f"Les {i}" for i in range(rows))})
            if not rows:
                assert nothing in text and "Titel" not in text  # a sentence, not a grid


@pytest.fixture
def pdfs(figures, world):
    """The region report for both audiences and the phase overview, as the site builds them."""
    from regions.models import Phase

    period = {"period_start": figures.span.start, "period_end": figures.today}
    return {
        "regio": report_pdf(build(region=world.region_a, **period)),
        "landelijk": report_pdf(build(region=world.region_a, audience="landelijk", **period)),
        "empty region": report_pdf(build(region=world.region_b, **period)),
        "phase": report_pdf(build(phase=Phase.objects.get(number=1), **period)),
    }


def test_every_label_is_shown_in_full_in_every_pdf(pdfs, figures):
    """Each grondslag, step, age band, respondent, kind, category and method label: whole in
    the table and whole in the chart beside it (a wrapped line is still the whole label); no
    label is cut with an ellipsis."""
    with translation.override("nl"):
        charted = [t for t in metrics.region_figures(figures.span) if t.chart == "bars"]
        labels = {str(r[0]) for t in charted for r in t.rows}
        labels |= {str(label) for _v, label in [*Grondslag.choices, *Status.choices]}
    assert "Nog niet leerplichtig (4-jarige)" in labels
    for name, pdf in pdfs.items():
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "…" not in text, f"{name}: a label is cut off"
        flat = squash(text)
        expected = 2 if name in {"regio", "landelijk"} else 1  # the table and the chart
        if name == "landelijk":
            # issue 20: a national role's region report has the region's key figures only
            assert "Grondslag" not in text
            continue
        for label in sorted(labels):
            if name == "phase" and label not in {
                str(v) for _k, v in [*Grondslag.choices, *Status.choices]
            }:
                continue  # the phase overview has no worklist, age bands, etc. per region
            assert flat.count(squash(label)) >= expected, f"{name}: {label!r} not in full"


def test_no_heading_stands_alone_in_any_pdf(pdfs):
    """No page of the region reports or the phase overview ends with a heading whose content
    went to the next page, nor holds only headings; an empty table is a sentence."""
    with translation.override("nl"):
        nothing = nl("Nothing recorded yet.")
    for name, pdf in pdfs.items():
        pages = page_lines(pdf)
        for number, lines in enumerate(pages[2:], start=3):  # after the cover and contents
            assert any(not line.heading for line in lines), f"{name} p.{number}: headings only"
            assert not lines[-1].heading, f"{name} p.{number} ends with {lines[-1].text!r}"
    empty = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdfs["empty region"])).pages
    )
    assert nothing in empty
