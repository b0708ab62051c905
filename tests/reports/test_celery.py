"""Reports on a real Celery worker through Redis (PostgreSQL): built end to end, timed out,
and killed mid-task — a report never stays "running" forever."""

from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from jobs import services as jobs
from regions.models import Phase, Region
from reports import services
from reports.models import Report
from reports.tasks import build_report
from tests.celery_harness import celery_worker
from tests.conftest import need_services
from tests.factories import RegionFactory

from . import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(report: Report, statuses: set[str], timeout: float = 90, progress: int = 0) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses and report.progress >= progress:
            return report
        time.sleep(0.1)
    raise AssertionError(f"report stayed {report.status} ({report.progress}%): {report.error}")


def many_regions(world, n: int = 60) -> Phase:
    """A phase with many regions, so its overview takes seconds to lay out."""
    phase = Phase.objects.get(number=1)
    for i in range(n):
        region = RegionFactory(phase=phase, gemeenten=[world.assen])
        if i % 10 == 0:
            f.jeugdige(region, world.assen)
    return phase


def children_of(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def test_a_report_is_built_end_to_end_on_a_real_worker(world):
    need_services(postgres=True, redis=True)
    j = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    with celery_worker():
        # the kartrekker's own ("regio") report: the focus jeugdigen by reference (a
        # "landelijk" one has no per-child rows since issue 20)
        report = services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_a,
            audience=Report.Audience.REGIO,
            by=world.user("kartrekker_a"),
        )
        report = wait_for(report, {"done", "failed"})
    assert report.status == "done", report.error
    assert report.celery_task_id  # it ran as a real task
    with default_storage.open(report.file.name, "rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert j.reference in text and j.family_name not in text


def test_a_report_that_takes_too_long_ends_failed_with_a_reason(world):
    need_services(postgres=True, redis=True)
    phase = many_regions(world)
    env = {"CELERY_TASK_SOFT_TIME_LIMIT": "1", "CELERY_TASK_TIME_LIMIT": "60"}
    with celery_worker(extra_env=env):
        report = f.report(phase=phase)
        # The limits travel in the message header, set from the sender's settings (web and
        # worker share one environment in a deployment); this test process has the defaults.
        build_report.apply_async(kwargs={"report_id": report.pk}, soft_time_limit=1, time_limit=60)
        report = wait_for(report, {"done", "failed"})
    assert report.status == "failed"
    assert "took longer than the limit of 1 seconds" in report.error
    assert report.finished_at is not None


def kill(worker) -> None:
    """SIGKILL the worker and its pool: no code of it runs to say so."""
    pool = children_of(worker.pid)
    os.kill(worker.pid, signal.SIGKILL)
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_a_killed_worker_is_found_and_the_report_built_again_without_beat(world, settings):
    # Found: after a SIGKILL the report stayed "running" until beat's sweep noticed; without
    # beat it never recovered. Now a worker that starts sweeps (as do claims and the report
    # page): the silent build is queued again and built. Beats of 1 s, stale at 3 s; no beat.
    need_services(postgres=True, redis=True)
    settings.WEL_JOB_HEARTBEAT_SECONDS, settings.WEL_JOB_STALE_SECONDS = 1, 3
    phase = many_regions(world)
    env = {"WEL_JOB_HEARTBEAT_SECONDS": "1", "WEL_JOB_STALE_SECONDS": "3"}
    with celery_worker(extra_env=env) as worker:
        report = services.report_request(kind=Report.Kind.PHASE_OVERVIEW, phase=phase)
        wait_for(report, {"running"}, progress=5)
        assert jobs.sweep().jobs == 0  # alive: its heartbeat is fresh
        kill(worker)
    report.refresh_from_db()
    assert report.status == "running" and report.attempts == 1  # nobody is left to finish it
    killed_at = time.monotonic()
    time.sleep(3.2)
    # A new worker starts: its start-up sweep finds the silent build and queues it again.
    with celery_worker(extra_env=env):
        report = wait_for(report, {"done", "failed"})
    assert report.status == "done" and report.attempts == 2, report.error
    assert report.file and default_storage.exists(report.file.name)
    assert time.monotonic() - killed_at < 90
    assert Region.objects.count() > 60
