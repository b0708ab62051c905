"""Faults (issue 10 §4): the broker down when a report is requested, a worker that dies while
building, and database errors in the middle of a save or an import — never a 500 for the
broker, never an orphan, never half-written data.

The worker SIGKILLed on a real Celery worker is in tests/reports/test_celery.py.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from cases import importer
from cases.models import Jeugdige, TimelineEntry
from jobs import services as jobs
from regions.models import Phase
from reports import services
from reports.models import Report
from tests.cases.factories import make_jeugdige
from tests.cases.test_import import GOOD, HEADER, csv_bytes
from tests.reports import factories as f
from wel.celery import app
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db

BROKER_DOWN = "The report cannot be made right now: the queue that builds reports cannot be"


@pytest.fixture
def broker_down(settings, monkeypatch):
    """A broker URL where nothing listens: sending a task fails as with Redis stopped."""
    saved = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery prefers the CELERY_BROKER_URL environment variable (CI sets it) to its conf.
    monkeypatch.setenv("CELERY_BROKER_URL", DOWN)
    app.conf.update(broker_url=DOWN, task_always_eager=False)
    reset_pools()
    yield
    reset_broker(saved)


DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def reset_broker(saved: dict) -> None:
    """Back to the test settings, with fresh broker connection pools for the next test."""
    app.conf.update(**saved)
    reset_pools()


def reset_pools() -> None:
    app.pool.force_close_all()
    pools.reset()
    app._after_fork()


def broker_back(settings):
    app.conf.update(task_always_eager=True)
    settings.CELERY_TASK_ALWAYS_EAGER = True


# -- broker down -----------------------------------------------------------------------------
@pytest.fixture
def commit_at_once(monkeypatch):
    """Run on-commit callbacks when the service's transaction block ends, as a real commit
    does in production (the test's own transaction never commits), so the task is sent, and
    fails to be sent, before the view answers."""
    monkeypatch.setattr(
        "reports.services.transaction.on_commit", lambda func, *a, **kw: ON_EXIT.append(func)
    )
    original_exit = transaction.Atomic.__exit__

    def exit_and_run(self, *exc):
        result = original_exit(self, *exc)
        while ON_EXIT and exc[0] is None:
            ON_EXIT.pop(0)()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_run)
    yield
    ON_EXIT.clear()


ON_EXIT: list = []


def test_broker_down_request_says_so_leaves_no_orphan_and_can_be_retried_at_once(
    world, client_for, broker_down, settings, commit_at_once
):
    # Found: a 500, the row left "queued", and the region blocked for 6 hours.
    client = client_for("kartrekker_a")
    url = reverse("reports:request_region", args=[world.region_a.code])
    response = client.post(url, follow=True)
    report = Report.objects.get()
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert report.status == Report.Status.FAILED and report.error.startswith(BROKER_DOWN)
    assert not Report.objects.filter(status__in=["queued", "running"]).exists()  # no orphan
    page = response.content.decode()
    assert page.count(BROKER_DOWN) == 2  # the message, and the reason beside "Try again"
    assert "Try again" in page

    broker_back(settings)  # the broker is back: retry at once, no waiting for a sweep
    client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error


def test_broker_down_does_not_block_the_next_request(
    world, client_for, broker_down, settings, commit_at_once
):
    client = client_for("kartrekker_a")
    url = reverse("reports:request_region", args=[world.region_a.code])
    client.post(url)
    broker_back(settings)
    client.post(url)
    assert sorted(Report.objects.values_list("status", flat=True)) == ["done", "failed"]


def test_broker_down_for_a_phase_report_too(world, client_for, broker_down, commit_at_once):
    response = client_for("landelijk").post(
        reverse("reports:request_phase"),
        {"phase": Phase.objects.get(number=1).pk},
        follow=True,
    )
    assert response.status_code == 200
    assert BROKER_DOWN in response.content.decode()
    assert Report.objects.get().status == Report.Status.FAILED


# -- a worker that dies: heartbeat and sweep (jobs.services) ---------------------------------
def test_sweeper_goes_by_the_heartbeat_not_by_the_start(world, settings):
    # Found: a killed build stayed "running — 10 %" for 16.5 minutes (the sweep waited for the
    # 15-minute time limit). Now a build without a heartbeat for 3 minutes is retried, or given
    # up when it has no attempts left.
    settings.WEL_JOB_STALE_SECONDS = 180
    settings.WEL_JOB_MAX_ATTEMPTS = 2
    now = timezone.now()
    long_but_alive = f.report(
        region=world.region_a,
        status="running",
        started_at=now - timedelta(minutes=10),
        heartbeat_at=now - timedelta(seconds=20),
    )
    dead = f.report(
        region=world.region_b,
        status="running",
        started_at=now - timedelta(minutes=4),
        heartbeat_at=now - timedelta(minutes=4),
        attempts=2,
    )
    assert jobs.sweep().given_up == 1
    long_but_alive.refresh_from_db()
    dead.refresh_from_db()
    assert long_but_alive.status == "running"
    assert dead.status == "failed"
    assert "no sign of life for 3 minutes" in dead.error and "try again" in dead.error


def test_the_sweep_runs_in_beat_every_minute_and_finds_a_dead_build_within_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["jobs-sweep"]
    assert entry["task"] == "jobs.sweep"
    assert entry["schedule"] <= 60
    # Found within a few minutes: the stale limit plus one sweep interval.
    assert django_settings.WEL_JOB_STALE_SECONDS + entry["schedule"] <= 5 * 60


@pytest.mark.django_db(transaction=True)
def test_a_long_build_keeps_stamping_its_heartbeat(world, settings, monkeypatch):
    settings.WEL_JOB_HEARTBEAT_SECONDS = 1
    report = f.report(region=world.region_a)
    stamps = []

    def slow_render(report, progress):
        # One long layout step without progress calls (as WeasyPrint's layout is).
        for _ in range(30):
            time.sleep(0.1)
            stamps.append(Report.objects.get(pk=report.pk).heartbeat_at)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr("reports.documents.render_report", slow_render)
    services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "done"
    assert len(set(stamps)) >= 3, stamps  # the start, then at least two beats
    assert threading.active_count() == 1 or not any(
        t.name.startswith(f"report-{report.pk}-") for t in threading.enumerate()
    )


# -- database errors in the middle of a write -----------------------------------------------
def fail_on(pattern: str, *, after: int = 0):
    """An execute wrapper raising OperationalError on the (after+1)-th statement matching
    ``pattern`` (a regular expression on the SQL), as a dropped connection would."""
    seen = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        if re.search(pattern, sql, re.IGNORECASE):
            seen["n"] += 1
            if seen["n"] > after:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def test_database_error_mid_save_leaves_no_case_behind(world):
    with (
        connection.execute_wrapper(fail_on(r"INSERT INTO \W?wel_auditevent")),
        pytest.raises(OperationalError),
    ):
        make_jeugdige(world, family_name="Halfweg")
    assert not Jeugdige.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert not Jeugdige.history.model.objects.exists()


def test_database_error_mid_import_writes_no_row(world, monkeypatch):
    data = csv_bytes([HEADER, *GOOD])
    # The rows and their history are written; the timeline entries fail. On PostgreSQL the
    # import writes them by COPY (wel.db_copy), which no execute wrapper sees: the connection
    # drops there instead.
    from wel import db_copy

    real_write = db_copy.Copy.write

    def dropped(self, rows):
        if self.model is TimelineEntry:
            raise OperationalError("server closed the connection unexpectedly")
        return real_write(self, rows)

    monkeypatch.setattr(db_copy.Copy, "write", dropped)
    with (
        connection.execute_wrapper(fail_on(r"INSERT INTO \W?cases_timelineentry")),
        pytest.raises(OperationalError),
    ):
        importer.run_import(
            data, filename="lijst.csv", region=world.region_a, by=world.user("kartrekker_a")
        )
    assert not Jeugdige.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()
    # And the same file imports completely once the database is back.
    monkeypatch.setattr(db_copy.Copy, "write", real_write)
    result = importer.run_import(
        data, filename="lijst.csv", region=world.region_a, by=world.user("kartrekker_a")
    )
    assert result.created == 3 and Jeugdige.objects.count() == 3


def test_database_error_mid_report_request_leaves_no_report(world):
    with (
        connection.execute_wrapper(fail_on(r"INSERT INTO \W?wel_auditevent")),
        pytest.raises(OperationalError),
    ):
        services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_a,
            audience=Report.Audience.REGIO,
            by=world.user("kartrekker_a"),
        )
    assert not Report.objects.exists()
