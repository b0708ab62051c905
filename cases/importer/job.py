"""The import job: a confirmed import over ``settings.WEL_IMPORT_JOB_THRESHOLD`` new rows is
written by a Celery task (in-process when no broker is configured, as reports are), all rows
or none, with its progress on the job row for the progress page to show."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wel.access import scope_for

from ..models import ImportJob
from .messages import counts, imported
from .read import ImportRefused
from .write import run_import


def import_job_create(
    *,
    region,
    by,
    filename: str,
    path: str,
    sha256: str,
    ignore_columns: list[str],
    decisions: dict | None = None,
) -> ImportJob:
    """Record the job and queue its task once the transaction commits."""
    from ..tasks import run_import_job

    job = ImportJob.objects.create(
        region=region,
        created_by=by,
        filename=filename[:200],
        path=path,
        sha256=sha256,
        ignore_columns=list(ignore_columns),
        decisions=dict(decisions or {}),
    )
    transaction.on_commit(lambda: run_import_job.delay(job_id=job.pk))
    return job


def _set(job_id: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job (idempotent: a finished or running job is left alone).

    The file is read and checked again (a colleague may have registered someone since the
    preview); any row error fails the job and nothing is written. Progress is saved on the
    job row as the rows are read and checked; the writing is one transaction, so its progress
    shows once it has committed.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, progress=0
    )
    job = ImportJob.objects.select_related("region", "created_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(percent: int, note: str = "") -> None:
        # Outside the write transaction this is seen at once; inside it, at its commit.
        _set(job.pk, progress=max(0, min(99, int(percent))), progress_note=note[:200])

    try:
        with default_storage.open(job.path, "rb") as fh:
            data = fh.read()
        result = run_import(
            data,
            filename=job.filename,
            region=job.region,
            by=job.created_by,
            allowed_gemeente_ids=scope_for(job.created_by).gemeente_ids_for_cases(job.region.pk),
            ignore_columns=job.ignore_columns,
            decisions=job.decisions,
            commit=True,
            progress=progress,
        )
    except (ImportRefused, OSError) as exc:
        _set(
            job.pk,
            status=ImportJob.Status.FAILED,
            outcome=str(exc),
            finished_at=timezone.now(),
            progress_note="",
        )
    else:
        if result.ok:
            _set(
                job.pk,
                status=ImportJob.Status.DONE,
                progress=100,
                progress_note="",
                created=result.created,
                skipped=len(result.duplicate_rows),
                outcome=imported(result),
                finished_at=timezone.now(),
            )
        else:
            _set(
                job.pk,
                status=ImportJob.Status.FAILED,
                progress_note="",
                outcome=counts(result)
                + " "
                + _(
                    "Nothing was written: since the preview a row no longer fits (e.g. a "
                    "colleague registered someone). Upload the file again to see the problems."
                ),
                finished_at=timezone.now(),
            )
    if default_storage.exists(job.path):
        default_storage.delete(job.path)
    job.refresh_from_db()
    return job


def import_job_give_up(*, job_id: int, reason: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, outcome=reason, finished_at=timezone.now()
    )
