"""Counting queries built once per process and run afresh on every call.

A count with dozens of conditional cells takes Django more CPU to build and compile than
PostgreSQL takes to run it. The SQL of each question is therefore built once per process and
run afresh on every call: only the text is kept, never a result.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import IntegerField, QuerySet, Value
from django.utils import timezone

_SQL: dict[tuple, tuple[str, str, tuple]] = {}
_SQL_LIMIT = 512


def compiled(key: tuple, build: Callable[[], QuerySet]) -> tuple[str, str, tuple]:
    """(database alias, SQL, parameters) of the ``values()`` queryset that ``build()`` makes,
    built once per process for ``key``. ``key`` must name everything the SQL depends on besides
    the code (the question, the :class:`~reports.metrics.span.Span` with its ``today``, the
    options); the current time zone, which date rules turn into timestamps, is added here."""
    key = (timezone.get_current_timezone_name(), *key)
    found = _SQL.get(key)
    if found is None:
        queryset = build()
        sql, params = queryset.query.sql_with_params()
        found = (queryset.db, sql, tuple(params))
        if len(_SQL) >= _SQL_LIMIT:
            _SQL.clear()
        _SQL[key] = found
    return found


def fetch(query: tuple[str, str, tuple]) -> list[dict]:
    """The rows of a :func:`compiled` query, as dicts by column alias (the ``values()`` names)."""
    alias, sql, params = query
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
