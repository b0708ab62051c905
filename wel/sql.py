"""Queries built once per process and run afresh on every call.

A page's or a count's query can take Django more CPU to build and compile than PostgreSQL takes
to run it (the dashboards' counts with dozens of conditional cells; the worklist's four-part
union). The SQL of each question is therefore built once per process and run afresh on every
call: only the text is kept, never a result. The caller's key names everything the SQL depends
on besides the code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.lookups import In
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


def rows(key: tuple, build: Callable[[], QuerySet]) -> list[dict]:
    """``fetch(compiled(key, build))``: the rows of the ``values()`` queryset ``build()`` makes,
    its SQL built once per process for ``key``. No rows, and no query, when Django finds the
    question empty before asking it (``EmptyResultSet``: a filter on an empty list, such as a
    scope without municipalities), as the queryset itself answers."""
    try:
        query = compiled(key, build)
    except EmptyResultSet:
        return []
    return fetch(query)


def fetch(query: tuple[str, str, tuple]) -> list[dict]:
    """The rows of a :func:`compiled` query, as dicts by column alias (the ``values()`` names)."""
    alias, sql, params = query
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class AnyOf(In):
    """``column IN (values)`` for long lists, as an expression: ``filter(AnyOf(F("bsn"),
    bsns))``. On PostgreSQL written ``column = ANY(%s)`` with the values as one array
    parameter: Django builds, and psycopg2 quotes, one placeholder per value for ``__in``, which
    for the import's 20,000 BSNs or references took 0.07–0.11 s per query (issue 23); the array
    is one parameter. ``None`` is left out, as ``__in`` does; no values matches nothing. Other
    databases get ``__in``'s own SQL."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(value, connection, prepared=True)
            for value in self.rhs
            if value is not None
        ]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
