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


def table_body(table: Table, links: list[str | None]) -> SafeString:
    """``<thead>``, ``<tbody>`` and ``<tfoot>`` of a figure's table; ``links`` per row (a URL
    for the row label or None)."""
    context = Context(autoescape=True)
    right = set(table.right_columns)
    out = ["<thead><tr>"]
    for i, c in enumerate(table.columns):
        cls = ' class="text-end"' if i in right else ""
        out.append(f'<th scope="col"{cls}>{_text(c, context)}</th>')
    out.append("</tr></thead>\n          <tbody>\n          ")
    td = ['<td class="text-end">' if i in right else "<td>" for i in range(len(table.columns))]
    for row, link in zip(table.rows, links, strict=True):
        out.append("<tr>")
        for i, v in enumerate(row):
            if i == 0:
                label = _text(v, context)
                if link:
                    label = f'<a href="{_text(link, context)}">{label}</a>'
                out.append(f'<th scope="row">{label}</th>')
            else:
                opening = (
                    td[i] if i < len(td) else ('<td class="text-end">' if i in right else "<td>")
                )
                out.append(f"{opening}{_cell(v, context)}</td>")
        out.append(_ROW_END)
    if not table.rows:
        nothing = conditional_escape(gettext("Nothing recorded yet."))
        out.append(f'<tr><td colspan="{len(table.columns)}">{nothing}</td></tr>')
    out.append("\n          </tbody>\n          ")
    if table.total:
        out.append('<tfoot><tr class="fw-semibold">')
        for i, v in enumerate(table.total):
            if i == 0:
                out.append(f'<th scope="row">{_text(v, context)}</th>')
            else:
                out.append(f'<td class="text-end">{_text(v, context)}</td>')
        out.append("</tr></tfoot>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
