"""Celery tasks of the reports app. Thin: they take ids and call services."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from . import services

log = logging.getLogger(__name__)


def warm_up_pdf(**kwargs) -> None:
    """Each worker process loads WeasyPrint and its fonts when it starts, not in its first
    report (reports.documents.warm_up; celery's worker_process_init, reports/apps.py)."""
    from .documents import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first report pays it
        log.warning("warming up the PDF renderer failed", exc_info=True)


class ReportTask(Task):
    """Marks the report failed when the retries for a transient error run out."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        report_id = kwargs.get("report_id")
        if report_id is not None and isinstance(exc, SoftTimeLimitExceeded):
            # The limit struck outside the build's own handler (e.g. while claiming).
            services.report_give_up(report_id=report_id, reason=services.time_limit_reason())
        elif report_id is not None:
            services.report_give_up(
                report_id=report_id,
                reason=_(
                    "Building the report failed after several attempts (%(error)s). "
                    "Try again later; if it keeps failing, tell the administrator."
                )
                % {"error": type(exc).__name__},
            )


@shared_task(
    bind=True,
    base=ReportTask,
    name="reports.build_report",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
)
def build_report(self, *, report_id: int) -> str:
    """Build one report (idempotent: a done report is left alone). Time limits come from
    CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT."""
    report = services.report_build(report_id=report_id, task_id=self.request.id or "")
    return report.status


@shared_task(name="reports.queue_scheduled_region_reports")
def queue_scheduled_region_reports() -> int:
    """Daily: queue the region reports that are due (every WEL_REGION_REPORT_EVERY_DAYS)."""
    return len(services.scheduled_region_reports())


@shared_task(name="reports.send_weekly_digests")
def send_weekly_digests() -> int:
    """Weekly: e-mail each LPA who wants it the references on their worklist."""
    from .digest import send_digests

    return send_digests()


@shared_task(name="reports.make_national_snapshot")
def make_national_snapshot(*, start: str, end: str, language: str) -> str:
    """Make the national dashboard's snapshot of the current counts (reports.snapshot)."""
    from datetime import date

    from .snapshot import make

    snapshot = make(start=date.fromisoformat(start), end=date.fromisoformat(end), language=language)
    return snapshot.made_at.isoformat()
