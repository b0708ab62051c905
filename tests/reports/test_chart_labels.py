"""Chart labels are shown in full and fit their chart (issue 11: "amenwerking onderwijs–zorg",
"Nog niet leerplichtig (4-…").

Geometry is checked against the real advance widths of DejaVu Sans (read with fontTools from the
font WeasyPrint uses), not against the estimate the charts use, so the estimate is tested too.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from functools import cache

import pytest
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reports import metrics
from reports.charts import bar_chart, chart_for, column_chart, text_width
from reports.tables import Column, Row, Table, present

SVG = "{http://www.w3.org/2000/svg}"
LANGUAGES = ["en", "nl"]


@cache
def _font():
    from fontTools.ttLib import TTFont

    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    assert path.endswith("DejaVuSans.ttf"), path  # the font the PDFs are set in
    font = TTFont(path)
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def real_width(text: str, size: float) -> float:
    cmap, hmtx, upm = _font()
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) * size / upm


def text_boxes(svg: str) -> list[dict]:
    """Every <text> as drawn: its full text (lines joined by a space) and each line's box."""
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    width = float(root.get("width"))
    out = []
    for el in root.iter(f"{SVG}text"):
        size = float(el.get("font-size") or root.get("font-size"))
        anchor = el.get("text-anchor", "start")
        spans = el.findall(f"{SVG}tspan")
        lines = [(float(s.get("x")), s.text or "") for s in spans] or [
            (float(el.get("x")), el.text or "")
        ]
        y, boxes = float(el.get("y")), []
        for i, (x, line) in enumerate(lines):
            if i:
                y += float(spans[i].get("dy"))
            w = real_width(line, size)
            x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
            boxes.append((x0, x0 + w, y - 0.8 * size, y + 0.25 * size))
        text = " ".join(line for _, line in lines)
        out.append({"text": text, "boxes": boxes, "anchor": anchor, "size": size})
    return [dict(t, width=width) for t in out]


def squash(text: str) -> str:
    return "".join(text.split())


def rects(svg: str) -> list[tuple[float, float, float, float]]:
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    return [
        (
            float(r.get("x")),
            float(r.get("x")) + float(r.get("width")),
            float(r.get("y")),
            float(r.get("y")) + float(r.get("height")),
        )
        for r in root.iter(f"{SVG}rect")
        if r.get("x") is not None  # not the hatch pattern's tile
    ]


def overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def assert_labels_fit(table: Table, svg: str) -> None:
    """Each row label, and each legend entry of a column chart, is drawn in full, inside the
    chart, on no bar or swatch, and on no other label."""
    texts = text_boxes(svg)
    width = texts[0]["width"] if texts else 0
    if table.chart == "columns":  # the legend, and the axis ticks drawn (they are thinned)
        wanted = [str(table.header[c]) for c in table.count_columns]
        labels = [t for t in texts if t["anchor"] == "start"]
        ticks = [t for t in texts if t["anchor"] == "middle" and t["size"] == 9]
        assert {t["text"] for t in ticks} <= {str(r[0]) for r in table.rows}
    else:  # a bar chart's row labels are right-aligned against the bars
        wanted = ["–" if r[0] is None else str(r[0]) for r in table.rows]
        labels = ticks = [t for t in texts if t["anchor"] == "end"]
    # in full: the lines put together are the label (a word may break after its hyphen)
    assert [squash(t["text"]) for t in labels] == [squash(w) for w in wanted], (
        f"{table.key}: labels not drawn in full"
    )
    labels = labels + ticks if ticks is not labels else labels
    bars = rects(svg)
    for t in labels:
        for box in t["boxes"]:
            assert box[0] >= -0.5 and box[1] <= width + 0.5, f"{t['text']!r} cut off: {box}"
            assert not any(overlap(box, bar) for bar in bars), f"{t['text']!r} on a bar"
    all_boxes = [(t["text"], b) for t in labels for b in t["boxes"]]
    for i, (ta, a) in enumerate(all_boxes):
        for tb, b in all_boxes[i + 1 :]:
            assert not overlap(a, b), f"{ta!r} and {tb!r} overlap"


def charted(tables: list[Table]) -> list[Table]:
    return [t for t in tables if t.chart and not t.is_empty]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_of_every_report_shows_its_labels_in_full(figures, language):
    """The real category labels (grondslag, step, age band, respondent, kind of development,
    category, method, month, phase, key figure) of every chart on the dashboards and in the
    PDFs, exact and protected, in both languages."""
    with translation.override(language):
        region = metrics.region_figures(figures.span)
        national = metrics.national_figures(figures.span)
        tables = [*region, *national, metrics.focus_trajectories(figures.span)]
        tables += present(region, suppress=True) + present(national, suppress=True)
        per_region = metrics.key_counts_per_region(figures.span)
        tables.append(  # a phase overview's chart per region: the key figures as labels
            Table(
                key="region-x",
                caption="x",
                columns=[Column("figure", "Figure"), Column("number", "Number", count=True)],
                rows=[Row(c.key, [str(c.label), 1]) for c in per_region.columns if c.count],
            )
        )
        checked = 0
        for table in charted(tables):
            assert_labels_fit(table, str(chart_for(table)))
            checked += 1
    assert checked >= 15
    assert {"Nog niet leerplichtig (4-jarige)", "Ontwikkelaanbod in voorbereiding"} <= {
        str(r[0]) for t in tables for r in t.rows
    } or language == "en"


def test_a_long_trend_labels_its_axis_without_overlap():
    """Two years of months, four long series names: ticks thinned, legend wrapped."""
    months = [date(2025 + m // 12, m % 12 + 1, 1).strftime("%m-%Y") for m in range(24)]
    table = Table(
        key="trend",
        caption="Trend",
        columns=[
            Column("month", "Month"),
            *(
                Column(f"s{i}", " ".join([f"Een heel lange naam van reeks {i}"] * 3), count=True)
                for i in range(4)
            ),
        ],
        rows=[Row(m, [m, 1234, 5, 0, 17]) for m in months],
        chart="columns",
    )
    svg = str(column_chart(table))
    assert_labels_fit(table, svg)
    ticks = [t for t in text_boxes(svg) if t["text"] in months]
    assert len(ticks) >= 6  # thinned, not dropped
    axis = [t for t in text_boxes(svg) if t["text"] == "1234"]
    assert axis and axis[0]["boxes"][0][0] >= 0  # the axis maximum is not cut


LABEL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -–/()'.,éëïöü",
    min_size=1,
    max_size=70,
).filter(str.strip)


@settings(max_examples=40, deadline=None)
@given(labels=st.lists(LABEL, min_size=1, max_size=8), values=st.data())
@example(labels=["W" * 70, "onderwijs–zorg/" * 5], values=None)
def test_any_bar_labels_fit(labels, values):
    labels = [" ".join(label.split()) for label in labels]
    draw = values.draw if values else lambda _s: 99_999
    rows = [Row(i, [label, draw(st.integers(0, 99_999))]) for i, label in enumerate(labels)]
    columns = [Column("label", "Label"), Column("n", "Number", count=True)]
    table = Table(key="t", caption="t", columns=columns, rows=rows)
    assert_labels_fit(table, str(bar_chart(table)))


@settings(max_examples=60, deadline=None)
@given(text=LABEL, size=st.sampled_from([8, 9, 13]))
def test_the_width_estimate_is_never_less_than_the_font(text, size):
    assert text_width(text, size) >= real_width(text, size) - 1e-9
