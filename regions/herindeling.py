"""Gemeenten merged or split since 2019 (herindelingen), as reference data.

``regions/data/herindelingen.csv`` lists, for each CBS code that no longer exists, the code(s) of
its successor(s) and the date the change took effect. Source and method: regions/data/README.md.
A code with one successor maps to it; a gemeente that was split (Haaren, 2021) has several, and
a list that names it cannot say which one a young person lives in now.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass

from .reference import DATA


@dataclass(frozen=True)
class Herindeling:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    date: dt.date


@functools.cache
def _rows() -> tuple[Herindeling, ...]:
    with (DATA / "herindelingen.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            Herindeling(
                old_code=row["old_code"],
                old_name=row["old_name"],
                new_code=row["new_code"],
                new_name=row["new_name"],
                date=dt.date.fromisoformat(row["date"]),
            )
            for row in csv.DictReader(fh)
        )


def successors(code_or_name: str) -> tuple[Herindeling, ...]:
    """The successor(s) of a former gemeente, by 4-digit CBS code ("0501") or by name
    ("Brielle", case-insensitive); empty when the gemeente was not merged since 2019."""
    key = code_or_name.strip().lower()
    return tuple(h for h in _rows() if key in (h.old_code, h.old_name.lower()))
