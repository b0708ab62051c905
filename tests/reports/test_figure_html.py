"""reports.html.figure_sections builds the dashboards' figure sections in Python, once per
page. It must give exactly the markup the per-figure template include gave: checked here
against that template (kept below as the oracle) for real figures and hostile text."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.utils.safestring import mark_safe

from reports import metrics, selectors
from reports.html import figure_sections
from reports.tables import TOTAL, Column, Row, Table, present

pytestmark = pytest.mark.django_db

FIGURE = """{% load i18n %}<section class="card mb-4 report-figure" aria-labelledby="h-{{ figure.table.key }}">
  <div class="card-body">
    <div class="d-flex justify-content-between align-items-start flex-wrap gap-2">
      <h2 class="h5" id="h-{{ figure.table.key }}">{{ figure.table.caption }}</h2>
      {% if export_url %}<p class="small mb-0">{% translate "Download" %}:
        <a href="{{ export_url }}{{ figure.table.key }}.csv{% if query %}?{{ query }}{% endif %}">CSV<span class="visually-hidden"> {{ figure.table.caption }}</span></a> ·
        <a href="{{ export_url }}{{ figure.table.key }}.xlsx{% if query %}?{{ query }}{% endif %}">XLSX<span class="visually-hidden"> {{ figure.table.caption }}</span></a></p>{% endif %}
    </div>
    {% if figure.table.description %}<p class="small text-body-secondary">{{ figure.table.description }}</p>{% endif %}
    <div class="row g-3">
      {% if figure.chart %}<div class="col-xl-4 chart" aria-hidden="false">{{ figure.chart }}</div>{% endif %}
      <div class="{% if figure.chart %}col-xl-8{% else %}col-12{% endif %}">
        <div class="table-responsive">
        <table class="table table-sm report-table">
          <caption class="visually-hidden">{{ figure.table.caption }}</caption>
          {{ figure.table_html }}
        </table>
        </div>
      </div>
    </div>
  </div>
</section>
"""  # noqa: E501 - templates/reports/_figure.html as it was


def _by_template(figures, export_url: str, query: str) -> str:
    template = Engine.get_default().from_string(FIGURE)
    return "".join(
        template.render(Context({"figure": f, "export_url": export_url, "query": query}))
        for f in figures
    )


HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


@pytest.mark.parametrize(
    "export_url,query",
    [("/rapportages/regio/R1/export/", ""), ("/x/", 'start=2026-01-01&end=<"2026">'), ("", "")],
)
@pytest.mark.parametrize("suppress", [False, True])
def test_the_same_markup_as_the_template(figures, export_url, query, suppress):
    tables = [*metrics.region_figures(figures.span), metrics.focus_trajectories(figures.span)]
    hostile = Table(
        key="k<&>",
        caption=HOSTILE,
        columns=[Column("label", HOSTILE), Column("n", "n", count=True)],
        rows=[Row("a", [HOSTILE, 3]), Row("b", ["b", 0])],
        total=Row(TOTAL, ["Total", 3]),
        description=HOSTILE,
        chart="",
    )
    shown = selectors.shown([*present(tables, suppress=suppress), hostile])
    assert any(s.chart for s in shown) and any(not s.chart for s in shown)
    assert any(s.table.description for s in shown)
    got = figure_sections(shown, export_url=export_url, query=query)
    assert got == _by_template(shown, export_url, query)
    assert "<script>" not in got and "&lt;script&gt;" in got


def test_no_figures_no_markup():
    assert figure_sections([], export_url="/x/", query="") == mark_safe("")
