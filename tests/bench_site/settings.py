"""Production settings with the benchmark URLconf (tests/bench_site/urls.py) added."""

from wel.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench_site.urls"
