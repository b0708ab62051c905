"""wel.memo: the dashboards' charts and table markup remembered per process (issue 23).

What is remembered must be exactly what would be made now: any difference in what the markup
is made of (a count, a hidden cell, a label, a row link, the language, the time zone) is
another key. Checked here against the markup made afresh, for every kind of change."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from reports import selectors
from reports.charts import chart_for
from reports.html import table_body
from reports.tables import TOTAL, Column, Row, Table
from wel import memo


@pytest.fixture(autouse=True)
def _empty():
    memo.forget()
    yield
    memo.forget()


def _table(**changes) -> Table:
    base = {
        "key": "per_region",
        "caption": gettext_lazy("Jeugdigen per region"),
        "columns": [Column("label", gettext_lazy("Region")), Column("n", "n", count=True)],
        "rows": [Row("R1", ["Regio Een", 3]), Row("R2", ["Regio Twee", 12])],
        "total": Row(TOTAL, ["Total", 15]),
    }
    base.update(changes)
    return Table(**base)


def _fresh(shown: selectors.Shown) -> tuple[str, str]:
    links = [link for _row, link in shown.linked_rows]
    return chart_for(shown.table), table_body(shown.table, links)


CHANGES = {
    "a count": {
        "rows": [Row("R1", ["Regio Een", 4]), Row("R2", ["Regio Twee", 12])],
        "total": Row(TOTAL, ["Total", 16]),
    },
    "a label": {"rows": [Row("R1", ["Regio 1", 3]), Row("R2", ["Regio Twee", 12])]},
    "a hidden cell": {
        "rows": [Row("R1", ["Regio Een", "<5"]), Row("R2", ["Regio Twee", 12])],
        "suppressed": True,
        "ranges": {("R1", "n"): (1, 4)},
    },
    "the caption": {"caption": "Anders"},
    "the chart kind": {"chart": "columns"},
    "the row links": {"extra": {"row_keys": "region codes"}},
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_table_is_made_afresh(change):
    before = selectors.shown([_table()])[0]
    assert (before.chart, before.table_html) == _fresh(before)
    after = selectors.shown([_table(**CHANGES[change])])[0]
    assert (after.chart, after.table_html) == _fresh(after)
    assert (after.chart, after.table_html) != (before.chart, before.table_html)


def test_the_same_table_is_made_once(monkeypatch):
    made = []
    real = selectors.chart_for

    def counting(table):
        made.append(table.key)
        return real(table)

    monkeypatch.setattr(selectors, "chart_for", counting)
    first = selectors.shown([_table()])[0].chart
    again = selectors.shown([dataclasses.replace(_table())])[0].chart
    assert first == again and made == ["per_region"]


def test_another_language_is_another_key():
    with translation.override("nl"):
        dutch = selectors.shown([_table()])[0]
        dutch_html = dutch.table_html
    with translation.override("en"):
        english = selectors.shown([_table()])[0]
        english_html = english.table_html
        assert (english.chart, english_html) == _fresh(english)
    assert ">Regio</th>" in dutch_html and ">Region</th>" in english_html


def test_another_time_zone_is_another_key():
    from datetime import UTC, datetime

    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    table = _table(rows=[Row("R1", ["Regio Een", moment])], total=None, chart="")
    with timezone.override("Europe/Amsterdam"):
        amsterdam = selectors.shown([table])[0].table_html
    with timezone.override("UTC"):
        utc = selectors.shown([table])[0].table_html
    assert "02-03-2026" in amsterdam and "01-03-2026" in utc


def test_only_the_last_tables_are_kept(monkeypatch):
    monkeypatch.setattr(memo, "SIZE", 3)
    for n in range(10):
        selectors.shown([_table(rows=[Row("R1", ["Regio Een", n])], total=None)])
    assert len(memo._kept) == 3
