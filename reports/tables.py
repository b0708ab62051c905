"""The one shape every figure is shown in — on a dashboard, in a PDF and in an export — and
the one place where small numbers are suppressed.

**Tables by name.** Every column has a stable key next to its label (``open``, ``closed``,
``total``), every row a stable key next to its label (the grondslag, the step, the region's
code, the month) and the total row the key :data:`TOTAL`. A cell is named by table, row and
column key (:class:`~reports.sdc.Cell`), never by position: the protection, the links between
tables and the charts' ranges all use names, so putting columns or rows in another order
changes what is drawn where and nothing else. Positions are for drawing only
(:attr:`Table.count_columns`, :attr:`Table.right_columns`).

A table says what its totals are: a column's cell in the total row is the sum of the rows
(:data:`SUM`) or a count of distinct jeugdigen (:data:`DISTINCT`: at least each row's cell,
at most their sum); a row-total column names the columns it sums (:attr:`Column.sums`). The
exact figures must satisfy what a table declares, and :func:`links` declares the counts that
two tables shown together share; a declaration the figures do not satisfy raises
(:class:`~reports.sdc.RelationError`, :class:`~reports.sdc.LinkError`).

Statistical disclosure control (see :mod:`reports.sdc` and docs/reports.md): wherever figures
reach someone without exact access (the landelijk team: national dashboard, region dashboards
of other regions, their exports, the phase report and the "landelijk" region report), a count of
1 or 2 is hidden as "<3", and more cells and totals are hidden as "x" until no hidden value can
be worked out from what is shown with it. 0 stays 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .sdc import (
    DISTINCT,
    HIDDEN,
    SMALL,
    SUM,
    THRESHOLD,
    TOTAL,
    Cell,
    Link,
    LinkError,
    RelationError,
    protect,
    protect_together,
)

__all__ = [
    "DISTINCT",
    "HIDDEN",
    "SMALL",
    "SUM",
    "THRESHOLD",
    "TOTAL",
    "Cell",
    "Column",
    "Link",
    "LinkError",
    "RelationError",
    "Row",
    "Table",
    "links",
    "month_row",
    "present",
    "suppress_value",
]

# TOTAL: the key of a table's total row. What a column's total-row cell is: SUM, the sum of
# its cells; DISTINCT, a count of distinct jeugdigen (each cell <= total <= the cells' sum).


def suppress_value(value):
    """Primary suppression of one value: 1 and 2 become "<3"; 0, 3+ and text stay."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return SMALL if 0 < value < THRESHOLD else value


@dataclass(frozen=True)
class Column:
    """A column: its stable ``key`` and the ``label`` shown in the header.

    ``count``: its cells count children or their records (protected in a sensitive table,
    drawn by the chart). ``total``: what its cell in the total row is, :data:`SUM` or
    :data:`DISTINCT`. ``sums``: a row-total column, in every row the sum of these columns.
    ``number``: right-aligned (default: ``count``). ``period``: for a column of events in a
    period (interviews held, sessions), the first and last day its total row counts; None for
    a count as of today (cases, obstacles).
    """

    key: str
    label: str
    count: bool = False
    total: str = SUM
    sums: tuple[str, ...] = ()
    number: bool | None = None
    period: tuple[date, date] | None = None

    @property
    def right(self) -> bool:
        return self.count if self.number is None else self.number


class Row(list):
    """A row as shown — its label, then one cell per further column — with the row's stable
    ``key``. A list, so that whatever draws or writes a table reads it as a list of cells."""

    __slots__ = ("key",)

    def __init__(self, key: Hashable, cells: Iterable = ()):
        super().__init__(cells)
        self.key = key

    def __repr__(self) -> str:
        return f"Row({self.key!r}, {list.__repr__(self)})"


@dataclass(frozen=True)
class Table:
    """A captioned table of named columns and rows (see the module docstring).

    ``columns``: the first is the rows' labels. ``total``: the total row (key :data:`TOTAL`)
    or None. ``chart`` says how the table is drawn: "bars" (first count column per row),
    "columns" (a trend: every count column a series) or "". ``ranges``: set by the
    protection, the interval a chart draws for each hidden cell, by (row key, column key).
    """

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[Row]
    total: Row | None = None
    chart: str = "bars"
    description: str = ""
    sensitive: bool = True
    suppressed: bool = False
    ranges: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        keys = [c.key for c in self.columns]
        problems = []
        if len(set(keys)) != len(keys):
            problems.append(f"column keys repeat: {keys}")
        counts = {c.key for c in self.columns if c.count}
        for c in self.columns:
            if c.total not in (SUM, DISTINCT):
                problems.append(f"column {c.key!r}: total {c.total!r} is neither SUM nor DISTINCT")
            if not set(c.sums) <= counts - {c.key}:
                problems.append(f"column {c.key!r} sums {c.sums}: not all other count columns")
        seen = set()
        for row in [*self.rows, *([self.total] if self.total is not None else [])]:
            if not isinstance(row, Row):
                problems.append(f"a row without a key: {row!r}")
                continue
            if len(row) != len(keys):
                problems.append(f"row {row.key!r} has {len(row)} cells for {len(keys)} columns")
            if row.key == TOTAL and row is not self.total:
                problems.append(f"row key {TOTAL!r} is the total row's")
            if row.key in seen:
                problems.append(f"row key {row.key!r} repeats")
            seen.add(row.key)
        if self.total is not None and getattr(self.total, "key", None) != TOTAL:
            problems.append(f"the total row's key is not {TOTAL!r}")
        if problems:
            raise ValueError(f"table {self.key!r}: " + "; ".join(problems))

    # -- by name -----------------------------------------------------------------------------
    def index(self, column: str) -> int:
        """The position of the column with this key (for drawing)."""
        for i, c in enumerate(self.columns):
            if c.key == column:
                return i
        raise KeyError(f"table {self.key!r} has no column {column!r}")

    def column(self, key: str) -> Column:
        return self.columns[self.index(key)]

    def row(self, key: Hashable) -> Row:
        """The row with this key; :data:`TOTAL` is the total row."""
        if key == TOTAL and self.total is not None:
            return self.total
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")

    def cell(self, row: Hashable, column: str):
        """The value of a cell by its row and column key."""
        return self.row(row)[self.index(column)]

    def lines(self) -> Iterator[Row]:
        """The rows, then the total row if there is one."""
        yield from self.rows
        if self.total is not None:
            yield self.total

    # -- for drawing ---------------------------------------------------------------------------
    @cached_property
    def header(self) -> list[str]:
        """The columns' labels, as the header row shows them."""
        return [c.label for c in self.columns]

    @cached_property
    def count_columns(self) -> tuple[int, ...]:
        """Positions of the count columns (what a chart draws)."""
        return tuple(i for i, c in enumerate(self.columns) if c.count)

    @cached_property
    def right_columns(self) -> tuple[int, ...]:
        """Positions of the right-aligned (number) columns."""
        return tuple(i for i, c in enumerate(self.columns) if c.right)

    def suppress(self) -> Table:
        """The same table with small cells suppressed and protected (reports.sdc)."""
        if not self.sensitive or self.suppressed:
            return self
        return protect(self)

    @property
    def has_hidden(self) -> bool:
        return any(v == HIDDEN for row in self.lines() for v in row)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def as_rows(self) -> list[list]:
        """Header, rows and the total row: what an export writes."""
        return [list(self.header), *[list(r) for r in self.lines()]]


def month_row(day: date) -> str:
    """The key of the row of the month ``day`` falls in, in a table per month ("2026-09")."""
    return f"{day:%Y-%m}"


# -- links between tables -------------------------------------------------------------------
def links(tables: Iterable[Table]) -> list[Link]:
    """The counts that tables released together share, by name: protected as one system
    (:func:`reports.sdc.protect_together`), so that a cell hidden in one cannot be read off
    another. A link applies when its tables are released together and its stated condition
    holds; one that applies must bind exactly: a cell it names that is not there, or exact
    figures that do not satisfy it, raise :class:`~reports.sdc.LinkError` — never skipped."""
    from cases import rules
    from cases.models import Status

    shown = {t.key: t for t in tables}
    closed_steps = tuple(s for s in Status.values if not rules.case_open(s))
    declared = [
        _link("all jeugdigen", [("grondslag", TOTAL, "total")], [("status", TOTAL, "jeugdigen")]),
        _link(
            "closed jeugdigen",
            [("grondslag", TOTAL, "closed")],
            [("status", step, "jeugdigen") for step in closed_steps],
        ),
        _link("open jeugdigen", [("grondslag", TOTAL, "open")], [("age", TOTAL, "jeugdigen")]),
        _link("open jeugdigen", [("grondslag", TOTAL, "open")], [("regions", TOTAL, "open")]),
        _link(
            "jeugdigen in development",
            [("status", Status.IN_ONTWIKKELING, "jeugdigen")],
            [("regions", TOTAL, "developing")],
        ),
        _link(
            "open belemmerende factoren",
            [("obstacles", TOTAL, "open")],
            [("regions", TOTAL, "open_obstacles")],
        ),
        _link(
            "all belemmerende factoren",
            [("obstacles", TOTAL, "open"), ("obstacles", TOTAL, "closed")],
            [("agenda", TOTAL, "total")],
        ),
        _link(
            "closed belemmerende factoren",
            [("obstacles", TOTAL, "closed")],
            [("agenda", TOTAL, status) for status in rules.OBSTACLE_CLOSED_STATUSES],
        ),
    ]
    if "interviews" in shown and "trend" in shown:
        declared += _interviews_in_the_trend(shown["interviews"], shown["trend"])
    return [link for link in declared if link.tables <= shown.keys()]


def _link(name: str, left: list[tuple], right: list[tuple], kind: str = "eq") -> Link:
    return Link(name, tuple(Cell(*c) for c in left), tuple(Cell(*c) for c in right), kind)


def _interviews_in_the_trend(interviews: Table, trend: Table) -> list[Link]:
    """Interviews held in the period, and the trend's interviews per month of it.

    The trend counts whole months from the first of the period's first month. When the period
    starts on the 1st the two totals are the same count; when it starts later in its first
    month the trend's total is at least the period's and at most the period's plus that first
    month. Both hold by construction; any other coverage is a bug in the tables."""
    (start, end) = interviews.column("interviews").period
    (t_start, t_end) = trend.column("interviews").period
    if (t_start, t_end) == (start, end):
        return [
            _link(
                "interviews held in the period",
                [("interviews", TOTAL, "interviews")],
                [("trend", TOTAL, "interviews")],
            )
        ]
    if (
        t_end == end
        and t_start < start
        and (start.year, start.month)
        == (
            t_start.year,
            t_start.month,
        )
    ):
        first = month_row(t_start)  # the trend's row of the period's first month
        return [
            _link(
                "interviews held in the period, within the trend's months",
                [("interviews", TOTAL, "interviews")],
                [("trend", TOTAL, "interviews")],
                "le",
            ),
            _link(
                "the trend's interviews, at most the period's and its first month's",
                [("trend", TOTAL, "interviews")],
                [("interviews", TOTAL, "interviews"), ("trend", first, "interviews")],
                "le",
            ),
        ]
    raise LinkError(
        f"the trend ({t_start} to {t_end}) does not cover the interviews' period "
        f"({start} to {end}): their relation is not declared"
    )


def present(tables: list[Table], *, suppress: bool) -> list[Table]:
    """The tables as a viewer may see them: protected together when ``suppress``."""
    return protect_together(tables, links(tables)) if suppress else tables
