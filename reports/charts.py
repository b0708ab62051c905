"""Server-rendered SVG charts: the same markup on the dashboard and in the PDF.

Each chart carries a ``<title>`` and ``<desc>`` (role="img"), and is always shown beside the
table it was drawn from, which is the text alternative. Colours are SVG presentation
attributes, not ``style=`` (the CSP forbids inline styles). Suppressed cells ("<3") get no bar:
the chart never shows more than the table.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .tables import Table

COLOURS = ["#1f5f4a", "#d97a00", "#3d6cb3", "#8a3d91"]  # contrast >= 3:1 on white
FONT = "DejaVu Sans, Arial, sans-serif"
TEXT = "#212529"


def _num(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _label(value) -> str:
    return "–" if value is None else str(value)


def _open(svg_id: str, width: int, height: int, title: str, desc: str) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="wel-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{i}-t {i}-d" '
        'font-family="{f}" font-size="13">'
        '<title id="{i}-t">{t}</title><desc id="{i}-d">{d}</desc>',
        w=width,
        h=height,
        i=svg_id,
        f=FONT,
        t=title,
        d=desc,
    )


def _describe(table: Table) -> str:
    if table.description:
        return table.description
    parts = []
    for row in table.rows[:30]:
        values = ", ".join(f"{table.columns[i]}: {row[i]}" for i in table.count_columns)
        parts.append(f"{row[0]}: {values}")
    return "; ".join(parts) or "—"


def bar_chart(table: Table, *, width: int = 460) -> SafeString:
    """Horizontal bars, one per row, for the first count column."""
    col = table.count_columns[0]
    values = [_num(r[col]) for r in table.rows]
    top = max(values + [1])
    label_w, value_w, row_h, pad = 200, 40, 24, 6
    bar_space = width - label_w - value_w
    height = max(row_h * len(table.rows) + 2 * pad, 30)
    out = [_open(f"chart-{table.key}", width, height, table.caption, _describe(table))]
    for i, row in enumerate(table.rows):
        y = pad + i * row_h
        shown = row[col]
        n = _num(shown)
        bar = round(bar_space * n / top) if n else 0
        label = _label(row[0])
        short = label if len(label) <= 27 else label[:25] + "…"
        out.append(
            format_html(
                '<text x="{x}" y="{ty}" text-anchor="end" fill="{c}">{l}</text>',
                x=label_w - 6,
                ty=y + 17,
                c=TEXT,
                l=short,
            )
        )
        if bar:
            out.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}"/>',
                    x=label_w,
                    y=y + 3,
                    w=bar,
                    h=row_h - 6,
                    f=COLOURS[0],
                )
            )
        out.append(
            format_html(
                '<text x="{x}" y="{ty}" fill="{c}">{v}</text>',
                x=label_w + bar + 4,
                ty=y + 17,
                c=TEXT,
                v=_label(shown),
            )
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html


def column_chart(table: Table, *, width: int = 460) -> SafeString:
    """Vertical grouped columns: one group per row (e.g. a month), one series per count
    column, with a legend."""
    series = list(table.count_columns)
    groups = table.rows
    top = max([_num(r[c]) for r in groups for c in series] + [1])
    left, bottom, legend_h, pad = 30, 34, 18 * len(series), 8
    plot_h = 150
    height = plot_h + bottom + legend_h + pad
    plot_w = width - left - pad
    group_w = plot_w / max(len(groups), 1)
    bar_w = max(min((group_w - 4) / len(series), 18), 1)
    out = [_open(f"chart-{table.key}", width, height, table.caption, _describe(table))]
    base_y = pad + plot_h
    out.append(
        format_html(
            '<line x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="#6c757d"/>',
            x=left,
            y=base_y,
            x2=width - pad,
        )
    )
    out.append(
        format_html(
            '<text x="{x}" y="{y}" text-anchor="end" fill="{c}">{v}</text>',
            x=left - 4,
            y=pad + 8,
            c=TEXT,
            v=top,
        )
    )
    out.append(
        format_html(
            '<text x="{x}" y="{y}" text-anchor="end" fill="{c}">0</text>',
            x=left - 4,
            y=base_y,
            c=TEXT,
        )
    )
    for gi, row in enumerate(groups):
        gx = left + gi * group_w + 2
        for si, c in enumerate(series):
            n = _num(row[c])
            h = round(plot_h * n / top) if n else 0
            if h:
                out.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}"/>',
                        x=f"{gx + si * bar_w:.1f}",
                        y=base_y - h,
                        w=f"{bar_w - 1:.1f}",
                        h=h,
                        f=COLOURS[si % len(COLOURS)],
                    )
                )
        if len(groups) <= 12 or gi % 2 == 0:
            out.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="{c}" '
                    'font-size="9">{l}</text>',
                    x=f"{gx + group_w / 2 - 2:.1f}",
                    y=base_y + 13,
                    c=TEXT,
                    l=_label(row[0]),
                )
            )
    ly = base_y + bottom - 6
    for si, c in enumerate(series):
        y = ly + si * 18
        out.append(
            format_html(
                '<rect x="{x}" y="{y}" width="12" height="12" fill="{f}"/>'
                '<text x="{tx}" y="{ty}" fill="{c}">{l}</text>',
                x=left,
                y=y,
                f=COLOURS[si % len(COLOURS)],
                tx=left + 18,
                ty=y + 10,
                c=TEXT,
                l=table.columns[c],
            )
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html


def chart_for(table: Table) -> SafeString:
    if table.is_empty or not table.chart:
        return mark_safe("")
    if table.chart == "columns":
        return column_chart(table)
    return bar_chart(table)


__all__ = ["bar_chart", "column_chart", "chart_for", "escape"]
