"""Exact counts over large sets of cases that cost almost nothing to read.

Counting 100,000 cases of a region takes tens of milliseconds on every page view (the case
list's total, the worklist's four totals, the dashboards' figures). Those numbers only change
when a case of the region changes, so they are cached under the region's :class:`CasesVersion`
token, which the database replaces when a transaction that wrote one of the region's jeugdigen
commits: a trigger on ``cases_jeugdige`` (cases/db_triggers.py, migration ``cases/0011``) for
every insert, update and delete, whoever makes it (a service, the importer, retention,
``QuerySet.update``, the ``SET NULL`` when an assigned LPA's account is deleted). No writer has
to remember it. A count is therefore either recomputed or exactly what the database holds now —
never a stale number:

- the tokens are read *before* counting, so an entry stored under a token was computed after
  that token was current, and a write's new token commits together with the changed case;
- inside a transaction nothing is cached or read from the cache (:func:`in_transaction`);
- the cache key holds the count's own SQL and parameters (the user's scope, the filters, the
  day for date rules), so every different question has its own entry;
- only counts over ``cases_jeugdige`` alone may be cached here: a count that joins another
  table would not see that table's writes.

The cache is Django's default cache (per gunicorn worker unless CACHES says otherwise); an entry
lives at most a day (``TIMEOUT``), the key changes with the date anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet

from wel.sql import compiled, fetch

from .models import CasesVersion

TIMEOUT = 24 * 3600
_only_cached: ContextVar[bool] = ContextVar("wel_counts_only_cached", default=False)


class NotCached(LookupError):
    """Under :func:`only_cached`: a count is not in the cache under the current tokens (a case
    of its regions changed since it was made), or the call is inside a transaction."""


@contextmanager
def only_cached() -> Iterator[None]:
    """Within this block :func:`cached` never counts: a miss raises :class:`NotCached`. For a
    page that can answer with what it showed before while a task counts afresh (the national
    dashboard after a write: counting 100,000 cases again was most of its first view)."""
    token = _only_cached.set(True)
    try:
        yield
    finally:
        _only_cached.reset(token)


def in_transaction() -> bool:
    """Whether the default connection is inside ``transaction.atomic`` (a test's own atomic
    block does not count). There, a write to a case replaces its region's token only at
    COMMIT (cases/db_triggers.py): the current token does not tell whether this transaction
    changed the region's cases, and a count made here may include writes that are rolled
    back."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def tokens(region_ids: Iterable[int] | None) -> tuple:
    """The current tokens of these regions (``None``: all regions), one query (its SQL built
    once per process for these regions, wel.sql)."""
    regions = None if region_ids is None else tuple(sorted(set(region_ids)))

    def build() -> QuerySet:
        qs = CasesVersion.objects.order_by("region_id").values("region_id", "token")
        return qs if regions is None else qs.filter(region_id__in=regions)

    rows = fetch(compiled(("cases.tokens", regions), build))
    return tuple((row["region_id"], str(row["token"])) for row in rows)


def cached(*, key: Any, region_ids: Iterable[int] | None, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached under ``key`` and the regions' current tokens. ``key`` must
    identify the question completely (use :func:`query_key`). Two queries on a miss (tokens,
    then the count), one on a hit. Inside a transaction, neither read from nor written to the
    cache (:func:`in_transaction`): the count is made afresh."""
    return cached_entry(key=key, region_ids=region_ids, compute=compute)[1]


def cached_entry(
    *, key: Any, region_ids: Iterable[int] | None, compute: Callable[[], Any]
) -> tuple[str | None, Any]:
    """As :func:`cached`, with the name of the cache entry: it names this value exactly (the
    question and the tokens it was counted under), so what a caller derives from the value can
    be kept under it too. ``None`` inside a transaction (nothing cached there)."""
    if in_transaction():
        return None, compute()
    versions = tokens(region_ids)  # first: see the module docstring
    digest = hashlib.sha256(repr((key, versions)).encode()).hexdigest()
    name = f"wel:counts:{digest}"
    value = cache.get(name)
    if value is None:
        if _only_cached.get():
            raise NotCached(name)
        value = compute()
        cache.set(name, value, TIMEOUT)
    return name, value


def query_key(queryset: QuerySet, *extra: Any) -> tuple:
    """The queryset's SQL and parameters (plus ``extra``): what is counted, for whom, when."""
    sql, params = queryset.query.sql_with_params()
    return (queryset.db, sql, repr(params), *map(repr, extra))


def count(queryset: QuerySet, *, region_ids: Iterable[int] | None, key: Any = None) -> int:
    """``queryset.count()``, exact and cached as above. ``key``: what identifies the question
    instead of the queryset's SQL (compiling it for the key was a twentieth of the case
    list's CPU); it must name everything the queryset depends on (see :class:`CountedPaginator`)."""
    key = query_key(queryset, "count") if key is None else ("count", key)
    return cached(key=key, region_ids=region_ids, compute=queryset.count)


class CountedPaginator(Paginator):
    """Django's Paginator whose total comes from :func:`count` (exact, cached per token)."""

    def __init__(
        self, object_list, per_page, *, region_ids: Iterable[int], count_key: Any = None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.region_ids = frozenset(region_ids)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return count(self.object_list, region_ids=self.region_ids, key=self.count_key)
