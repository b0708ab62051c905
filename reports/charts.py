"""Server-rendered SVG charts: the same markup on the dashboard and in the PDF.

Each chart carries a ``<title>`` and ``<desc>`` (role="img"), and is always shown beside the
table it was drawn from, which is the text alternative. Colours are SVG presentation
attributes, not ``style=`` (the CSP forbids inline styles).

A suppressed cell is drawn as a hatched, outlined *range* with its mark as the label: "<3" from
1 to 2, an "x" over its feasible interval (``table.ranges``, computed by reports.sdc
from what is published anyway), open-ended up to the axis when it has no upper bound. So the
chart shows no more than the table, and nothing goes missing.

Every label is shown in full: a category label too long for one line wraps onto more lines
(``<tspan>``), and the label area, the value area and the axis margin are sized from the longest
text they hold, measured with :func:`text_width` (advance widths of DejaVu Sans, the widest font
in the chart's font list, so a browser falling back to Arial only has room to spare).
"""

from __future__ import annotations

import math
import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .sdc import HIDDEN, INF, SMALL, THRESHOLD
from .tables import Table

COLOURS = ["#1f5f4a", "#d97a00", "#3d6cb3", "#8a3d91"]  # contrast >= 3:1 on white
FONT = "DejaVu Sans, Arial, sans-serif"
TEXT = "#212529"
LINE = 1.15  # line height of wrapped labels, in em

# Advance widths of DejaVu Sans in em, rounded up to 0.05 (fontTools on DejaVuSans.ttf). A letter
# with a diacritic takes its base letter's width; anything not listed is counted as 1 em.
_WIDTHS = {
    0.3: "'IJijl",
    0.35: " ,./:;\\|·‘’",
    0.4: "()-[]ft",
    0.45: "!r",
    0.5: '"*_`–“”',
    0.55: "?csz",
    0.6: "FLkvxy",
    0.65: "$0123456789EPSTYabdeghnopqu{}",
    0.7: "ABCKRVXZ",
    0.75: "NU",
    0.8: "&DGHOQ",
    0.85: "#+<=>^w~×",
    0.9: "M",
}
_EM = {ch: w for w, chars in _WIDTHS.items() for ch in chars}


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set in ``size`` px, in px: an upper bound for the chart's fonts."""
    em = 0.0
    for ch in str(text):
        base = unicodedata.normalize("NFD", ch)[0]
        em += _EM.get(ch, _EM.get(base, 1.0))
    return em * size


_NUMBER = re.compile(r"\d[\d.,]*")


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` px at ``size`` px. A word
    longer than a line is broken after a hyphen, dash or slash if it has one, else between
    characters; every character is kept. A number stays on the line of the word after it (its
    unit: "60 dagen" is never "60" above "dagen")."""
    tokens: list[str] = []
    for token in str(text).split():
        if tokens and _NUMBER.fullmatch(tokens[-1]):
            tokens[-1] = f"{tokens[-1]} {token}"
        else:
            tokens.append(token)
    words: list[str] = []
    for word in tokens:
        words.extend(w for w in _split_word(word, width, size) if w)
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _split_word(word: str, width: float, size: float) -> list[str]:
    if text_width(word, size) <= width:
        return [word]
    for sep in ("–", "-", "/"):
        head, found, tail = word.partition(sep)
        if found and head and tail and text_width(head + sep, size) <= width:
            return [head + sep, *_split_word(tail, width, size)]
    # no place to break: as many characters as fit, then the rest (a code, never a real word)
    cut = max(1, max(i for i in range(len(word) + 1) if text_width(word[:i], size) <= width))
    return [word[:cut], *_split_word(word[cut:], width, size)] if word[cut:] else [word]


def _lines(x: float, y: float, lines: list[str], size: float, **attrs) -> str:
    """A ``<text>`` of one or more lines, the first baseline at ``y``. One line is the text
    itself, without a ``<tspan>``: the same drawing, and one element less for WeasyPrint to
    style and lay out (the phase overview has about a thousand such labels)."""
    extra = mark_safe(
        "".join(format_html(' {}="{}"', k.replace("_", "-"), v) for k, v in attrs.items())
    )  # noqa: S308
    if len(lines) == 1:
        return format_html('<text x="{x}" y="{y}"{e}>{t}</text>', x=x, y=y, e=extra, t=lines[0])
    spans = mark_safe(  # noqa: S308 - format_html escapes each line
        "".join(
            format_html(
                '<tspan x="{x}" dy="{dy}">{t}</tspan>',
                x=x,
                dy=0 if i == 0 else round(LINE * size, 1),
                t=line,
            )
            for i, line in enumerate(lines)
        )
    )
    return format_html('<text x="{x}" y="{y}"{e}>{s}</text>', x=x, y=y, e=extra, s=spans)


def _num(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _range(table: Table, r: int, c: int) -> tuple[float, float] | None:
    """The range a suppressed cell (row ``r``, column ``c`` as drawn) is drawn over, or None
    for a shown value. The protection gives the ranges by row and column key."""
    row = table.rows[r]
    value = row[c]
    if value not in (SMALL, HIDDEN):
        return None
    default = (1, 2) if value == SMALL else (0, INF)
    lo, hi = table.ranges.get((row.key, table.columns[c].key), default)
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
        values = ", ".join(f"{table.header[i]}: {row[i]}" for i in table.count_columns)
        parts.append(f"{row[0]}: {values}")
    return "; ".join(parts) or "—"


def bar_chart(table: Table, *, width: int = 460) -> SafeString:
    """Horizontal bars, one per row, for the first count column. The label area is as wide as
    the longest label needs (at most 45% of the chart); a longer label wraps onto more lines and
    its row grows to hold them."""
    col = table.count_columns[0]
    top = _top(table, [col])
    size, pad, bar_h = 13, 6, 18
    line_h = LINE * size
    wrap_at = round(width * 0.45) - 8
    labels = [wrap(_label(row[0]), wrap_at, size) for row in table.rows]
    widest = max((text_width(line, size) for lines in labels for line in lines), default=0)
    label_w = math.ceil(widest) + 8
    value_w = math.ceil(max((text_width(_label(r[col]), size) for r in table.rows), default=0)) + 8
    bar_space = width - label_w - value_w
    row_hs = [max(24, math.ceil(len(lines) * line_h + 8)) for lines in labels]
    height = max(sum(row_hs) + 2 * pad, 30)
    out = [_open(f"chart-{table.key}", width, height, table.caption, _describe(table))]
    hatch = f"hatch-{table.key}-0"
    if table.suppressed:
        out.append(_hatch(hatch, COLOURS[0]))
    y = pad
    for i, row in enumerate(table.rows):
        row_h = row_hs[i]
        bar_y = y + (row_h - bar_h) / 2
        base = round(y + row_h / 2 + 0.35 * size, 1)  # the baseline of a line centred on the bar
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
                    y=bar_y,
                    w=x1 - x0,
                    h=bar_h,
                    p=hatch,
                    c=COLOURS[0],
                    dash=mark_safe(' stroke-dasharray="3 2"') if rng[1] == INF else "",
                )
            )
            label_x = min(x1, bar_space)
        lines = labels[i]
        out.append(
            _lines(
                label_w - 6,
                round(base - (len(lines) - 1) * line_h / 2, 1),
                lines,
                size,
                text_anchor="end",
                fill=TEXT,
            )
        )
        if bar:
            out.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}"/>',
                    x=label_w,
                    y=bar_y,
                    w=bar,
                    h=bar_h,
                    f=COLOURS[0],
                )
            )
        out.append(
            format_html(
                '<text x="{x}" y="{ty}" fill="{c}">{v}</text>',
                x=label_w + label_x + 4,
                ty=base,
                c=TEXT,
                v=_label(shown),
            )
        )
        y += row_h
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html


def column_chart(table: Table, *, width: int = 460) -> SafeString:
    """Vertical grouped columns: one group per row (e.g. a month), one series per count
    column, with a legend."""
    series = list(table.count_columns)
    groups = table.rows
    top = _top(table, series)
    size, tick = 13, 9
    pad, bottom = 8, 34
    left = math.ceil(text_width(str(round(top)), size)) + 8  # room for the axis maximum
    plot_h = 150
    plot_w = width - left - pad
    legend = [wrap(table.header[c], width - left - 18 - pad, size) for c in series]
    legend_hs = [max(18, math.ceil(len(lines) * LINE * size + 4)) for lines in legend]
    height = plot_h + bottom + sum(legend_hs) + pad
    group_w = plot_w / max(len(groups), 1)
    bar_w = max(min((group_w - 4) / len(series), 18), 1)
    # every step-th group is labelled, so that no two axis labels touch
    tick_w = max((text_width(_label(row[0]), tick) for row in groups), default=0) + 4
    step = max(1, math.ceil(tick_w / group_w))
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
        if gi % step == 0:
            half = text_width(_label(row[0]), tick) / 2
            centre = min(max(gx + group_w / 2 - 2, half), width - half)  # never past an edge
            out.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="{c}" '
                    'font-size="{s}">{l}</text>',
                    x=f"{centre:.1f}",
                    y=base_y + 13,
                    c=TEXT,
                    s=tick,
                    l=_label(row[0]),
                )
            )
    y = base_y + bottom - 6
    for si, _c in enumerate(series):
        out.append(
            format_html(
                '<rect x="{x}" y="{y}" width="12" height="12" fill="{f}"/>',
                x=left,
                y=y,
                f=COLOURS[si % len(COLOURS)],
            )
        )
        out.append(_lines(left + 18, y + 10, legend[si], size, fill=TEXT))
        y += legend_hs[si]
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html


def chart_for(table: Table) -> SafeString:
    if table.is_empty or not table.chart:
        return mark_safe("")
    if table.chart == "columns":
        return column_chart(table)
    return bar_chart(table)


__all__ = ["bar_chart", "column_chart", "chart_for", "escape"]
