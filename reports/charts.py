"""Server-rendered SVG charts: the same markup on the dashboard and in the PDF.

Each chart carries a ``<title>`` and ``<desc>`` (role="img"), and is always shown beside the
table it was drawn from, which is the text alternative. Colours are SVG presentation
attributes, not ``style=`` (the CSP forbids inline styles).

A suppressed cell is drawn as a hatched, outlined *range* with its mark as the label: "<3" from
1 to 2, an "x" over its feasible interval (``table.extra["ranges"]``, computed by reports.sdc
from what is published anyway), open-ended up to the axis when it has no upper bound. So the
chart shows no more than the table, and nothing goes missing.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .sdc import HIDDEN, INF, SMALL, THRESHOLD
from .tables import Table

COLOURS = ["#1f5f4a", "#d97a00", "#3d6cb3", "#8a3d91"]  # contrast >= 3:1 on white
FONT = "DejaVu Sans, Arial, sans-serif"
TEXT = "#212529"


def _num(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _range(table: Table, r: int, c: int) -> tuple[float, float] | None:
    """The range a suppressed cell is drawn over, or None for a shown value."""
    value = table.rows[r][c]
    if value not in (SMALL, HIDDEN):
        return None
    lo, hi = table.extra.get("ranges", {}).get((r, c), (1, 2) if value == SMALL else (0, INF))
    return float(lo), float(hi)


def _top(table: Table, columns: list[int]) -> float:
    """The axis maximum: the largest shown value or finite range end (at least 1)."""
    ends = [1.0]
    for r, row in enumerate(table.rows):
        for c in columns:
            rng = _range(table, r, c)
            if rng is None:
                ends.append(_num(row[c]))
            else:  # an open-ended range still gets room to be seen as one
                ends.append(rng[1] if rng[1] != INF else rng[0] + THRESHOLD)
    return max(ends)


def _hatch(pattern_id: str, colour: str) -> str:
    return format_html(
        '<defs><pattern id="{i}" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{c}" stroke-width="1.5"/>'
        "</pattern></defs>",
        i=pattern_id,
        c=colour,
    )


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
    top = _top(table, [col])
    label_w, value_w, row_h, pad = 200, 40, 24, 6
    bar_space = width - label_w - value_w
    height = max(row_h * len(table.rows) + 2 * pad, 30)
    out = [_open(f"chart-{table.key}", width, height, table.caption, _describe(table))]
    hatch = f"hatch-{table.key}-0"
    if table.suppressed:
        out.append(_hatch(hatch, COLOURS[0]))
    for i, row in enumerate(table.rows):
        y = pad + i * row_h
        shown = row[col]
        n = _num(shown)
        bar = round(bar_space * n / top) if n else 0
        label_x = bar
        rng = _range(table, i, col)
        if rng is not None:  # a hatched range instead of a bar
            x0 = round(bar_space * rng[0] / top)
            x1 = bar_space if rng[1] == INF else round(bar_space * rng[1] / top)
            x1 = max(x1, x0 + 4)
            out.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="url(#{p})" '
                    'stroke="{c}" stroke-width="1"{dash}/>',
                    x=label_w + x0,
                    y=y + 3,
                    w=x1 - x0,
                    h=row_h - 6,
                    p=hatch,
                    c=COLOURS[0],
                    dash=mark_safe(' stroke-dasharray="3 2"') if rng[1] == INF else "",
                )
            )
            label_x = min(x1, bar_space)
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
                x=label_w + label_x + 4,
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
    top = _top(table, series)
    left, bottom, legend_h, pad = 30, 34, 18 * len(series), 8
    plot_h = 150
    height = plot_h + bottom + legend_h + pad
    plot_w = width - left - pad
    group_w = plot_w / max(len(groups), 1)
    bar_w = max(min((group_w - 4) / len(series), 18), 1)
    out = [_open(f"chart-{table.key}", width, height, table.caption, _describe(table))]
    if table.suppressed:
        out.extend(
            _hatch(f"hatch-{table.key}-{si}", COLOURS[si % len(COLOURS)])
            for si in range(len(series))
        )
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
            v=round(top),
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
            rng = _range(table, gi, c)
            if rng is not None:  # a hatched range, labelled with its mark
                y0 = round(plot_h * rng[0] / top)
                y1 = plot_h if rng[1] == INF else round(plot_h * rng[1] / top)
                y1 = max(y1, y0 + 3)
                bx = gx + si * bar_w
                out.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="url(#{p})" '
                        'stroke="{c}" stroke-width="0.8"/>'
                        '<text x="{tx}" y="{ty}" text-anchor="middle" fill="{t}" '
                        'font-size="8">{v}</text>',
                        x=f"{bx:.1f}",
                        y=base_y - y1,
                        w=f"{bar_w - 1:.1f}",
                        h=y1 - y0,
                        p=f"hatch-{table.key}-{si}",
                        c=COLOURS[si % len(COLOURS)],
                        tx=f"{bx + (bar_w - 1) / 2:.1f}",
                        ty=base_y - y1 - 2,
                        t=TEXT,
                        v=row[c],
                    )
                )
                continue
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
