"""Writes on the jeugdige's dossier. Every write validates, runs in one transaction, and records
the audit event and the timeline entry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import Jeugdige, TimelineEntry


def timeline_add(
    *,
    jeugdige: Jeugdige,
    kind: str,
    text: str,
    by=None,
    at: dt.datetime | None = None,
    status_from: str = "",
    status_to: str = "",
) -> TimelineEntry:
    """Append one line to the case's timeline (other apps call this, e.g. interviews)."""
    entry = TimelineEntry(
        jeugdige=jeugdige,
        kind=kind,
        text=text,
        by=by if by is not None and getattr(by, "pk", None) else None,
        status_from=status_from,
        status_to=status_to,
    )
    if at is not None:
        entry.at = at
    with transaction.atomic():
        entry.save()
    return entry
