"""One owner for every uploaded file (issue 18 §1): a preview or a job. Every end state leaves
no file behind, a file is checked against its hash when read, and no URL serves it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from cases.importer import job as import_job
from cases.models import ImportJob, Jeugdige
from jobs import files
from jobs import services as jobs
from jobs.models import StoredFile
from reports import services as report_services
from tests.cases.test_import_job import LINES, stored_upload
from tests.reports import factories as f
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_sweep():
    cache.delete("jobs:sweep")


def upload(client, world, lines=LINES):
    data = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    data.name = "groot.csv"
    response = client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": data})
    assert response.status_code == 200
    return response


def nothing_left(*paths: str) -> bool:
    return not StoredFile.objects.exists() and not any(default_storage.exists(p) for p in paths)


def job_with_file(world, lines=LINES, **kw) -> tuple[ImportJob, str]:
    stored = stored_upload(lines)
    job = ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="g.csv",
        upload=stored,
        **kw,
    )
    return job, stored.path


# -- every end state ------------------------------------------------------------------------------
def test_done_leaves_no_file(world):
    job, path = job_with_file(world)
    assert default_storage.exists(path)
    assert import_job.import_job_run(job_id=job.pk, task_id="t").status == "done"
    assert nothing_left(path)


@pytest.mark.parametrize(
    "lines", [[*LINES, ";X;Y;bad;0114;5a"], ["not a table at all"]], ids=["row", "unreadable"]
)
def test_failed_leaves_no_file(world, lines):
    job, path = job_with_file(world, lines)
    assert import_job.import_job_run(job_id=job.pk, task_id="t").status == "failed"
    assert nothing_left(path)


def test_given_up_by_the_task_leaves_no_file(world):
    # Found: a job that died left its uploaded file (full of BSNs) in storage for good.
    job, path = job_with_file(world, status="running", attempts=1)
    import_job.import_job_give_up(job_id=job.pk, reason="stopped")
    job.refresh_from_db()
    assert job.status == "failed" and job.outcome == "stopped"
    assert nothing_left(path)


def test_given_up_by_the_sweep_and_by_a_claim_leave_no_file(world, settings):
    settings.WEL_JOB_MAX_ATTEMPTS = 1
    long_ago = timezone.now() - timedelta(seconds=settings.WEL_JOB_STALE_SECONDS + 1)
    swept, swept_path = job_with_file(
        world, status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )
    assert jobs.sweep().given_up == 1
    claimed, claimed_path = job_with_file(world, status="running", attempts=1, celery_task_id="t")
    assert import_job.import_job_run(job_id=claimed.pk, task_id="t").status == "failed"
    assert nothing_left(swept_path, claimed_path)


def test_a_queued_job_lost_past_its_limit_leaves_no_file(world, settings):
    job, path = job_with_file(world)
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.WEL_JOB_QUEUED_MAX_HOURS, seconds=1)
    )
    assert jobs.sweep().lost == 1
    assert nothing_left(path)


def test_an_abandoned_preview_leaves_no_file_after_the_set_time(world, client_for, settings):
    # Found: the files of abandoned import previews stayed in storage for good.
    settings.WEL_IMPORT_PREVIEW_MINUTES = 60
    client = client_for("kartrekker_a")
    upload(client, world)
    stored = StoredFile.objects.get()
    assert stored.purpose == "import_preview" and default_storage.exists(stored.path)
    now = timezone.now()
    assert jobs.sweep(now=now + timedelta(minutes=59)).files == 0
    assert default_storage.exists(stored.path)
    assert jobs.sweep(now=now + timedelta(minutes=61)).files == 1
    assert nothing_left(stored.path)
    # the preview then says it expired
    session = client.session
    token = session["cases_import"]["token"]
    response = client.post(reverse("cases:import_confirm"), {"token": token}, follow=True)
    assert "expired" in response.content.decode() or "verlopen" in response.content.decode()
    assert not Jeugdige.objects.exists()


def test_a_new_upload_or_a_confirm_in_the_request_deletes_the_previews_file(world, client_for):
    client = client_for("kartrekker_a")
    upload(client, world)
    first = StoredFile.objects.get().path
    response = upload(client, world)
    assert not default_storage.exists(first) and StoredFile.objects.count() == 1
    second = StoredFile.objects.get().path
    client.post(reverse("cases:import_confirm"), {"token": response.context["token"]})
    assert Jeugdige.objects.count() == 5
    assert nothing_left(first, second)


def test_a_job_takes_the_previews_file_over(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.WEL_IMPORT_JOB_THRESHOLD = 1
    client = client_for("kartrekker_a")
    response = upload(client, world)
    stored = StoredFile.objects.get()
    assert stored.expires_at is not None
    client.post(reverse("cases:import_confirm"), {"token": response.context["token"]})
    job = ImportJob.objects.get()
    stored.refresh_from_db()
    assert job.upload == stored and stored.expires_at is None  # no preview expiry any more
    assert jobs.sweep(now=timezone.now() + timedelta(days=1)).files == 0
    import_job.import_job_run(job_id=job.pk, task_id="t")
    assert nothing_left(stored.path)


# -- the hash, checked when read ------------------------------------------------------------------
def tamper(path: str) -> None:
    with default_storage.open(path, "rb") as fh:
        data = fh.read()
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(data.replace(b"Kind1", b"Kind9")))


def test_a_changed_file_fails_the_job_with_a_reason_audited(world):
    # Found: the stored file hash was never checked.
    job, path = job_with_file(world)
    tamper(path)
    job = import_job.import_job_run(job_id=job.pk, task_id="t")
    assert job.status == "failed" and "was changed after it was checked" in job.outcome
    assert not Jeugdige.objects.exists()
    assert nothing_left(path)
    event = AuditEvent.objects.get(event_type="stored_file.refused")
    assert event.outcome == "failure" and event.object_id == str(job.pk)


def test_a_changed_preview_file_is_refused_with_a_message(world, client_for):
    client = client_for("kartrekker_a")
    response = upload(client, world)
    stored = StoredFile.objects.get()
    tamper(stored.path)
    response = client.post(
        reverse("cases:import_confirm"), {"token": response.context["token"]}, follow=True
    )
    assert response.status_code == 200
    assert not Jeugdige.objects.exists()
    assert nothing_left(stored.path)
    assert AuditEvent.objects.filter(event_type="stored_file.refused", outcome="failure").exists()


def test_files_read_checks_the_hash_and_a_missing_file(world):
    stored = files.store(b"abc", purpose="t", folder="imports/test", expires_in=None)
    assert files.read(stored) == b"abc"
    tamper_to = stored.path
    default_storage.delete(tamper_to)
    default_storage.save(tamper_to, io.BytesIO(b"abd"))
    with pytest.raises(files.FileTampered):
        files.read(stored)
    default_storage.delete(tamper_to)
    with pytest.raises(files.FileMissing):
        files.read(stored)
    files.discard(stored)  # a missing file is no error
    files.discard(None)
    assert not StoredFile.objects.exists()


def test_a_changed_report_pdf_is_not_handed_out(world, client_for, settings):
    settings.WEL_JOB_SWEEP_EVERY_SECONDS = 30
    report = f.report(region=world.region_a)
    report_services.report_build(report_id=report.pk, task_id="t")
    report.refresh_from_db()
    assert report.status == "done" and len(report.file_sha256) == 64
    client = client_for("kartrekker_a")
    url = reverse("reports:download", args=[report.pk])
    assert client.get(url).status_code == 200
    name = report.file.name
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(data + b"%changed"))
    response = client.get(url)
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "failed" and "changed after it was built" in report.error
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(event_type="stored_file.refused").count() == 1


def test_a_deleted_report_takes_its_pdf_along(world):
    report = f.done_report(region=world.region_a)
    name = report.file.name
    report.delete()
    assert not default_storage.exists(name)


# -- never under a public URL ---------------------------------------------------------------------
def test_no_url_serves_stored_files(world, client_for, settings):
    stored = files.store(b"bsn;123456782", purpose="t", folder="imports/test", expires_in=None)
    client = client_for("kartrekker_a")
    for prefix in (settings.MEDIA_URL, "/media/"):
        url = f"{prefix}{stored.path}"
        with pytest.raises(Resolver404):
            resolve(url)
        assert client.get(url).status_code == 404
    files.discard(stored)
