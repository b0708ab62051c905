"""Statistical disclosure control: the reproductions from issue 9 §1, boundary tables, random
tables (hypothesis) and the demo's real tables, each checked by an independent LP audit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.sdc import (
    Cell,
    Link,
    feasible_range,
    protect_together,
    suppression_pattern,
    system_for,
)
from reports.tables import DISTINCT, HIDDEN, SMALL, SUM, TOTAL, Column, Row, Table

from .sdc_audit import assert_protected, assert_protected_together, intervals


def column(values, total=None, **kw) -> Table:
    rows = [Row(f"r{i}", [f"r{i}", v]) for i, v in enumerate(values)]
    return Table(
        key="k",
        caption="c",
        columns=[
            Column("label", ""),
            Column("n", "n", count=True, total=SUM if total is None else DISTINCT),
        ],
        rows=rows,
        total=Row(TOTAL, ["Total", sum(values) if total is None else total]),
        **kw,
    )


def grid(cells: list[list[int]]) -> Table:
    """Rows of parts with a row-total column and a total row (grondslag / agenda shape)."""
    width = len(cells[0])
    parts = [f"c{c}" for c in range(width)]
    rows = [Row(f"r{i}", [f"r{i}", *r, sum(r)]) for i, r in enumerate(cells)]
    total = Row(TOTAL, ["Total", *[sum(r[c] for r in rows) for c in range(1, width + 2)]])
    return Table(
        key="g",
        caption="g",
        columns=[
            Column("label", ""),
            *(Column(p, p, count=True) for p in parts),
            Column("total", "Total", count=True, sums=tuple(parts)),
        ],
        rows=rows,
        total=total,
    )


def c(row, column="n", table="k") -> Cell:
    return Cell(table, row, column)


# -- the reproductions (each failed on the landed code) ------------------------------------
def test_two_small_cells_that_add_up_to_the_rest_are_protected():
    """Issue 9: "Totaal" 11, 4, <3, 0, <3 with total 17: the two hidden cells sum to 2."""
    t = column([11, 4, 1, 0, 1])
    shown = t.suppress()
    assert [r[1] for r in shown.rows] == [11, HIDDEN, SMALL, 0, SMALL]
    assert shown.total[1] == 17
    assert_protected(t, shown)


def test_a_narrow_period_does_not_show_its_small_total():
    """Issue 9: trend.csv?start=2026-09-01&end=2026-09-30 showed "<3" next to an exact 1."""
    t = Table(
        key="trend",
        caption="Trend",
        columns=[
            Column("month", "Month"),
            Column("registered", "Registered", count=True),
            Column("contacts", "Contact moments", count=True),
            Column("interviews", "Interviews", count=True),
        ],
        rows=[Row("2026-09", ["09-2026", 1, 0, 0])],
        total=Row(TOTAL, ["Total", 1, 0, 0]),
        chart="columns",
    )
    shown = t.suppress()
    assert shown.rows == [["09-2026", SMALL, 0, 0]]
    assert shown.total == ["Total", HIDDEN, 0, 0]
    assert_protected(t, shown)


def test_a_real_zero_stays_zero():
    """Issue 9: a real 0 was shown as "x"; now the small total is hidden instead."""
    t = column([2, 0])
    shown = t.suppress()
    assert [r[1] for r in shown.rows] == [SMALL, 0]
    assert shown.total[1] == HIDDEN
    assert_protected(t, shown)


# -- boundary tables -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "values,expected",
    [
        ([1, 7, 4, 0], [SMALL, 7, HIDDEN, 0]),  # 12 - 7 - 4 - 0 would give the 1 away
        ([1, 2, 9], [SMALL, SMALL, 9]),  # <3 + <3 = 3: 0..3 (width 3), 1+2 or 2+1
        ([3, 3, 3], [3, 3, 3]),  # nothing small
        ([0, 0, 0], [0, 0, 0]),
        ([1, 0, 0], [SMALL, 0, 0]),  # the total (1) is hidden too
        ([5, 1, 1, 1], [HIDDEN, SMALL, SMALL, SMALL]),
    ],
)
def test_column_boundaries(values, expected):
    t = column(values)
    shown = t.suppress()
    assert [r[1] for r in shown.rows] == expected
    assert_protected(t, shown)


def test_a_small_total_is_hidden_and_a_large_one_shown():
    shown = column([1, 1]).suppress()
    assert shown.total[1] == HIDDEN
    # 1 + 1 + 1 = 3 would pin every "<3" to 1 for a reader who knows "<3" is 1 or 2
    assert column([1, 1, 1]).suppress().total[1] == HIDDEN
    shown = column([1, 1, 4]).suppress()
    assert [r[1] for r in shown.rows] == [SMALL, SMALL, HIDDEN] and shown.total[1] == 6


def test_row_totals_and_columns_are_protected_together():
    t = grid([[5, 1], [4, 6]])
    shown = t.suppress()
    assert shown.rows[0][2] == SMALL
    assert_protected(t, shown)
    # nothing hidden can be worked out, and the visible figures are untouched
    assert shown.total[3] == 16


def test_distinct_total_columns_are_inequalities():
    """A "jeugdigen with any activity" total is not the column's sum: each cell <= total."""
    t = column([1, 0, 0], total=1)
    shown = t.suppress()
    assert shown.total[1] == HIDDEN  # 1 would show the "<3" is 1 (cell <= total)
    assert_protected(t, shown)
    t = column([1, 3, 4], total=6)  # jeugdigen in several kinds
    assert_protected(t, t.suppress())


@pytest.mark.parametrize("values,total", [([1, 1], 1), ([1, 1, 1], 2), ([2, 2, 0], 2)])
def test_a_distinct_total_below_the_sum_bounds_every_cell(values, total):
    """One jeugdige with two kinds of activity: 1 and 1 with "any activity" 1. Each cell is
    at most the distinct total, so a shown total of 1 would pin both "<3" to 1."""
    t = column(values, total=total)
    shown = t.suppress()
    assert [r[1] for r in shown.rows] == [SMALL if v else 0 for v in values]
    assert shown.total[1] == HIDDEN
    assert_protected(t, shown)


def test_the_interval_check_is_exact_on_the_found_table():
    t = column([11, 4, 1, 0, 1])
    system = system_for(t)
    two = {c("r2"), c("r4")}
    assert feasible_range(system, two, c("r2"), "A") == (0, 2)  # the landed code's pattern
    hidden = suppression_pattern(system)
    for key in hidden:
        lo, hi = feasible_range(system, hidden, key, "A")
        assert hi - lo >= 3


@pytest.mark.parametrize("values", [[11, 4, 1, 0, 1], [5, 1, 1, 1], [1, 7, 4, 0], [2, 0]])
def test_a_chart_draws_each_hidden_cell_over_what_a_reader_can_know(values):
    """The ranges a chart draws (reports.charts) are the intervals of a reader who knows the
    method, as the independent audit computes them: a "<3" from 1 to 2, an "x" from its
    minimum to its maximum."""
    t = column(values)
    shown = t.suppress()
    informed, _value = intervals(t, shown, knows_method=True)
    hidden = {k for k, v in informed.items() if k[0] != TOTAL}
    assert hidden and set(shown.ranges) == hidden
    for key, (lo, hi) in shown.ranges.items():
        want_lo, want_hi = informed[key]
        assert (lo, hi) == (round(want_lo), want_hi if want_hi == float("inf") else round(want_hi))
        if shown.cell(*key) == SMALL:
            assert (lo, hi) == (1, 2)


def test_not_sensitive_tables_are_left_alone():
    t = Table(
        key="k",
        caption="c",
        columns=[Column("a", "a"), Column("n", "n", count=True)],
        rows=[Row(1, [1, 1])],
        sensitive=False,
    )
    assert t.suppress().rows == [[1, 1]]


# -- random tables (hypothesis), audited by LP ---------------------------------------------
counts = st.one_of(st.integers(0, 4), st.integers(0, 40))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=12))
def test_random_columns_are_protected(values):
    t = column(values)
    assert_protected(t, t.suppress())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 5).flatmap(
        lambda w: st.lists(st.lists(counts, min_size=w, max_size=w), min_size=1, max_size=5)
    )
)
def test_random_grids_with_row_and_column_totals_are_protected(cells):
    t = grid(cells)
    assert_protected(t, t.suppress())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(counts, min_size=3, max_size=3), min_size=1, max_size=8),
    st.booleans(),
)
def test_random_multi_column_tables_are_protected(cells, distinct):
    rows = [Row(f"r{i}", [f"r{i}", *r]) for i, r in enumerate(cells)]
    total = Row(TOTAL, ["Total", *[sum(r[c] for r in rows) for c in (1, 2, 3)]])
    if distinct:  # a distinct-count total: at least the largest cell, at most the sum
        total[3] = max([r[3] for r in rows] + [0]) + (sum(r[3] for r in rows) > 0)
        total[3] = min(total[3], sum(r[3] for r in rows))
    t = Table(
        key="m",
        caption="m",
        columns=[
            Column("label", ""),
            Column("a", "a", count=True),
            Column("b", "b", count=True),
            Column("c", "c", count=True, total=DISTINCT if distinct else SUM),
        ],
        rows=rows,
        total=total,
    )
    assert_protected(t, t.suppress())


def test_the_audit_catches_the_landed_pattern():
    """The audit itself can fail: on the landed code's output it does."""
    t = column([11, 4, 1, 0, 1])
    landed = column([11, 4, 1, 0, 1])
    landed = Table(
        **{
            **landed.__dict__,
            "rows": [
                Row(r.key, [r[0], v])
                for r, v in zip(landed.rows, [11, 4, SMALL, 0, SMALL], strict=True)
            ],
            "suppressed": True,
        }
    )
    plain, _value = intervals(t, landed)
    assert plain[("r2", "n")] == (0, 2)
    with pytest.raises(AssertionError):
        assert_protected(t, landed)


# -- linked tables ---------------------------------------------------------------------------
def status_and_grondslag():
    status = Table(
        key="status",
        caption="s",
        columns=[Column("step", ""), Column("jeugdigen", "n", count=True)],
        rows=[Row("a", ["a", 6]), Row("b", ["b", 4]), Row("closed", ["closed", 2])],
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
    links = [
        Link("all", (c(TOTAL, "total", "grondslag"),), (c(TOTAL, "jeugdigen", "status"),)),
        Link("closed", (c(TOTAL, "closed", "grondslag"),), (c("closed", "jeugdigen", "status"),)),
    ]
    return status, grondslag, links


def test_tables_shown_together_are_protected_as_one_system():
    """Closed cases are a row of the status table and a total of the grondslag table: each
    protected on its own, the status table's "<3" can be read off the grondslag table."""
    status, grondslag, links = status_and_grondslag()
    alone = [status.suppress(), grondslag.suppress()]
    with pytest.raises(AssertionError):
        assert_protected_together([(status, alone[0]), (grondslag, alone[1])], links)
    together = protect_together([status, grondslag], links)
    assert_protected_together([(status, together[0]), (grondslag, together[1])], links)
    assert together[0].cell("closed", "jeugdigen") == HIDDEN  # a linked count is a total: "x"
