"""``make load``: the load test of issue 10 §5, on 127.0.0.1 only.

Prepares a PostgreSQL database (migrate, demo programme; one demo account per simulated user,
tests/load/accounts.py), then starts the documented production deployment
(tests/deploy/production.py: collectstatic, gunicorn with wel.settings.production behind the
proxy's X-Forwarded-Proto, a Celery worker on Redis) and runs locust headless against it: by
default 25 users for 3 minutes mixing the LPA's and the kartrekker's main pages, report requests
and imports. Prints the result table (Markdown, for docs/benchmarks.md) and exits non-zero when
any request failed.

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wel_load, created when
missing), CELERY_BROKER_URL (default redis://127.0.0.1:6379/0), WEB_CONCURRENCY (gunicorn
workers, default 3), WEL_TEST_PORTS (e.g. 8130-8139), LOAD_USERS, LOAD_SPAWN_RATE, LOAD_TIME.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.deploy.production import ROOT, ensure_database, production_env, production_site

WORKDIR = ROOT / "var" / "load"


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def table(stats_csv: Path) -> str:
    lines = [
        "| request | count | failures | median ms | p95 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with stats_csv.open() as fh:
        for row in csv.DictReader(fh):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all requests**"
            lines.append(
                f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
                f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} | "
                f"{float(row['Requests/s']):.1f} |"
            )
    return "\n".join(lines)


def main() -> int:
    database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/wel_load"
    broker_url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    users = os.environ.get("LOAD_USERS", "25")
    spawn_rate = os.environ.get("LOAD_SPAWN_RATE", "5")
    run_time = os.environ.get("LOAD_TIME", "3m")
    workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
    WORKDIR.mkdir(parents=True, exist_ok=True)

    ensure_database(database_url)
    env = production_env(
        database_url=database_url,
        broker_url=broker_url,
        static_root=WORKDIR / "static",
        media_root=WORKDIR / "media",
        queue="unused",
    )
    print(f"== preparing {database_url.rsplit('/', 1)[1]}: migrate, demo programme", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    # One demo account per simulated user (a TOTP code is accepted once per device).
    accounts_file = WORKDIR / "accounts.json"
    with accounts_file.open("w") as fh:
        subprocess.run([sys.executable, "-m", "tests.load.accounts"], cwd=ROOT, env=env,
                       stdout=fh, check=True)  # fmt: skip

    with production_site(
        database_url=database_url,
        broker_url=broker_url,
        workdir=WORKDIR,
        gunicorn_workers=workers,
    ) as site:
        print(f"== locust: {users} users for {run_time} against {site.base_url}", flush=True)
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "--users", users, "--spawn-rate", spawn_rate, "--run-time", run_time,
             "--stop-timeout", "30", "--host", site.base_url, "--csv", str(WORKDIR / "locust"),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "WEL_LOAD_ACCOUNTS": str(accounts_file)},
        )  # fmt: skip
        elapsed = time.time() - started
        gunicorn_errors = site.logs["gunicorn"].read_text().count('" 500 ')
    load = os.getloadavg()
    print(f"\n== result ({elapsed:.0f} s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f};"
          f" gunicorn {workers} workers; 500s in the access log: {gunicorn_errors})\n")  # fmt: skip
    print(table(WORKDIR / "locust_stats.csv"))
    for kind in ("failures", "exceptions"):  # exceptions: e.g. a login that did not succeed
        found = WORKDIR / f"locust_{kind}.csv"
        if found.exists() and len(found.read_text().splitlines()) > 1:
            print(f"\n== {kind}\n" + found.read_text()[-4000:])
    return result.returncode or int(gunicorn_errors > 0)


if __name__ == "__main__":
    sys.exit(main())
