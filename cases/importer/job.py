"""The import job: a confirmed import over ``settings.WEL_IMPORT_JOB_THRESHOLD`` new rows is
written by a Celery task (in-process when no broker is configured, as reports are), all rows
or none, with its progress on the job row for the progress page to show.

It is a job of the one job machinery (jobs.services): claimed (also when its worker died and
the message was redelivered, or the sweep queued it again), stamped by a heartbeat while it
runs, and ended done, failed or given up, which deletes the uploaded file (a
jobs.StoredFile, read only when its hash still matches)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from jobs import files
from jobs import services as jobs
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
    upload,
    ignore_columns: list[str],
    decisions: dict | None = None,
) -> ImportJob:
    """Record the job, which takes the preview's stored file over (``upload``, a
    jobs.StoredFile: deleted when the job ends), and queue its task once the transaction
    commits."""
    from ..tasks import run_import_job

    files.adopt(upload)
    job = ImportJob.objects.create(
        region=region,
        created_by=by,
        filename=filename[:200],
        upload=upload,
        ignore_columns=list(ignore_columns),
        decisions=dict(decisions or {}),
    )
    transaction.on_commit(lambda: jobs.dispatch(run_import_job, job_id=job.pk))
    return job


def _progress(job_id: int):
    outside = len(connection.atomic_blocks)

    def progress(percent: int, note: str = "") -> None:
        # Not inside the write transaction: that would lock the job row until the commit (the
        # heartbeat thread and the sweep would wait for it), and show nothing before it anyway.
        if len(connection.atomic_blocks) <= outside:
            jobs.progress(ImportJob, job_id, percent, note)

    return progress


def import_job_run(*, job_id: int, task_id: str = "") -> ImportJob:
    """Run a queued job, or one whose worker died (idempotent: a finished job, or one a live
    worker holds, is left alone).

    The file is read and checked again (a colleague may have registered someone since the
    preview); any row error fails the job and nothing is written. Progress is saved on the
    job row as the rows are read and checked; the writing is one transaction, during which the
    heartbeat thread shows the job is alive.
    """
    if jobs.claim(ImportJob, job_id, task_id=task_id) is None:
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("region", "created_by", "upload").get(pk=job_id)
    try:
        if job.upload is None:
            raise files.FileMissing(_("The uploaded file is gone. Upload the file again."))
        data = files.read(job.upload, by=job.created_by, obj=job)
        with jobs.beating(ImportJob, job.pk):
            result = run_import(
                data,
                filename=job.filename,
                region=job.region,
                by=job.created_by,
                allowed_gemeente_ids=scope_for(job.created_by).gemeente_ids_for_cases(
                    job.region.pk
                ),
                ignore_columns=job.ignore_columns,
                decisions=job.decisions,
                commit=True,
                progress=_progress(job.pk),
            )
    except (ImportRefused, files.FileProblem, OSError) as exc:
        jobs.fail(ImportJob, job.pk, str(exc))
    else:
        if result.ok:
            jobs.finish(
                ImportJob,
                job.pk,
                created=result.created,
                skipped=len(result.duplicate_rows),
                outcome=imported(result),
            )
        else:
            jobs.fail(
                ImportJob,
                job.pk,
                counts(result)
                + " "
                + _(
                    "Nothing was written: since the preview a row no longer fits (e.g. a "
                    "colleague registered someone). Upload the file again to see the problems."
                ),
            )
    return ImportJob.objects.get(pk=job.pk)


def import_job_give_up(*, job_id: int, reason: str) -> None:
    jobs.give_up(ImportJob, job_id, reason)
