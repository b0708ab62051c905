"""A big import on a real Celery worker through Redis (PostgreSQL): confirmed in the browser,
written by the worker, all rows, with its progress on the job row."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from cases.models import ImportJob, Jeugdige
from tests.celery_harness import celery_worker
from tests.conftest import need_services

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(job: ImportJob, timeout: float = 90) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"import job stayed {job.status} ({job.progress}%)")


def test_a_big_import_is_written_by_a_real_worker(world, client_for, settings):
    need_services(postgres=True, redis=True)
    settings.WEL_IMPORT_JOB_THRESHOLD = 10
    lines = ["voornaam;achternaam;geboortedatum;gemeente;grondslag"] + [
        f"Kind{n};Achternaam{n};{1 + n % 28:02d}-03-2015;0114;5a" for n in range(300)
    ]
    client = client_for("kartrekker_a")
    upload = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    upload.name = "groot.csv"
    with celery_worker():
        response = client.post(
            reverse("cases:import"), {"region": world.region_a.pk, "file": upload}
        )
        response = client.post(
            reverse("cases:import_confirm"), {"token": response.context["token"]}
        )
        job = ImportJob.objects.get()
        assert response.url == reverse("cases:import_job", args=[job.pk])
        job = wait_for(job)
    assert job.status == ImportJob.Status.DONE, job.outcome
    assert job.created == 300 and Jeugdige.objects.count() == 300
    page = client.get(reverse("cases:import_job_progress", args=[job.pk]))
    assert "300 jeugdigen have been imported" in page.content.decode()


def test_a_worker_killed_mid_import_is_found_on_the_progress_page_and_the_job_retried(
    world, client_for, settings
):
    # Found: a worker that died during an import left the job "running" for ever (the
    # redelivered task only claimed queued jobs, and nothing swept imports) and its uploaded
    # file in storage. Now the progress page sweeps (no beat here): the silent job is queued
    # again, a live worker writes it, all rows once, and the file is deleted.
    from django.core.cache import cache

    from jobs.models import StoredFile
    from tests.reports.test_celery import kill

    need_services(postgres=True, redis=True)
    settings.WEL_IMPORT_JOB_THRESHOLD = 10
    settings.WEL_JOB_HEARTBEAT_SECONDS, settings.WEL_JOB_STALE_SECONDS = 1, 3
    env = {"WEL_JOB_HEARTBEAT_SECONDS": "1", "WEL_JOB_STALE_SECONDS": "3"}
    n = 8000
    lines = ["voornaam;achternaam;geboortedatum;gemeente;grondslag"] + [
        f"Kind{i};Achternaam{i};{1 + i % 28:02d}-{1 + i % 12:02d}-2015;0114;5a" for i in range(n)
    ]
    client = client_for("kartrekker_a")
    upload = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    upload.name = "groot.csv"
    response = client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": upload})
    token = response.context["token"]
    with celery_worker(extra_env=env) as worker:
        client.post(reverse("cases:import_confirm"), {"token": token})
        job = ImportJob.objects.get()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == "running" and job.progress >= 6:
                break
            time.sleep(0.02)
        assert job.status == "running", (job.status, job.outcome)
        kill(worker)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1
    path = job.upload.path
    assert Jeugdige.objects.count() == 0  # killed before the write committed
    with celery_worker(extra_env=env):
        time.sleep(3.2)  # past the stale limit; the new worker's start-up sweep was too early
        cache.delete("jobs:sweep")
        page = client.get(reverse("cases:import_job_progress", args=[job.pk]))
        assert page.status_code == 200
        job.refresh_from_db()
        assert job.status in ("queued", "running", "done"), job.status
        job = wait_for(job)
    assert job.status == ImportJob.Status.DONE and job.attempts == 2, job.outcome
    assert job.created == n and Jeugdige.objects.count() == n
    assert not StoredFile.objects.exists() and not default_storage.exists(path)
