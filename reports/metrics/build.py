"""Small helpers the table builders share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _


def choice_labels(choices) -> dict:
    """``{value: label}`` of a model's choices, labels as text in the active language."""
    return {value: str(label) for value, label in choices}


def total_row(rows: list[list], count_columns: Iterable[int], label: str | None = None) -> list:
    total = [label or _("Total")]
    cols = list(count_columns)
    width = len(rows[0]) if rows else max(cols) + 1
    for i in range(1, width):
        total.append(sum(r[i] for r in rows if isinstance(r[i], int)) if i in cols else "")
    return total


def month_key(value) -> date | None:
    """A month as ``TruncMonth`` returns it (a date, or a datetime on some databases)."""
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value
