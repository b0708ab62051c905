"""Markup remembered per process by what it is made of.

Some markup is made again on every view from the same parts: the dashboards' charts (text
measured word by word for the labels) and table markup, which change only with the counts — a
third of the national dashboard (issue 23, docs/benchmarks.md); a filter panel's fields, which
change only with the user's input and the options. :func:`remembered` keeps the last
:data:`SIZE` pieces under a digest of everything the piece is made of (for a table: the whole
table with its captions, columns, rows, totals, hidden cells and ranges, and the row links),
with the active language and time zone — so a changed part is a new key, never a stale answer.
Lazy translated strings enter the digest as their message, not as the object.

Per process (a gunicorn worker keeps its own): no personal data leaves the process, and what
is kept is exactly what the process served a moment ago.
"""

from __future__ import annotations

import hashlib
import pickle  # noqa: S403 - only dumps (a digest of own objects), never loads
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

SIZE = 256
_kept: OrderedDict[bytes, SafeString] = OrderedDict()
_lock = threading.Lock()


def _digest(kind: str, *parts) -> bytes:
    made_of = (kind, get_language(), timezone.get_current_timezone_name(), parts)
    return hashlib.blake2b(pickle.dumps(made_of, protocol=5), digest_size=20).digest()


def remembered(kind: str, make: Callable[[], SafeString], *parts) -> SafeString:
    """``make()``, or the markup it gave for the same ``kind`` and ``parts`` before (in this
    process, the same language and time zone). ``parts`` must be picklable."""
    key = _digest(kind, *parts)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    made = make()
    with _lock:
        _kept[key] = made
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return made


def forget() -> None:
    """Drop everything kept (tests)."""
    with _lock:
        _kept.clear()
