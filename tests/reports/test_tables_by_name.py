"""Report tables by name: cells are named (table, row key, column key), so that putting
columns or rows in another order changes only the drawing; a link between tables, or a total
a table declares, that the figures do not satisfy is an error, never skipped (issue 18 §3).

Each test here failed on the landed code, where links named cells by position and a link or
a total that did not hold was left out, by the protection and by the tests' audit alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reports import metrics
from reports.sdc import Cell, Link, LinkError, RelationError, protect_together
from reports.tables import (
    HIDDEN,
    SMALL,
    TOTAL,
    Column,
    Row,
    Table,
    links,
    month_row,
    present,
)

from .sdc_audit import assert_protected_together


def reordered(table: Table, *, columns=None, rows=None) -> Table:
    """The same table with its count columns and rows in another order (by key)."""
    order = [table.columns[0], *(table.column(k) for k in columns)] if columns else table.columns
    at = [table.index(c.key) for c in order]

    def move(row: Row) -> Row:
        return Row(row.key, [row[i] for i in at])

    keys = rows if rows is not None else [r.key for r in table.rows]
    return replace(
        table,
        columns=order,
        rows=[move(table.row(k)) for k in keys],
        total=move(table.total) if table.total is not None else None,
    )


def upside_down(table: Table) -> Table:
    """Every column after the labels and every row in the opposite order."""
    if not table.sensitive:
        return table
    keys = [c.key for c in table.columns[1:]]
    return reordered(table, columns=keys[::-1], rows=[r.key for r in table.rows][::-1])


def by_name(tables: list[Table]) -> dict:
    """Every count cell as published, by name."""
    return {
        (t.key, row.key, c.key): row[t.index(c.key)]
        for t in tables
        for row in t.lines()
        for c in t.columns
        if c.count
    }


def pairs(exact: list[Table], shown: list[Table]) -> list:
    return [(e, s) for e, s in zip(exact, shown, strict=True) if e.sensitive]


# -- reordering changes the drawing only -----------------------------------------------------
@pytest.mark.parametrize("dashboard", ["region", "national"])
def test_columns_and_rows_in_another_order_are_protected_the_same(figures, dashboard):
    """On the landed code, links named "the total row's 4th cell": with the grondslag
    table's columns in another order the links bound other counts, did not hold and were
    dropped, and the status table's closed cases could be read off the grondslag table's
    total — with every test green (the audit dropped the same links)."""
    span = figures.span
    make = metrics.region_figures if dashboard == "region" else metrics.national_figures
    exact = make(span)
    moved = [upside_down(t) for t in exact]
    assert [t.header for t in moved] != [t.header for t in exact]  # really moved
    # the same links, binding the same cells
    assert links(moved) == links(exact) and links(exact)
    shown, again = present(exact, suppress=True), present(moved, suppress=True)
    assert by_name(again) == by_name(shown)  # the same cells hidden, the same marks
    assert any(v in (SMALL, HIDDEN) for v in by_name(shown).values())
    assert_protected_together(pairs(moved, again), links(moved))


def test_links_name_cells_not_positions():
    """The grondslag table's total "Total" is the status table's total whatever the order."""
    status, grondslag, _links = status_and_grondslag()
    moved = reordered(grondslag, columns=["total", "closed", "open"])
    for tables in ([status, grondslag], [status, moved]):
        declared = {link.name: link for link in links(tables)}
        assert declared["all jeugdigen"].left == (Cell("grondslag", TOTAL, "total"),)
        together = protect_together(tables, declared.values())
        assert together[0].cell("afgesloten", "jeugdigen") == HIDDEN  # linked: "x"
        assert_protected_together(list(zip(tables, together, strict=True)), declared.values())


# -- a link or a total that does not hold is an error ----------------------------------------
def status_and_grondslag(closed: int = 2) -> tuple[Table, Table, list[Link]]:
    status = Table(
        key="status",
        caption="s",
        columns=[Column("step", ""), Column("jeugdigen", "n", count=True)],
        rows=[
            Row("aangemeld", ["a", 6]),
            Row("in_beeld", ["b", 6 - closed]),
            Row("afgesloten", ["closed", closed]),
        ],
        total=Row(TOTAL, ["T", 12]),
    )
    grondslag = Table(
        key="grondslag",
        caption="g",
        columns=[
            Column("grondslag", ""),
            Column("open", "open", count=True),
            Column("closed", "closed", count=True),
            Column("total", "total", count=True, sums=("open", "closed")),
        ],
        rows=[Row("5a", ["5a", 6, 1, 7]), Row("av", ["av", 4, 1, 5])],
        total=Row(TOTAL, ["T", 10, 2, 12]),
    )
    return status, grondslag, links([status, grondslag])


def test_a_link_the_figures_do_not_satisfy_raises():
    """The landed code left such a link out and published the tables as if unlinked."""
    status, grondslag, declared = status_and_grondslag(closed=3)  # 3 closed here, 2 there
    protect_together([status, grondslag], declared[:1])  # all jeugdigen: 12 in both
    assert {link.name for link in declared} == {"all jeugdigen", "closed jeugdigen"}
    with pytest.raises(LinkError, match="closed jeugdigen"):
        protect_together([status, grondslag], declared)
    with pytest.raises(LinkError):
        present([status, grondslag], suppress=True)
    with pytest.raises(AssertionError, match="does not hold"):  # the audit fails too
        assert_protected_together([(status, status), (grondslag, grondslag)], declared)


def test_a_link_to_a_cell_that_is_not_there_raises():
    status, grondslag, _declared = status_and_grondslag()
    for cell, why in [
        (Cell("grondslag", TOTAL, "Total"), "no column 'Total'"),
        (Cell("status", "closed", "jeugdigen"), "no row 'closed'"),
        (Cell("status", TOTAL, "step"), "not a count"),
        (Cell("age", TOTAL, "jeugdigen"), "not protected with it"),
    ]:
        link = Link("wrong", (Cell("grondslag", TOTAL, "closed"),), (cell,))
        with pytest.raises(LinkError, match=why):
            protect_together([status, grondslag], [link])
    twice = Link(
        "twice", (Cell("grondslag", TOTAL, "closed"), Cell("grondslag", TOTAL, "closed")), ()
    )
    with pytest.raises(LinkError, match="names a cell twice"):
        protect_together([status, grondslag], [twice])
    # a table released on its own links to nothing: the condition is stated, not skipped
    assert links([grondslag]) == []
    shown = replace(grondslag, suppressed=True)  # not protected here: a link to it is an error
    with pytest.raises(LinkError, match="not protected with it"):
        protect_together([status, shown], links([status, grondslag]))


def test_a_live_link_that_breaks_raises_on_the_dashboard(figures, monkeypatch):
    """A figure function that drifts from another (here the age bands miss an open case)
    makes the protected dashboard fail loudly instead of publishing it unlinked."""
    exact = metrics.region_figures(figures.span)
    age = next(t for t in exact if t.key == "age")
    first = age.rows[0]
    broken = replace(age, rows=[Row(first.key, [first[0], first[1] + 1]), *age.rows[1:]])
    broken = replace(broken, total=Row(TOTAL, [age.total[0], age.total[1] + 1]))
    tables = [broken if t is age else t for t in exact]
    with pytest.raises(LinkError, match="open jeugdigen"):
        present(tables, suppress=True)
    assert present(tables, suppress=False) == tables  # exact figures need no links


@pytest.mark.parametrize("total", [11, 13])
def test_a_total_that_is_not_the_sum_it_declares_raises(total):
    """The landed code read a total that was not its column's sum as a distinct count."""
    status, _grondslag, _links = status_and_grondslag()
    wrong = replace(status, total=Row(TOTAL, ["T", total]))
    with pytest.raises(RelationError, match="sums to its total"):
        wrong.suppress()
    with pytest.raises(AssertionError):
        assert_protected_together([(wrong, wrong)], ())


def test_a_row_total_that_does_not_add_up_raises():
    _status, grondslag, _links = status_and_grondslag()
    wrong = replace(grondslag, rows=[Row("5a", ["5a", 6, 1, 8]), grondslag.rows[1]])
    wrong = replace(wrong, total=Row(TOTAL, ["T", 10, 2, 13]))
    with pytest.raises(RelationError, match="'total' is the sum of open, closed"):
        wrong.suppress()


@pytest.mark.parametrize("value", [None, "3", 2.0, True])
def test_a_count_cell_that_is_not_a_whole_number_raises(value):
    """A count column holds whole numbers; anything else is a bug in the figures."""
    status, _grondslag, _links = status_and_grondslag()
    wrong = replace(status, rows=[Row("aangemeld", ["a", value]), *status.rows[1:]])
    with pytest.raises(RelationError, match="not a count"):
        wrong.suppress()


def test_a_table_without_keys_is_refused():
    with pytest.raises(ValueError, match="without a key"):
        Table(key="k", caption="c", columns=[Column("a", "a")], rows=[["x"]])
    with pytest.raises(ValueError, match="repeats"):
        Table(key="k", caption="c", columns=[Column("a", "a")], rows=[Row(1, ["x"]), Row(1, ["y"])])
    with pytest.raises(ValueError, match="total row's key"):
        Table(key="k", caption="c", columns=[Column("a", "a")], rows=[], total=Row("t", ["T"]))


# -- interviews in the period and the trend's months -----------------------------------------
def interviews_and_trend(start: date, end: date, months: list[tuple[date, int]], per_kind):
    period = (start, end)
    interviews = Table(
        key="interviews",
        caption="i",
        columns=[
            Column("respondent", ""),
            Column("interviews", "n", count=True, period=period),
            Column("jeugdigen", "j", count=True, total="distinct", period=period),
        ],
        rows=[Row(k, [k, n, j]) for k, n, j in per_kind],
        total=Row(TOTAL, ["T", sum(n for _k, n, _j in per_kind), sum(j for _k, _n, j in per_kind)]),
    )
    covered = (months[0][0], end)
    trend = Table(
        key="trend",
        caption="t",
        columns=[
            Column("month", ""),
            Column("interviews", "n", count=True, period=covered),
        ],
        rows=[Row(month_row(m), [f"{m:%m-%Y}", n]) for m, n in months],
        total=Row(TOTAL, ["T", sum(n for _m, n in months)]),
        chart="columns",
    )
    return interviews, trend


# region VO2101 of the demo, as the landelijk team saw it on 6-12-2026
VO2101 = {
    "start": date(2026, 9, 7),
    "end": date(2026, 12, 6),
    "months": [
        (date(2026, 9, 1), 2),
        (date(2026, 10, 1), 1),
        (date(2026, 11, 1), 6),
        (date(2026, 12, 1), 0),
    ],
    "per_kind": [("parent", 5, 5), ("young_person", 1, 1), ("professional", 1, 1)],
}


def test_the_trend_and_the_interviews_are_linked_when_the_period_starts_later():
    """The landed code linked these two totals only when they happened to be equal. On the
    demo (VO2101) the period started on 7-9: interviews 7, the trend's total 9, and it
    published the trend's September and October as "<3" — but the interviews from October on
    are all in the period, so 7 >= 9 - September: September is 2, October 1."""
    interviews, trend = interviews_and_trend(**VO2101)
    declared = links([interviews, trend])
    assert [link.kind for link in declared] == ["le", "le"]
    assert declared[1].right[1] == Cell("trend", "2026-09", "interviews")
    landed_interviews = replace(
        interviews,
        rows=[Row("parent", ["parent", HIDDEN, 5]), *interviews.rows[1:]],
        suppressed=True,
    )
    landed_interviews = replace(
        landed_interviews,
        rows=[
            landed_interviews.rows[0],
            *(Row(r.key, [r[0], SMALL, SMALL]) for r in interviews.rows[1:]),
        ],
    )
    landed_trend = replace(
        trend,
        rows=[
            Row("2026-09", ["09-2026", SMALL]),
            Row("2026-10", ["10-2026", SMALL]),
            *trend.rows[2:],
        ],
        suppressed=True,
    )
    landed = [(interviews, landed_interviews), (trend, landed_trend)]
    with pytest.raises(AssertionError):
        assert_protected_together(landed, declared)
    shown = present([interviews, trend], suppress=True)
    assert_protected_together(list(zip([interviews, trend], shown, strict=True)), declared)


def test_the_trend_and_the_interviews_are_one_count_when_the_period_starts_on_the_1st():
    interviews, trend = interviews_and_trend(
        date(2026, 9, 1), VO2101["end"], VO2101["months"], [("parent", 9, 5)]
    )
    (link,) = links([interviews, trend])
    assert link.kind == "eq" and link.name == "interviews held in the period"
    shown = present([interviews, trend], suppress=True)
    assert_protected_together(list(zip([interviews, trend], shown, strict=True)), [link])


def test_a_trend_that_does_not_cover_the_period_is_an_error():
    interviews, trend = interviews_and_trend(
        date(2026, 8, 20), VO2101["end"], VO2101["months"], [("parent", 9, 5)]
    )
    with pytest.raises(LinkError, match="does not cover"):
        links([interviews, trend])
