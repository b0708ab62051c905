"""A big import on a real Celery worker through Redis (PostgreSQL): confirmed in the browser,
written by the worker, all rows, with its progress on the job row."""

from __future__ import annotations

import io
import time

import pytest
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
