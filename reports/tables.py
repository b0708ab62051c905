"""The one shape every figure is shown in — on a dashboard, in a PDF and in an export — and
the one place where small numbers are suppressed.

Small-cell suppression (see docs/reports.md): in a breakdown of children (or of things about
children), a cell of 1 or 2 is shown as "<3" wherever the figures leave the region: the
national dashboard, the phase report, the region report PDF and exports made by the landelijk
team. 0 stays 0 (nobody is identified by an empty cell) and totals stay exact.

Because totals stay exact, a single "<3" in a column (or in a row with a row total) could be
worked out by subtraction. So one more cell of that line is hidden as "x" (complementary
suppression): the smallest other non-zero cell, or a zero when nothing else is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SMALL = "<3"
HIDDEN = "x"
THRESHOLD = 3


def suppress_value(value):
    """1 and 2 become "<3"; everything else (0, 3+, text) is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return SMALL if 0 < value < THRESHOLD else value


@dataclass(frozen=True)
class Table:
    """A captioned table: ``rows`` are lists whose first cell is the row label.

    ``count_columns`` are the indices of cells that count children or their records (those are
    suppressed); ``total`` is an exact total row or None. ``chart`` says how the table is drawn:
    "bars" (first count column per row), "columns" (a trend: every count column a series) or "".
    """

    key: str
    caption: str
    columns: list[str]
    rows: list[list]
    total: list | None = None
    count_columns: tuple[int, ...] = (1,)
    chart: str = "bars"
    description: str = ""
    sensitive: bool = True
    suppressed: bool = False
    number_columns: tuple[int, ...] | None = None  # right-aligned; default: count_columns
    row_total_column: int | None = None  # a count column that sums the row's other ones
    extra: dict = field(default_factory=dict)

    def suppress(self) -> Table:
        """The same table with small cells suppressed (totals stay exact)."""
        if not self.sensitive or self.suppressed:
            return self
        rows = [
            [suppress_value(v) if i in self.count_columns else v for i, v in enumerate(row)]
            for row in self.rows
        ]
        for r, c in self._complementary():
            rows[r][c] = HIDDEN
        return replace(self, rows=rows, suppressed=True)

    def _lines(self) -> list[list[tuple[int, int]]]:
        """Groups of cells whose exact sum is shown: columns summed by the total row, rows
        summed by a row-total column."""
        lines = []
        n = len(self.rows)
        if self.total is not None:
            for c in self.count_columns:
                column = [self.rows[r][c] for r in range(n)]
                if all(isinstance(v, int) for v in column) and self.total[c] == sum(column):
                    lines.append([(r, c) for r in range(n)])
        rt = self.row_total_column
        if rt is not None:
            parts = [c for c in self.count_columns if c != rt]
            for r, row in enumerate(self.rows):
                if row[rt] == sum(row[c] for c in parts):
                    lines.append([(r, c) for c in parts])
        return lines

    def _complementary(self) -> set[tuple[int, int]]:
        def small(cell) -> bool:
            return suppress_value(self.rows[cell[0]][cell[1]]) == SMALL

        hidden: set[tuple[int, int]] = set()
        lines = self._lines()
        changed = True
        while changed:
            changed = False
            for line in lines:
                covered = [cell for cell in line if small(cell) or cell in hidden]
                if len(covered) != 1:
                    continue
                candidates = [cell for cell in line if not small(cell) and cell not in hidden]
                if not candidates:
                    continue
                value = lambda cell: self.rows[cell[0]][cell[1]]  # noqa: E731
                pick = min(candidates, key=lambda cell: (value(cell) == 0, value(cell), cell))
                hidden.add(pick)
                changed = True
        return hidden

    @property
    def has_hidden(self) -> bool:
        return any(v == HIDDEN for row in self.rows for v in row)

    @property
    def right_columns(self) -> tuple[int, ...]:
        return self.count_columns if self.number_columns is None else self.number_columns

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def as_rows(self) -> list[list]:
        """Header, rows and the total row: what an export writes."""
        out = [list(self.columns), *[list(r) for r in self.rows]]
        if self.total is not None:
            out.append(list(self.total))
        return out


def present(tables: list[Table], *, suppress: bool) -> list[Table]:
    """The tables as a viewer may see them."""
    return [t.suppress() for t in tables] if suppress else tables
