"""Requesting, building, retrying, sweeping and scheduling reports; the weekly digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import services as jobs
from regions.models import Phase
from reports import documents, services
from reports.models import Report
from reports.tasks import build_report
from wel.models import AuditEvent

from . import factories as f


def test_request_queues_after_commit_and_builds(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_a,
            audience=Report.Audience.REGIO,
            by=world.user("kartrekker_a"),
        )
        assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.progress == 100
    assert report.started_at and report.finished_at and report.attempts == 1
    assert AuditEvent.objects.filter(action="create", object_id=str(report.pk)).exists()


def test_a_second_request_returns_the_pending_one(world):
    kw = {"kind": Report.Kind.REGION_PROGRESS, "region": world.region_a}
    first = services.report_request(**kw)
    assert services.report_request(**kw) == first
    assert Report.objects.count() == 1


def test_request_validation(world):
    with pytest.raises(services.ReportRequestError):
        services.report_request(kind=Report.Kind.REGION_PROGRESS, phase=Phase.objects.first())
    today = timezone.localdate()
    with pytest.raises(services.ReportRequestError, match="starts after it ends"):
        services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_a,
            period_start=today,
            period_end=today - timedelta(days=1),
        )


def test_database_refuses_a_scope_that_does_not_match_the_kind(world):
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=Report.Kind.REGION_PROGRESS,
            phase=Phase.objects.first(),
            period_start=today,
            period_end=today,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=Report.Kind.PHASE_OVERVIEW,
            region=world.region_a,
            period_start=today,
            period_end=today,
        )


def test_a_done_report_is_not_rebuilt(world):
    report = f.done_report(region=world.region_a)
    name = report.file.name
    assert build_report.apply(kwargs={"report_id": report.pk}).get() == "done"
    report.refresh_from_db()
    assert report.file.name == name and report.attempts == 0


def test_a_failed_report_is_only_rebuilt_through_retry(world):
    report = f.report(region=world.region_a, status="failed", error="x")
    build_report.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()
    assert report.status == "failed"
    services.report_retry(report=report, by=world.user("kartrekker_a"))
    report.refresh_from_db()
    assert report.status == "queued" and report.error == ""
    build_report.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()
    assert report.status == "done"
    with pytest.raises(services.ReportRequestError):
        services.report_retry(report=report, by=world.user("kartrekker_a"))


def test_soft_time_limit_marks_failed_with_reason(world, monkeypatch, settings):
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 42

    def slow(report, progress):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(documents, "render_report", slow)
    report = f.report(region=world.region_a)
    build_report.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()
    assert report.status == "failed"
    assert "longer than the limit of 42 seconds" in report.error


def test_unexpected_error_marks_failed_and_says_what_to_do(world, monkeypatch):
    monkeypatch.setattr(documents, "render_report", lambda r, progress: 1 / 0)
    report = f.report(region=world.region_a)
    build_report.apply(kwargs={"report_id": report.pk})
    report.refresh_from_db()
    assert report.status == "failed"
    assert "ZeroDivisionError" in report.error and "Try again" in report.error


def test_transient_errors_are_retried_then_given_up(world, monkeypatch):
    calls = []

    def flaky(report, progress):
        calls.append(1)
        raise OperationalError("connection reset")

    monkeypatch.setattr(documents, "render_report", flaky)
    report = f.report(region=world.region_a)
    # eager retries re-apply with the app's propagate setting: let the failure be a result
    conf = build_report.app.conf
    saved = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        result = build_report.apply(kwargs={"report_id": report.pk})
    finally:
        conf.task_eager_propagates = saved
    assert result.failed()
    assert len(calls) == 4  # the first try and three retries
    report.refresh_from_db()
    assert report.status == "failed" and "several attempts" in report.error


def test_a_redelivered_report_is_taken_over_but_not_forever(world, settings):
    # Redelivered: the same task id as the worker that held it (it died).
    settings.WEL_JOB_MAX_ATTEMPTS = 2
    report = f.report(region=world.region_a, status="running", attempts=1, celery_task_id="t1")
    build_report.apply(kwargs={"report_id": report.pk}, task_id="t1")
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 2
    stuck = f.report(region=world.region_b, status="running", attempts=2, celery_task_id="t2")
    build_report.apply(kwargs={"report_id": stuck.pk}, task_id="t2")
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "stopped 2 times" in stuck.error


def test_a_duplicate_message_leaves_a_live_build_alone(world):
    now = timezone.now()
    alive = f.report(
        region=world.region_a,
        status="running",
        attempts=1,
        celery_task_id="first",
        started_at=now,
        heartbeat_at=now,
    )
    build_report.apply(kwargs={"report_id": alive.pk}, task_id="second")
    alive.refresh_from_db()
    assert (alive.status, alive.attempts, alive.celery_task_id) == ("running", 1, "first")


def test_sweeper_retries_reports_whose_worker_died(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_TIME_LIMIT = 600
    now = timezone.now()
    dead = f.report(region=world.region_a, status="running", started_at=now - timedelta(hours=1))
    alive = f.report(region=world.region_b, status="running", started_at=now)
    lost = f.report(phase=Phase.objects.get(number=1))
    Report.objects.filter(pk=lost.pk).update(created_at=now - timedelta(hours=7))
    with django_capture_on_commit_callbacks() as sent:
        swept = jobs.sweep()
    assert (swept.retried, swept.lost) == (1, 1) and len(sent) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    lost.refresh_from_db()
    assert dead.status == "queued" and "worker stopped" in dead.progress_note
    assert alive.status == "running"
    assert lost.status == "failed" and "No worker picked" in lost.error


def test_report_pages_sweep_without_beat_but_not_on_every_poll(world, client_for):
    # Found: a killed build was found only when beat ran the sweep. Now the report page and its
    # poll sweep too, at most every WEL_JOB_SWEEP_EVERY_SECONDS (a shared cache key).
    cache.delete("jobs:sweep")
    dead = f.report(
        region=world.region_a,
        status="running",
        attempts=1,
        started_at=timezone.now() - timedelta(hours=2),
    )
    client = client_for("kartrekker_a")
    assert client.get(reverse("reports:progress", args=[dead.pk])).status_code == 200
    dead.refresh_from_db()
    assert dead.status == "queued"
    Report.objects.filter(pk=dead.pk).update(status="running")
    for name in ("reports:detail", "reports:progress"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[dead.pk])).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
        assert not [w for w in writes if "reports_report" in w], writes


def test_scheduled_region_reports_every_n_days(world, settings):
    settings.WEL_REGION_REPORT_EVERY_DAYS = 21
    queued = services.scheduled_region_reports()
    assert {r.region for r in queued} == {world.region_a, world.region_b}
    assert all(r.scheduled for r in queued)
    Report.objects.update(status="done", file="reports/x.pdf")
    assert services.scheduled_region_reports() == []  # not again the next day
    Report.objects.filter(region=world.region_a).update(
        created_at=timezone.now() - timedelta(days=20)
    )
    assert services.scheduled_region_reports() == []
    Report.objects.filter(region=world.region_a).update(
        created_at=timezone.now() - timedelta(days=21)
    )
    assert [r.region for r in services.scheduled_region_reports()] == [world.region_a]


def test_scheduled_reports_skip_inactive_and_not_yet_joined(world):
    world.region_a.is_active = False
    world.region_a.save()
    world.region_b.joined_on = timezone.localdate() + timedelta(days=5)
    world.region_b.save()
    assert services.scheduled_region_reports() == []


def test_weekly_digest_references_only(figures, world):
    from reports.tasks import send_weekly_digests

    world.user("lpa_b").wants_digest = False
    world.user("lpa_b").save()
    assert send_weekly_digests.apply().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.user("lpa_a").email]
    body = message.body
    assert figures.j1.reference in body  # contact overdue + renewal + next steps, Emmen
    assert figures.j2.reference not in body  # Borger-Odoorn: not this LPA's gemeente
    assert f"/jeugdigen/{figures.j1.reference}/" in body
    assert "/account/instellingen/" in body  # where to switch it off
    for j in figures.people:
        assert j.given_name not in body and j.family_name not in body
        assert j.date_of_birth.strftime("%d-%m-%Y") not in body
    assert "111222333" not in body


def test_digest_skips_empty_worklists(world):
    from reports.digest import send_digests

    assert send_digests() == 0
    assert mail.outbox == []


def test_the_beat_schedule_names_registered_tasks(settings):
    from wel.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reports.queue_scheduled_region_reports",
        "jobs.sweep",
        "reports.send_weekly_digests",
    } <= names
    assert names <= set(app.tasks)


def test_the_request_and_retry_services_check_the_actors_scope(world):
    # Found: only the views checked who may ask for a report; the services took any actor.
    from wel.access import OutOfScope

    with pytest.raises(OutOfScope):
        services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_b,
            audience=Report.Audience.REGIO,
            by=world.user("kartrekker_a"),
        )
    with pytest.raises(OutOfScope):  # an LPA reads the region's reports, asks for none
        services.report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=world.region_a,
            audience=Report.Audience.REGIO,
            by=world.user("lpa_a"),
        )
    assert not Report.objects.exists()
    failed = f.report(region=world.region_b, status="failed", error="x")
    with pytest.raises(OutOfScope):
        services.report_retry(report=failed, by=world.user("kartrekker_a"))
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_a_time_limit_outside_the_build_still_names_the_limit(world, monkeypatch):
    # The soft limit can strike while the job is claimed (a loaded machine): the reason is the
    # limit's, not "failed after several attempts".
    report = f.report(region=world.region_a)

    def slow_claim(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "claim", slow_claim)
    conf = build_report.app.conf
    saved = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        build_report.apply(kwargs={"report_id": report.pk})
    finally:
        conf.task_eager_propagates = saved
    report.refresh_from_db()
    assert report.status == "failed" and "took longer than the limit" in report.error
