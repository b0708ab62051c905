"""The dashboard tables' markup, built in Python.

A dashboard shows up to ~1,000 cells; rendered cell by cell in the template each one cost
several variable lookups (``forloop.counter0 in figure.table.right_columns``, ``v.year``,
which for a number fails through ``dir()``), a third of the national dashboard's time. This
builds the same markup (``templates/reports/_figure.html`` had it) once per table, escaping
every value exactly as ``{{ v }}`` and ``{{ v|date:"d-m-Y" }}`` would.
"""

from __future__ import annotations

from datetime import date

from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from .tables import Table

_ROW_END = "</tr>\n          "  # the whitespace the template loop produced between rows


def _text(value, context: Context) -> str:
    """``{{ value }}``: localised and escaped."""
    return render_value_in_context(value, context)


def _cell(value, context: Context) -> str:
    if value is None:
        return "–"
    if isinstance(value, date):  # `{{ v|date:"d-m-Y" }}` (a datetime in local time)
        return conditional_escape(date_filter(template_localtime(value), "d-m-Y"))
    return _text(value, context)


class _Texts:
    """``_text``/``_cell`` remembered within one table for plain ints and strings: a table
    repeats the same numbers and labels many times, and each costs a localisation and an
    escape. Only exact ``int`` and ``str`` values (not bool, not safe or lazy strings), whose
    rendering depends on nothing but the value, the context and the active language, which
    stay the same while one table is built."""

    def __init__(self, context: Context):
        self.context = context
        self.seen: dict = {}

    def text(self, value) -> str:
        kind = type(value)
        if kind is not int and kind is not str:
            return _text(value, self.context)
        key = (kind, value)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = _text(value, self.context)
        return found

    def cell(self, value) -> str:
        kind = type(value)
        if kind is not int and kind is not str:
            return _cell(value, self.context)
        return self.text(value)


def table_body(table: Table, links: list[str | None]) -> SafeString:
    """``<thead>``, ``<tbody>`` and ``<tfoot>`` of a figure's table; ``links`` per row (a URL
    for the row label or None)."""
    context = Context(autoescape=True)
    texts = _Texts(context)
    right = set(table.right_columns)
    out = ["<thead><tr>"]
    for i, c in enumerate(table.header):
        cls = ' class="text-end"' if i in right else ""
        out.append(f'<th scope="col"{cls}>{texts.text(c)}</th>')
    out.append("</tr></thead>\n          <tbody>\n          ")
    td = ['<td class="text-end">' if i in right else "<td>" for i in range(len(table.columns))]
    for row, link in zip(table.rows, links, strict=True):
        out.append("<tr>")
        for i, v in enumerate(row):
            if i == 0:
                label = texts.text(v)
                if link:
                    label = f'<a href="{_text(link, context)}">{label}</a>'
                out.append(f'<th scope="row">{label}</th>')
            else:
                opening = (
                    td[i] if i < len(td) else ('<td class="text-end">' if i in right else "<td>")
                )
                out.append(f"{opening}{texts.cell(v)}</td>")
        out.append(_ROW_END)
    if not table.rows:
        nothing = conditional_escape(gettext("Nothing recorded yet."))
        out.append(f'<tr><td colspan="{len(table.columns)}">{nothing}</td></tr>')
    out.append("\n          </tbody>\n          ")
    if table.total:
        out.append('<tfoot><tr class="fw-semibold">')
        for i, v in enumerate(table.total):
            if i == 0:
                out.append(f'<th scope="row">{texts.text(v)}</th>')
            else:
                out.append(f'<td class="text-end">{texts.text(v)}</td>')
        out.append("</tr></tfoot>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def figure_sections(figures, *, export_url: str, query: str) -> SafeString:
    """The dashboards' figures, each a ``<section>`` with its heading, download links (when
    ``export_url``: the export URL without "<key>.<fmt>", ``query`` appended as is), the
    description, the chart and the table; ``figures`` are ``reports.selectors.Shown``. The
    markup ``templates/reports/_figure.html`` made per figure, built here once per page:
    every text escaped as ``{{ }}`` would, the chart and table markup as they come."""
    context = Context(autoescape=True)
    download = conditional_escape(gettext("Download"))
    url, q = _text(export_url, context), _text(query, context)
    out = []
    for figure in figures:
        table = figure.table
        key, caption = _text(table.key, context), _text(table.caption, context)
        out.append(
            f'<section class="card mb-4 report-figure" aria-labelledby="h-{key}">\n'
            '  <div class="card-body">\n'
            '    <div class="d-flex justify-content-between align-items-start flex-wrap gap-2">\n'
            f'      <h2 class="h5" id="h-{key}">{caption}</h2>\n      '
        )
        if export_url:
            after = f"?{q}" if query else ""
            out.append(
                f'<p class="small mb-0">{download}:\n'
                f'        <a href="{url}{key}.csv{after}">CSV<span class="visually-hidden"> '
                f"{caption}</span></a> ·\n"
                f'        <a href="{url}{key}.xlsx{after}">XLSX<span class="visually-hidden"> '
                f"{caption}</span></a></p>"
            )
        out.append("\n    </div>\n    ")
        if table.description:
            description = _text(table.description, context)
            out.append(f'<p class="small text-body-secondary">{description}</p>')
        out.append('\n    <div class="row g-3">\n      ')
        chart = figure.chart
        if chart:
            out.append(
                f'<div class="col-xl-4 chart" aria-hidden="false">{_text(chart, context)}</div>'
            )
        width = "col-xl-8" if chart else "col-12"
        out.append(
            f'\n      <div class="{width}">\n'
            '        <div class="table-responsive">\n'
            '        <table class="table table-sm report-table">\n'
            f'          <caption class="visually-hidden">{caption}</caption>\n'
            f"          {_text(figure.table_html, context)}\n"
            "        </table>\n"
            "        </div>\n"
            "      </div>\n"
            "    </div>\n"
            "  </div>\n"
            "</section>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
