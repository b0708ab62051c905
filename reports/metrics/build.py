"""Small helpers the table builders share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from ..tables import TOTAL, Column, Row


def choice_labels(choices) -> dict:
    """``{value: label}`` of a model's choices, labels as text in the active language."""
    return {value: str(label) for value, label in choices}


def total_row(
    columns: Iterable[Column],
    rows: list[Row],
    *,
    label: str | None = None,
    summed: Iterable[str] | None = None,
) -> Row:
    """The total row (key ``TOTAL``): each count column's cells added up (``summed``: these
    columns' instead), "" under the others."""
    columns = list(columns)
    keys = set(summed) if summed is not None else {c.key for c in columns if c.count}
    cells = [label or _("Total")]
    for i, column in enumerate(columns[1:], start=1):
        cells.append(sum(r[i] for r in rows if isinstance(r[i], int)) if column.key in keys else "")
    return Row(TOTAL, cells)


def month_key(value) -> date | None:
    """A month as ``TruncMonth`` returns it (a date, or a datetime on some databases)."""
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value
