"""The national release's protected tables as one snapshot in the shared cache, served at once.

Protecting the national release (:mod:`reports.release`: the linear programs of every hidden
cell) takes seconds after a change in the counts (1.6–3.5 s of CPU on 100,000 cases), and it
was done by the first national view after every write (issue 23: that view must answer within
150 ms). A **snapshot** is the release's protected tables, stored in the shared cache under the
counts they were made of; every table of the release on the page and in its exports comes from
one snapshot. The lists that are not about children (the rollout, the national obstacle agenda)
are read live by the view, as before.

A view looks for the snapshot of the current counts:

- while the jeugdigen's counts are in the count cache (no case changed since they were made:
  cases.counts, the regions' tokens), it collects the counts from there (a few queries) and
  serves their snapshot when there is one (every process and every worker shares it);
- when a case changed, or the counts differ from every snapshot, and the last snapshot is there
  and ``WEL_NATIONAL_STALE_SECONDS`` is on: the last snapshot is served at once, marked with the
  moment it was made ("stand van"), without counting 100,000 cases again, and a task counts and
  makes the new one (one at a time per period and language: a flag in the cache for that many
  seconds; after it, the next view asks again);
- otherwise (no snapshot yet, or the setting 0): counted and made in the request, stored and
  served.

The cache holds only what national roles may see: the protected tables, never the exact
release. An older snapshot is the whole release as the page showed it a moment ago: nothing a
reader could not have seen by looking twice.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override

from cases import counts as case_counts

from . import metrics, release
from .tables import Table

KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Snapshot:
    """The release's protected tables (key → table) and when they were made; ``current`` is
    false when the counts have changed since (a newer snapshot is being made)."""

    tables: dict[str, Table]
    made_at: datetime
    current: bool = True


def _keys(start: date, end: date, language: str, counts: release.Counts | None = None):
    base = f"reports:national:{language}:{start.isoformat()}:{end.isoformat()}"
    if counts is None:
        return base
    fingerprint = hashlib.sha256(
        repr((counts.regions, counts.months, counts.period, counts.values, counts.beraad)).encode()
    ).hexdigest()
    return f"{base}:{fingerprint}"


def _make(counts: release.Counts) -> Snapshot:
    return Snapshot(tables=dict(release._cached(counts).tables), made_at=timezone.now())


def _store(start: date, end: date, language: str, counts, snapshot: Snapshot) -> None:
    cache.set_many(
        {_keys(start, end, language, counts): snapshot, _keys(start, end, language): snapshot},
        timeout=KEEP_SECONDS,
    )


# Snapshots of exact counts, as this process last read them from the shared cache: a key
# names the counts a snapshot was made of, so its tables never change (a later one made of the
# same counts holds the same tables). Reading and unpickling the whole release from the cache
# on every view was a tenth of the national dashboard's CPU (issue 23). Never an older one.
_READ: OrderedDict[str, Snapshot] = OrderedDict()
_READ_SIZE = 8


def _of_counts(key: str) -> Snapshot | None:
    """The snapshot stored under a key of exact counts (see :func:`_keys`), or None."""
    found = _READ.get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            _READ[key] = found
            while len(_READ) > _READ_SIZE:
                _READ.popitem(last=False)
    return found


def national(*, start: date, end: date) -> Snapshot:
    """The snapshot of the national dashboard for the period, in the active language (see the
    module's docstring for when it is made in the request and when an older one is served).
    Queries: those of collecting the counts — from the count cache only when an older snapshot
    may be served (a case changed since: the older one is served without counting)."""
    language = get_language() or settings.LANGUAGE_CODE
    span = metrics.Span.for_regions(None, start, end)
    stale_seconds = settings.WEL_NATIONAL_STALE_SECONDS
    latest_key = _keys(start, end, language)
    # Only whether there is one: the last snapshot itself is read when it is served.
    if stale_seconds and cache.has_key(latest_key):
        try:
            with case_counts.only_cached():
                counts = release.collect(span)
        except case_counts.NotCached:
            # A case changed since the jeugdigen were last counted: the counts differ (or may),
            # and counting 100,000 cases is the task's work, not this view's.
            latest = cache.get(latest_key)
            if latest is not None:
                return _older(start, end, language, latest, stale_seconds)
            counts = release.collect(span)  # gone in between: as when there was none
        found = _of_counts(_keys(start, end, language, counts))
        if found is not None:
            return found
        latest = cache.get(latest_key)
        if latest is not None:
            return _older(start, end, language, latest, stale_seconds)
    else:
        counts = release.collect(span)
    found = _of_counts(_keys(start, end, language, counts))
    if found is not None:
        return found
    snapshot = _make(counts)
    _store(start, end, language, counts, snapshot)
    return snapshot


def _older(start: date, end: date, language: str, latest: Snapshot, stale_seconds: int):
    """The last snapshot, marked as older; one task (per period and language, for
    ``stale_seconds``) makes the new one."""
    if cache.add(f"{_keys(start, end, language)}:making", 1, timeout=stale_seconds):
        transaction.on_commit(lambda: _send(start, end, language))
    return replace(latest, current=False)


def current(*, start: date, end: date) -> Snapshot:
    """The snapshot of the current counts, in the active language: the one in the shared cache
    when it was made of exactly these counts (by the dashboard, its task or an earlier report),
    else made now and stored for the others. Never an older snapshot: a report is of the
    counts when it is built. Queries: those of collecting the counts."""
    language = get_language() or settings.LANGUAGE_CODE
    counts = release.collect(metrics.Span.for_regions(None, start, end))
    found = _of_counts(_keys(start, end, language, counts))
    if found is None:
        found = _make(counts)
        _store(start, end, language, counts, found)
    return found


def _send(start: date, end: date, language: str) -> None:
    from jobs.services import dispatch

    from .tasks import make_national_snapshot

    dispatch(
        make_national_snapshot, start=start.isoformat(), end=end.isoformat(), language=language
    )


def make(*, start: date, end: date, language: str) -> Snapshot:
    """Make and store the snapshot of the current counts (the task's body)."""
    with override(language):
        span = metrics.Span.for_regions(None, start, end)
        counts = release.collect(span)
        snapshot = _make(counts)
        _store(start, end, language, counts, snapshot)
    cache.delete(f"{_keys(start, end, language)}:making")
    return snapshot
