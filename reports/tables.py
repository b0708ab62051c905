"""The one shape every figure is shown in — on a dashboard, in a PDF and in an export — and
the one place where small numbers are suppressed.

Statistical disclosure control (see :mod:`reports.sdc` and docs/reports.md): wherever figures
reach someone without exact access (the landelijk team: national dashboard, region dashboards
of other regions, their exports, the phase report and the "landelijk" region report), a count of
1 or 2 is hidden as "<3", and more cells and totals are hidden as "x" until no hidden value can
be worked out from what is shown with it. 0 stays 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .sdc import HIDDEN, SMALL, THRESHOLD, protect

__all__ = ["HIDDEN", "SMALL", "THRESHOLD", "Table", "present", "suppress_value"]


def suppress_value(value):
    """Primary suppression of one value: 1 and 2 become "<3"; 0, 3+ and text stay."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return SMALL if 0 < value < THRESHOLD else value


@dataclass(frozen=True)
class Table:
    """A captioned table: ``rows`` are lists whose first cell is the row label.

    ``count_columns`` are the indices of cells that count children or their records (those are
    suppressed); ``total`` is a total row or None (exact, until suppressed). ``chart`` says how
    the table is drawn: "bars" (first count column per row), "columns" (a trend: every count
    column a series) or "".
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
        """The same table with small cells suppressed and protected (reports.sdc)."""
        if not self.sensitive or self.suppressed:
            return self
        return protect(self)

    @property
    def has_hidden(self) -> bool:
        return any(v == HIDDEN for row in [*self.rows, self.total or []] for v in row)

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
