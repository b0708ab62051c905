"""Production settings with the benchmark URLconf (tests/bench_site/urls.py) added."""

from wel.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench_site.urls"

# One process measuring pages: its own cache, as before production required a shared one.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}
}
