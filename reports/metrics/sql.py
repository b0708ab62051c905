"""The dashboards' counting queries, built once per process and run afresh on every call
(:func:`wel.sql.compiled`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import IntegerField, QuerySet, Value

from wel.sql import compiled, fetch

__all__ = ["added_up", "compiled", "counted", "fetch"]


def counted(
    key: tuple,
    queryset: Callable[[], QuerySet],
    aggregates: Callable[[], dict],
    group: str | None = None,
) -> list[dict]:
    """``aggregates()`` over ``queryset()``: one row (``group`` None) or one row per value of
    ``group``; one query, built once per process for ``key`` (:func:`compiled`)."""

    def build() -> QuerySet:
        qs = queryset()
        if group is None:  # a constant: no GROUP BY, so exactly one row, zeros when empty
            qs = qs.annotate(_all=Value(1, output_field=IntegerField())).values("_all")
        else:
            qs = qs.values(group)
        return qs.annotate(**aggregates()).order_by()

    rows = fetch(compiled(key, build))
    for row in rows:
        row.pop("_all", None)
    return rows


def added_up(rows: list[dict], group: str | None) -> tuple[dict, dict]:
    """The counts of ``rows`` summed over the groups (``total``) and per value of ``group``."""
    total: dict = {}
    for row in rows:
        for key, value in row.items():
            if key != group:
                total[key] = total.get(key, 0) + (value or 0)
    return total, ({row[group]: row for row in rows} if group else {})
