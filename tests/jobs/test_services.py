"""The one job service (jobs.services), on reports and import jobs: claim, heartbeat, sweep,
retry with a limit, give up with a reason, and the boundaries of each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from jobs import services as jobs
from jobs.models import Job
from reports.models import Report
from tests.reports import factories as f
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db

STALE = 180


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.WEL_JOB_STALE_SECONDS = STALE
    settings.WEL_JOB_HEARTBEAT_SECONDS = 30
    settings.WEL_JOB_MAX_ATTEMPTS = 3
    settings.WEL_JOB_QUEUED_MAX_HOURS = 6
    settings.CELERY_TASK_TIME_LIMIT = 900
    cache.delete("jobs:sweep")


def running(world, *, seconds_silent: float, attempts: int = 1, now=None, **kw) -> Report:
    now = now or timezone.now()
    return f.report(
        region=kw.pop("region", world.region_a),
        status="running",
        attempts=attempts,
        started_at=now - timedelta(seconds=seconds_silent),
        heartbeat_at=now - timedelta(seconds=seconds_silent),
        **kw,
    )


def test_every_long_task_is_a_job_of_the_one_service():
    from cases.models import ImportJob

    assert {m._meta.label for m in jobs.job_models()} >= {"reports.Report", "cases.ImportJob"}
    assert issubclass(Report, Job) and issubclass(ImportJob, Job)


# -- the stale limit: exactly at it is alive, one second past it is dead -----------------------
def test_a_heartbeat_exactly_at_the_stale_limit_is_alive(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    job = running(world, seconds_silent=STALE, now=now)
    with django_capture_on_commit_callbacks() as sent:
        assert jobs.sweep(now=now).jobs == 0
    job.refresh_from_db()
    assert job.status == "running" and not sent
    assert not jobs.is_stale(job, now=now)


def test_a_heartbeat_one_second_past_the_stale_limit_is_retried(
    world, django_capture_on_commit_callbacks
):
    now = timezone.now()
    job = running(world, seconds_silent=STALE + 1, now=now)
    assert jobs.is_stale(job, now=now)
    with django_capture_on_commit_callbacks() as sent:
        swept = jobs.sweep(now=now)
    assert (swept.retried, swept.given_up, swept.lost) == (1, 0, 0)
    assert len(sent) == 1  # the task is sent again
    job.refresh_from_db()
    assert job.status == "queued" and job.attempts == 1 and job.progress == 0
    assert job.heartbeat_at == now  # queued since: the lost-in-queue clock starts again
    event = AuditEvent.objects.get(event_type="job.retried")
    assert event.object_id == str(job.pk) and event.detail == {"attempts": 1}


def test_the_hard_time_limit_ends_a_job_that_still_beats(world):
    now = timezone.now()
    job = running(world, seconds_silent=0, now=now)
    Report.objects.filter(pk=job.pk).update(started_at=now - timedelta(seconds=900 + 61))
    job.refresh_from_db()
    assert jobs.is_stale(job, now=now)
    assert jobs.sweep(now=now).retried == 1
    Report.objects.filter(pk=job.pk).update(
        status="running", started_at=now - timedelta(seconds=900 + 60)
    )
    job.refresh_from_db()
    assert not jobs.is_stale(job, now=now)


def test_without_a_heartbeat_the_start_counts_then_the_request(world):
    now = timezone.now()
    job = f.report(region=world.region_a, status="running", attempts=1)
    Report.objects.filter(pk=job.pk).update(
        created_at=now - timedelta(seconds=STALE + 1), started_at=now - timedelta(seconds=STALE)
    )
    job.refresh_from_db()
    assert not jobs.is_stale(job, now=now)  # the start, not the request
    assert jobs.sweep(now=now).jobs == 0
    Report.objects.filter(pk=job.pk).update(started_at=None)
    job.refresh_from_db()
    assert jobs.is_stale(job, now=now)
    assert jobs.sweep(now=now).retried == 1


# -- the retry limit ------------------------------------------------------------------------------
def test_the_sweep_retries_below_the_limit_and_gives_up_at_it(world):
    now = timezone.now()
    last_try = running(world, seconds_silent=STALE + 1, attempts=2, now=now)
    spent = running(world, seconds_silent=STALE + 1, attempts=3, now=now, region=world.region_b)
    swept = jobs.sweep(now=now)
    assert (swept.retried, swept.given_up) == (1, 1)
    last_try.refresh_from_db()
    spent.refresh_from_db()
    assert last_try.status == "queued"
    assert spent.status == "failed" and spent.finished_at == spent.finished_at
    assert "no sign of life for 3 minutes" in spent.error and "3 times" in spent.error
    event = AuditEvent.objects.get(event_type="job.given_up")
    assert event.object_id == str(spent.pk) and event.outcome == "failure"


def test_claim_counts_attempts_and_gives_up_past_the_limit(world):
    job = f.report(region=world.region_a)
    claimed = jobs.claim(Report, job.pk, task_id="a")
    assert claimed is not None and claimed.status == "running" and claimed.attempts == 1
    assert claimed.celery_task_id == "a" and claimed.heartbeat_at == claimed.started_at
    Report.objects.filter(pk=job.pk).update(attempts=2)
    assert jobs.claim(Report, job.pk, task_id="a").attempts == 3  # the last one allowed
    assert jobs.claim(Report, job.pk, task_id="a") is None
    job.refresh_from_db()
    assert job.status == "failed" and "stopped 3 times" in job.error and job.finished_at
    assert AuditEvent.objects.filter(event_type="job.given_up").count() == 1


def test_claim_takes_queued_and_redelivered_jobs_never_finished_ones(world):
    queued = f.report(region=world.region_a)
    assert jobs.claim(Report, queued.pk, task_id="q") is not None
    # the same message again (its worker died): taken over
    assert jobs.claim(Report, queued.pk, task_id="q").attempts == 2
    # another message while the worker lives: left alone
    assert jobs.claim(Report, queued.pk, task_id="other") is None
    # no task id is no proof of a redelivery
    assert jobs.claim(Report, queued.pk) is None
    for status in ("done", "failed"):
        Report.objects.filter(pk=queued.pk).update(status=status, file="reports/x.pdf")
        assert jobs.claim(Report, queued.pk, task_id="q") is None
    assert jobs.claim(Report, 999999, task_id="q") is None


def test_claim_takes_over_a_stale_running_job_from_another_message(world):
    # Found: a redelivered import only claimed queued jobs, so a job whose worker died stayed
    # "running" for ever. A stale running job is taken by whichever message comes.
    now = timezone.now()
    job = running(world, seconds_silent=STALE + 1, now=now, celery_task_id="dead")
    cache.add("jobs:sweep", 1, timeout=60)  # a sweep ran lately: the claim decides by itself
    claimed = jobs.claim(Report, job.pk, task_id="new")
    assert claimed is not None and claimed.celery_task_id == "new" and claimed.attempts == 2


def test_a_claim_sweeps_too(world, django_capture_on_commit_callbacks):
    dead = running(world, seconds_silent=STALE + 5)
    other = f.report(region=world.region_b)
    with django_capture_on_commit_callbacks():
        jobs.claim(Report, other.pk, task_id="x")
    dead.refresh_from_db()
    assert dead.status == "queued"


def test_the_sweep_on_claims_and_pages_runs_at_most_every_n_seconds(world, settings):
    settings.WEL_JOB_SWEEP_EVERY_SECONDS = 30
    assert jobs.sweep_if_due() is not None
    assert jobs.sweep_if_due() is None
    cache.delete("jobs:sweep")
    assert jobs.sweep_if_due() is not None


def test_a_worker_that_starts_sweeps(world):
    dead = running(world, seconds_silent=STALE + 5)
    jobs.sweep_on_worker_ready(sender=None)
    dead.refresh_from_db()
    assert dead.status == "queued"


# -- queued too long ------------------------------------------------------------------------------
def test_a_job_queued_past_the_limit_is_failed_at_the_limit_it_is_not(world):
    now = timezone.now()
    at_limit = f.report(region=world.region_a)
    past = f.report(region=world.region_b)
    Report.objects.filter(pk=at_limit.pk).update(created_at=now - timedelta(hours=6))
    Report.objects.filter(pk=past.pk).update(created_at=now - timedelta(hours=6, seconds=1))
    assert jobs.sweep(now=now).lost == 1
    at_limit.refresh_from_db()
    past.refresh_from_db()
    assert at_limit.status == "queued"
    assert past.status == "failed" and "No worker picked this up within 6 hours" in past.error


# -- heartbeat, progress, end states, retry -------------------------------------------------
def test_heartbeat_and_progress_only_stamp_a_running_job(world):
    job = f.report(region=world.region_a)
    assert not jobs.heartbeat(Report, job.pk)
    jobs.progress(Report, job.pk, 50, "x")
    job.refresh_from_db()
    assert job.progress == 0 and job.heartbeat_at is None
    jobs.claim(Report, job.pk, task_id="t")
    before = Report.objects.get(pk=job.pk).heartbeat_at
    assert jobs.heartbeat(Report, job.pk)
    beaten = Report.objects.get(pk=job.pk).heartbeat_at
    assert beaten > before
    jobs.progress(Report, job.pk, 150, "n" * 300)
    job.refresh_from_db()
    assert job.progress == 99 and len(job.progress_note) == 200
    assert job.heartbeat_at > beaten  # progress is a sign of life too
    jobs.progress(Report, job.pk, -5)
    job.refresh_from_db()
    assert job.progress == 0 and job.progress_note == ""


def test_end_states_only_from_the_right_states(world):
    job = f.report(region=world.region_a)
    assert jobs.finish(Report, job.pk, file="r.pdf") is None  # not running
    jobs.claim(Report, job.pk, task_id="t")
    done = jobs.finish(Report, job.pk, file="r.pdf")
    assert done.status == "done" and done.progress == 100 and done.finished_at
    assert jobs.fail(Report, job.pk, "late") is None and jobs.give_up(Report, job.pk, "x") is None
    assert Report.objects.get(pk=job.pk).status == "done"
    queued = f.report(region=world.region_b)
    failed = jobs.fail(Report, queued.pk, "why")
    assert failed.status == "failed" and failed.error == "why" and failed.finished_at
    assert not AuditEvent.objects.filter(event_type="job.given_up").exists()


def test_retry_only_a_failed_job_with_fresh_attempts(world):
    job = running(world, seconds_silent=1, attempts=3)
    assert jobs.retry(Report, job.pk) is None
    jobs.fail(Report, job.pk, "why")
    retried = jobs.retry(Report, job.pk)
    assert retried.status == "queued" and retried.attempts == 0 and retried.error == ""
    assert retried.started_at is None and retried.heartbeat_at is None
    assert retried.finished_at is None and retried.progress == 0


# -- added after the mutation run (docs/architecture.md) ----------------------------------------
def test_a_running_job_without_a_task_id_is_no_redelivery_of_a_claim_without_one(world):
    now = timezone.now()
    job = running(world, seconds_silent=1, now=now, celery_task_id="")
    assert jobs.claim(Report, job.pk, task_id="") is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_claim_starts_with_a_clean_slate(world):
    job = f.report(region=world.region_a, error="old reason", progress=40, progress_note="x")
    claimed = jobs.claim(Report, job.pk, task_id="t")
    assert (claimed.error, claimed.progress, claimed.progress_note) == ("", 0, "")
    claimed.refresh_from_db()
    assert (claimed.error, claimed.progress, claimed.progress_note) == ("", 0, "")


def test_a_job_queued_again_lately_is_not_lost_however_old_its_request(world):
    now = timezone.now()
    job = f.report(region=world.region_a)
    Report.objects.filter(pk=job.pk).update(
        created_at=now - timedelta(hours=7), heartbeat_at=now - timedelta(minutes=1)
    )
    assert jobs.sweep(now=now).lost == 0
    job.refresh_from_db()
    assert job.status == "queued"


def test_the_sweep_deletes_a_file_an_ended_job_still_holds(world):
    from cases.models import ImportJob
    from jobs import files

    stored = files.store(b"x", purpose="import_upload", folder="imports/test", expires_in=None)
    ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="g.csv",
        upload=stored,
        status="done",
    )
    jobs.sweep()
    assert not files.StoredFile.objects.exists()
