"""A small fixed-window rate limit on Django's cache, for the password reset form.

Why not a library: django-ratelimit (the usual choice) has had no release since 2023 and its
system check refuses the local-memory cache that ``make run`` uses; two counters in a fixed
window are a dozen lines on ``cache.add``/``cache.incr``. In production the cache must be shared
between the gunicorn workers (``CACHE_URL=redis://...``), or each worker counts on its own.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; False when this attempt is over ``limit``
    in the current window of ``window_seconds``. The key is hashed, so no address is stored
    in the cache."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"wel:ratelimit:{scope}:{window}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window_seconds)
            count = 1
    return count <= limit
