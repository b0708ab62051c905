"""`make bench`: response times and query counts of the main pages on a large data set.

Uses its own database: DATABASE_URL when set (PostgreSQL recommended, e.g.
postgres://postgres@127.0.0.1:5432/wel_bench), otherwise var/bench.sqlite3. It migrates it,
seeds the demo programme plus BENCH_SCALE extra jeugdigen (default 100,000) once, then requests
each page BENCH_ROUNDS times as the persona who uses it and prints median and p95 times.
Results are written down in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wel.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SCALE = int(os.environ.get("BENCH_SCALE", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))

# (persona e-mail, url, label). The pilot region EMM holds the scaled jeugdigen.
PAGES = [
    ("landelijk@wel.example", "/regio/uitrol/", "rollout (landelijk team)"),
    ("landelijk@wel.example", "/regio/", "regions list"),
    ("kartrekker.emm@wel.example", "/regio/VO2202/", "region detail"),
    ("kartrekker.emm@wel.example", "/jeugdigen/EMM-2026-0001/", "case detail (kartrekker)"),
    ("kartrekker.emm@wel.example", "/rapportages/regio/VO2202/", "region dashboard"),
    ("landelijk@wel.example", "/rapportages/landelijk/", "national dashboard"),
    ("kartrekker.emm@wel.example", "/gesprekken/", "interview list (kartrekker)"),
    ("kartrekker.emm@wel.example", "/gesprekken/belemmeringen/", "obstacle agenda (region)"),
]


def pages() -> list[tuple[str, str, str]]:
    """The fixed pages plus those the apps contribute through ``<app>/bench.py`` (BENCH_PAGES)."""
    from importlib import import_module
    from importlib.util import find_spec

    result = list(PAGES)
    for app in ("cases", "interviews", "reports"):
        if find_spec(f"{app}.bench") is not None:
            result += import_module(f"{app}.bench").BENCH_PAGES
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    from cases.models import Jeugdige

    if Jeugdige.objects.count() < SCALE:
        started = time.perf_counter()
        call_command("seed_demo", scale=SCALE - Jeugdige.objects.count(), verbosity=0)
        print(
            f"seeded to {Jeugdige.objects.count()} jeugdigen in "
            f"{time.perf_counter() - started:.1f} s"
        )
    if connection.vendor == "postgresql":
        # Fresh bulk data has no planner statistics until autovacuum gets to it; production has.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"database: {connection.vendor}, jeugdigen: {Jeugdige.objects.count()}, rounds: {ROUNDS}")
    from wel.models import User

    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for email, url, label in pages():
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get(url)  # warm-up
        times = []
        for _ in range(ROUNDS):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:45} {statistics.median(times):10.1f} {p95:8.1f} {len(queries):8d}")
    if settings.DEBUG:
        print("warning: DEBUG is on; timings include debug overhead")


if __name__ == "__main__":
    main()
