"""Writes of the reports app: requesting, building, retrying and sweeping reports."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError

from jobs import services as jobs
from regions.models import Phase, Region
from wel import audit, validation
from wel.access import OutOfScope, scope_for

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
        jobs.dispatch(build_report, report_id=report_id)
    except BROKER_ERRORS:
        log.exception("report %s: the broker is unreachable, the build was not queued", report_id)
        jobs.fail(
            Report,
            report_id,
            _(
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
    returns that one (a double click does not build twice). Who may ask for which audience is
    ``reports.selectors.may_request``; a person outside it is refused (:class:`OutOfScope`).
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
    _require_may_request(by, Report(kind=kind, region=region, phase=phase, audience=audience))
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
    """Queue a failed report again (same row, fresh attempt count). The actor must be allowed
    to ask for this report (``reports.selectors.may_request``): else :class:`OutOfScope`."""
    _require_may_request(by, report)
    with transaction.atomic():
        retried = jobs.retry(Report, report.pk)
        if retried is None:
            raise ReportRequestError(_("Only a failed report can be tried again."))
        report = retried
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


def _require_may_request(by, report: Report) -> None:
    """A person may ask for (or retry) only a report the policy lets them; ``by=None`` is the
    schedule acting on its own authority."""
    from .selectors import may_request

    if by is not None and not may_request(scope_for(by), report):
        raise OutOfScope(_("You may not ask for this report."))


def time_limit_reason() -> str:
    return _(
        "Building the report took longer than the limit of %(n)s seconds and was "
        "stopped. Try again later; if it happens again, ask the administrator to raise "
        "CELERY_TASK_SOFT_TIME_LIMIT."
    ) % {"n": settings.CELERY_TASK_SOFT_TIME_LIMIT}


def report_build(*, report_id: int, task_id: str = "") -> Report:
    """Build the report's PDF and store it, as a job of the one job service (jobs.services:
    claim, progress, heartbeat, end). Transient errors are raised (the task retries); a
    time-out or any other error marks the report failed with a reason."""
    from .documents import render_report

    if jobs.claim(Report, report_id, task_id=task_id) is None:
        return Report.objects.get(pk=report_id)
    report = Report.objects.select_related("region", "phase").get(pk=report_id)

    def progress(percent: int, note: str = "") -> None:
        jobs.progress(Report, report.pk, percent, note)

    try:
        with jobs.beating(Report, report.pk):
            pdf = render_report(report, progress=progress)
        name = default_storage.save(
            f"reports/{timezone.now():%Y/%m}/{report.filename()}", ContentFile(pdf)
        )
    except SoftTimeLimitExceeded:
        jobs.fail(Report, report.pk, time_limit_reason())
        log.warning("report %s timed out", report.pk)
    except TRANSIENT_ERRORS:
        Report.objects.filter(pk=report.pk).update(
            progress_note=_("A temporary error occurred; trying again.")
        )
        raise
    except Exception as exc:  # noqa: BLE001 - any other error ends as a failed report
        log.exception("report %s failed", report.pk)
        jobs.fail(
            Report,
            report.pk,
            _(
                "Building the report failed (%(error)s). Try again; if it fails again, "
                "tell the administrator the report number %(pk)s."
            )
            % {"error": type(exc).__name__, "pk": report.pk},
        )
    else:
        sha256 = hashlib.sha256(pdf).hexdigest()
        if jobs.finish(Report, report.pk, file=name, file_sha256=sha256) is None:
            default_storage.delete(name)  # the job was taken from this worker meanwhile
    return Report.objects.get(pk=report.pk)


class ReportFileRefused(Exception):
    """The stored PDF no longer matches its hash; the report was failed and the file deleted."""


def report_file(*, report: Report, by=None, request=None) -> bytes:
    """The report's PDF, checked against the hash stored when it was built. A file changed in
    storage is refused (audited), deleted, and the report failed with a reason, so it can be
    built again (:class:`ReportFileRefused`). Reports built before hashes were kept have none
    and are handed out as they are."""
    with default_storage.open(report.file.name, "rb") as fh:
        data = fh.read()
    if not report.file_sha256 or hashlib.sha256(data).hexdigest() == report.file_sha256:
        return data
    log.error("report %s: the stored PDF does not match its hash", report.pk)
    reason = _(
        "The report's file was changed after it was built, so it was not handed out and has "
        "been deleted. Build the report again; tell the administrator if this happens again."
    )
    audit.record(
        audit.events.STORED_FILE_REFUSED,
        request=request,
        user=by,
        obj=report,
        outcome=audit.Outcome.FAILURE,
        detail={"file": "report PDF"},
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, file="", file_sha256="", error=reason
    )
    default_storage.delete(report.file.name)
    raise ReportFileRefused(reason)


def report_give_up(*, report_id: int, reason: str) -> None:
    """Mark an unfinished report failed (retries exhausted)."""
    jobs.give_up(Report, report_id, reason)


def scheduled_region_reports(*, today: date | None = None) -> list[Report]:
    """Queue a region progress report for every active, joined region whose last scheduled
    report is at least WEL_REGION_REPORT_EVERY_DAYS old (or that has none). Run daily."""
    from django.db.models import Max

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
