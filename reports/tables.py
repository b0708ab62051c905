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

from .sdc import HIDDEN, SMALL, THRESHOLD, Link, protect, protect_together

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


def links(tables: list[Table]) -> list[Link]:
    """The counts that two of the dashboards' tables share (reports.metrics): protected as one
    system when shown together, so that a cell hidden in one cannot be read off the other.
    Only links whose tables are both present, and that the exact figures satisfy, are used."""
    from cases.models import Status
    from interviews.models import AgendaStatus

    by_key = {t.key: t for t in tables}
    closed = Status.values.index(Status.AFGESLOTEN)
    developing = Status.values.index(Status.IN_ONTWIKKELING)
    out = [
        # all jeugdigen; closed ones; open ones (grondslag: open, closed, total)
        Link((("grondslag", ("t", 3)),), (("status", ("t", 1)),)),
        Link((("grondslag", ("t", 2)),), (("status", ("c", closed, 1)),)),
        Link((("grondslag", ("t", 1)),), (("age", ("t", 1)),)),
        Link((("grondslag", ("t", 1)),), (("regions", ("t", 1)),)),
        Link((("status", ("c", developing, 1)),), (("regions", ("t", 3)),)),
        # interviews in the period (the trend's months cover it when it starts on the 1st)
        Link((("interviews", ("t", 1)),), (("trend", ("t", 3)),)),
        # belemmerende factoren: open ones; all of them
        Link((("obstacles", ("t", 1)),), (("regions", ("t", 5)),)),
    ]
    agenda = by_key.get("agenda")
    if agenda is not None and agenda.row_total_column is not None:
        solved = [
            AgendaStatus.values.index(s) + 1
            for s in (AgendaStatus.OPGELOST, AgendaStatus.NIET_OPLOSBAAR)
        ]
        out += [
            Link(
                (("obstacles", ("t", 1)), ("obstacles", ("t", 2))),
                (("agenda", ("t", agenda.row_total_column)),),
            ),
            Link((("obstacles", ("t", 2)),), tuple(("agenda", ("t", c)) for c in solved)),
        ]
    return out


def present(tables: list[Table], *, suppress: bool) -> list[Table]:
    """The tables as a viewer may see them: protected together when ``suppress``."""
    return protect_together(tables, links(tables)) if suppress else tables
