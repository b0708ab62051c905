"""Celery tasks of the cases app. Thin: they take ids and call services."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils.translation import gettext as _

from . import retention
from .importer import job


class ImportJobTask(Task):
    """Gives the job up when the task raises (nothing was written: one transaction)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id")
        if job_id is not None:
            job.import_job_give_up(
                job_id=job_id,
                reason=_(
                    "The import stopped (%(error)s); nothing was written. Upload the file "
                    "again; if it keeps failing, tell the administrator."
                )
                % {"error": type(exc).__name__},
            )


@shared_task(
    bind=True,
    base=ImportJobTask,
    name="cases.run_import_job",
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_import_job(self, *, job_id: int) -> str:
    """Write one confirmed import (idempotent: a job that already ran is left alone; a job
    whose worker died is taken over, jobs.services.claim)."""
    return job.import_job_run(job_id=job_id, task_id=self.request.id or "").status


@shared_task(name="cases.apply_retention")
def apply_retention() -> dict:
    """Daily (beat): destroy closed cases and purge audit lines past their retention term."""
    result = retention.retention_apply(operator_label="bewaartermijn (geplande taak)")
    return {"cases": result.cases, "audit_lines": result.audit_lines}
