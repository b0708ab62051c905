"""Writes of the reports app: requesting, building, retrying and sweeping reports."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError

from regions.models import Phase, Region
from wel import audit, validation

from .models import Report

log = logging.getLogger(__name__)

# Errors worth another try: the database or broker was briefly away, a storage timeout.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# Errors of sending a task: the broker (Redis) is down or unreachable.
BROKER_ERRORS = (KombuError, OSError)


class ReportRequestError(ValueError):
    """A request that cannot be queued; the message says what to do."""


def default_period(*, region: Region | None = None, today: date | None = None) -> tuple[date, date]:
    """From the region's start in the programme (at most a year back) until today."""
    today = today or timezone.localdate()
    start = today - timedelta(days=365)
    if region is not None and region.joined_on and region.joined_on > start:
        start = min(region.joined_on, today)
    return start, today


def standard_period(*, region: Region | None = None, today: date | None = None):
    """The only period for which protected ("landelijk") figures are given: the default one.

    Statistical disclosure control: a second, narrower period next to the whole would let a
    reader subtract one from the other and find the small numbers that each hides, so readers
    without exact access get no choice of period (docs/reports.md, "Narrow periods")."""
    del region  # one release for national roles: the national period, for every region
    return default_period(today=today)


def _send(report_id: int) -> None:
    """Hand the build to the broker. When the broker cannot be reached the report is failed at
    once with a reason, so it is no orphan that blocks its region, and can be retried at once."""
    from .tasks import build_report

    try:
        build_report.delay(report_id=report_id)
    except BROKER_ERRORS:
        log.exception("report %s: the broker is unreachable, the build was not queued", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED,
            finished_at=timezone.now(),
            error=_(
                "The report cannot be made right now: the queue that builds reports cannot be "
                "reached. Try again in a few minutes; if it keeps happening, tell the "
                "administrator."
            ),
        )


def _queue(report: Report) -> None:
    transaction.on_commit(lambda: _send(report.pk))


def report_request(
    *,
    kind: str,
    by=None,
    region: Region | None = None,
    phase: Phase | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    audience: str = Report.Audience.LANDELIJK,
    request=None,
    scheduled: bool = False,
) -> Report:
    """Create a report row and queue its build after commit.

    ``audience``: ``Report.Audience.REGIO`` (exact figures, confidential; a region progress
    report for the region's own members) or ``LANDELIJK`` (protected figures; always for a
    phase overview). A landelijk report covers the standard period only
    (:func:`standard_period`); another period raises :class:`ReportRequestError`.

    A second request for the same scope and audience while one is still queued or running
    returns that one (a double click does not build twice). Access is the caller's (view's)
    business: who may ask for which audience is in ``reports.selectors``.
    """
    if kind == Report.Kind.REGION_PROGRESS and (region is None or phase is not None):
        raise ReportRequestError(_("A region progress report needs a region."))
    if kind == Report.Kind.PHASE_OVERVIEW and (phase is None or region is not None):
        raise ReportRequestError(_("A phase overview report needs a phase."))
    if audience not in Report.Audience.values:
        raise ReportRequestError(_("Choose who the report is for: the region or national."))
    if kind == Report.Kind.PHASE_OVERVIEW and audience != Report.Audience.LANDELIJK:
        raise ReportRequestError(
            _("A phase overview report is always made with protected figures.")
        )
    landelijk = audience == Report.Audience.LANDELIJK
    start, end = standard_period() if landelijk else default_period(region=region)
    period_start, period_end = period_start or start, period_end or end
    if period_start > period_end:
        raise ReportRequestError(
            _("The period starts after it ends. Choose a start date before the end date.")
        )
    for day in (period_start, period_end):
        try:
            validation.PROGRAMME.check(day)  # a period outside the programme can never build
        except ValidationError as exc:
            raise ReportRequestError(exc.messages[0]) from None
    if audience == Report.Audience.LANDELIJK and (period_start, period_end) != (start, end):
        raise ReportRequestError(
            _(
                "A report with protected figures covers the standard period only (%(start)s – "
                "%(end)s): comparing two periods could give small numbers away."
            )
            % {"start": start.strftime("%d-%m-%Y"), "end": end.strftime("%d-%m-%Y")}
        )
    with transaction.atomic():
        pending = (
            Report.objects.select_for_update()
            .filter(
                kind=kind,
                region=region,
                phase=phase,
                audience=audience,
                status__in=[Report.Status.QUEUED, Report.Status.RUNNING],
            )
            .first()
        )
        if pending is not None:
            return pending
        report = Report.objects.create(
            kind=kind,
            region=region,
            phase=phase,
            period_start=period_start,
            period_end=period_end,
            audience=audience,
            requested_by=by if by is not None and by.pk else None,
            scheduled=scheduled,
        )
        audit.record(
            audit.events.REPORT_REQUESTED,
            request=request,
            user=by,
            obj=report,
            detail={
                "kind": kind,
                "scope": report.scope_label,
                "audience": audience,
                "scheduled": scheduled,
            },
        )
        _queue(report)
    report.refresh_from_db(fields=["status", "error", "finished_at"])  # the send may have failed
    return report


def report_retry(*, report: Report, by, request=None) -> Report:
    """Queue a failed report again (same row, fresh attempt count)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != Report.Status.FAILED:
            raise ReportRequestError(_("Only a failed report can be tried again."))
        report.status = Report.Status.QUEUED
        report.progress = 0
        report.progress_note = ""
        report.error = ""
        report.attempts = 0
        report.started_at = report.finished_at = None
        report.save()
        audit.record(
            audit.events.REPORT_RETRIED,
            request=request,
            user=by,
            obj=report,
            changes={"status": (Report.Status.FAILED, Report.Status.QUEUED)},
        )
        _queue(report)
    report.refresh_from_db(fields=["status", "error", "finished_at"])  # the send may have failed
    return report


def _set(report_id: int, **fields) -> None:
    Report.objects.filter(pk=report_id).update(**fields)


def _fail(report_id: int, reason: str) -> None:
    _set(
        report_id,
        status=Report.Status.FAILED,
        error=reason,
        finished_at=timezone.now(),
        progress_note="",
    )


def report_start(*, report_id: int, task_id: str = "") -> Report | None:
    """Claim a report for building; None when there is nothing to do (idempotency).

    A done report is never rebuilt; a failed one only through :func:`report_retry`; a
    "running" one is taken over (the message was redelivered after a worker died), up to
    WEL_REPORT_MAX_ATTEMPTS times.
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("region", "phase")
            .get(pk=report_id)
        )
        if report.status in (Report.Status.DONE, Report.Status.FAILED):
            return None
        if report.attempts >= settings.WEL_REPORT_MAX_ATTEMPTS:
            _fail(
                report.pk,
                _(
                    "The worker stopped %(n)s times while building this report. It was given up; "
                    "try again later, and tell the administrator if it keeps failing."
                )
                % {"n": report.attempts},
            )
            return None
        report.status = Report.Status.RUNNING
        report.attempts += 1
        report.started_at = report.heartbeat_at = timezone.now()
        report.finished_at = None
        report.progress = 0
        report.progress_note = ""
        report.error = ""
        report.celery_task_id = task_id or report.celery_task_id
        report.save()
    return report


def report_build(*, report_id: int, task_id: str = "") -> Report:
    """Build the report's PDF and store it. Transient errors are raised (the task retries);
    a time-out or any other error marks the report failed with a reason."""
    from .documents import render_report

    report = report_start(report_id=report_id, task_id=task_id)
    if report is None:
        return Report.objects.get(pk=report_id)

    def progress(percent: int, note: str = "") -> None:
        _set(
            report.pk,
            progress=max(0, min(99, int(percent))),
            progress_note=note[:200],
            heartbeat_at=timezone.now(),
        )

    try:
        with _heartbeat(report.pk):
            pdf = render_report(report, progress=progress)
        name = default_storage.save(
            f"reports/{timezone.now():%Y/%m}/{report.filename()}", ContentFile(pdf)
        )
    except SoftTimeLimitExceeded:
        _fail(
            report.pk,
            _(
                "Building the report took longer than the limit of %(n)s seconds and was "
                "stopped. Try again later; if it happens again, ask the administrator to raise "
                "CELERY_TASK_SOFT_TIME_LIMIT."
            )
            % {"n": settings.CELERY_TASK_SOFT_TIME_LIMIT},
        )
        log.warning("report %s timed out", report.pk)
    except TRANSIENT_ERRORS:
        _set(report.pk, progress_note=_("A temporary error occurred; trying again."))
        raise
    except Exception as exc:  # noqa: BLE001 - any other error ends as a failed report
        log.exception("report %s failed", report.pk)
        _fail(
            report.pk,
            _(
                "Building the report failed (%(error)s). Try again; if it fails again, "
                "tell the administrator the report number %(pk)s."
            )
            % {"error": type(exc).__name__, "pk": report.pk},
        )
    else:
        _set(
            report.pk,
            status=Report.Status.DONE,
            file=name,
            progress=100,
            progress_note="",
            finished_at=timezone.now(),
        )
    return Report.objects.get(pk=report.pk)


@contextmanager
def _heartbeat(report_id: int):
    """While the build runs, a thread stamps ``heartbeat_at`` every WEL_REPORT_HEARTBEAT_SECONDS,
    also during a long layout step. When the worker dies (SIGKILL, out of memory, a lost
    machine) the stamps stop, and the sweeper in beat notices within WEL_REPORT_STALE_SECONDS."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.WEL_REPORT_HEARTBEAT_SECONDS):
                Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # noqa: BLE001 - a missed beat must never break the build
            log.warning("report %s: heartbeat failed", report_id, exc_info=True)
        finally:
            connection.close()  # this thread's own database connection

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def report_give_up(*, report_id: int, reason: str) -> None:
    """Mark an unfinished report failed (retries exhausted)."""
    Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).update(status=Report.Status.FAILED, error=reason, finished_at=timezone.now())


def sweep_stale_reports(*, running_for: timedelta | None = None) -> int:
    """Fail reports whose worker is gone; run by beat every minute, never on a page view.

    A running report is stale when its heartbeat (or start) is older than
    WEL_REPORT_STALE_SECONDS (default 180 s; ``running_for`` overrides it) or it has run past
    the hard time limit; it is failed with a reason and can be retried at once. (When only a
    pool process dies, Celery's late acknowledgement redelivers the task first, and the build
    is retried up to WEL_REPORT_MAX_ATTEMPTS times.) A queued report that no worker took within
    WEL_REPORT_QUEUED_MAX_HOURS is failed too. Returns how many reports were failed.
    """
    now = timezone.now()
    if running_for is None:
        running_for = timedelta(seconds=settings.WEL_REPORT_STALE_SECONDS)
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    stopped = (
        Report.objects.filter(status=Report.Status.RUNNING)
        .annotate(last_sign=Coalesce(F("heartbeat_at"), F("started_at"), F("created_at")))
        .filter(Q(last_sign__lt=now - running_for) | Q(started_at__lt=now - hard_limit))
        .update(
            status=Report.Status.FAILED,
            finished_at=now,
            progress_note="",
            error=_(
                "The worker stopped while building this report (no sign of life for %(n)s "
                "minutes). Try again."
            )
            % {"n": max(1, round(running_for.total_seconds() / 60))},
        )
    )
    lost = Report.objects.filter(
        status=Report.Status.QUEUED,
        created_at__lt=now - timedelta(hours=settings.WEL_REPORT_QUEUED_MAX_HOURS),
    ).update(
        status=Report.Status.FAILED,
        finished_at=now,
        error=_(
            "No worker picked this report up within %(n)s hours. Try again; if it stays "
            "queued, ask the administrator to check the Celery workers."
        )
        % {"n": settings.WEL_REPORT_QUEUED_MAX_HOURS},
    )
    return stopped + lost


def scheduled_region_reports(*, today: date | None = None) -> list[Report]:
    """Queue a region progress report for every active, joined region whose last scheduled
    report is at least WEL_REGION_REPORT_EVERY_DAYS old (or that has none). Run daily."""
    from django.db.models import Max, Q

    today = today or timezone.localdate()
    every = settings.WEL_REGION_REPORT_EVERY_DAYS
    cutoff = timezone.now() - timedelta(days=every) + timedelta(hours=1)
    regions = (
        Region.objects.active()
        .filter(joined_on__lte=today)
        .annotate(last=Max("reports__created_at", filter=Q(reports__scheduled=True)))
        .filter(Q(last__isnull=True) | Q(last__lte=cutoff))
        .order_by("code")
    )
    return [
        report_request(
            kind=Report.Kind.REGION_PROGRESS,
            region=region,
            audience=Report.Audience.REGIO,  # the region's own rhythm, for its members
            scheduled=True,
        )
        for region in regions
    ]
