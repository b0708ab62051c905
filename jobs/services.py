"""The one service for background jobs (docs/architecture.md, "Background jobs").

Every long task (a report's build, a big import) works on a row of a :class:`jobs.models.Job`
model through these functions, and only these:

- :func:`claim` takes a queued job, or a running one whose worker is gone (the same message
  redelivered, or a silent heartbeat), counting attempts; past WEL_JOB_MAX_ATTEMPTS it gives up;
- :func:`progress`, :func:`heartbeat` and :func:`beating` (a thread) stamp ``heartbeat_at``;
- :func:`finish`, :func:`fail` and :func:`give_up` end it, and delete the files it owns;
- :func:`retry` queues a failed job again on a person's request;
- :func:`sweep` finds running jobs silent for longer than WEL_JOB_STALE_SECONDS and queues
  them again (attempts left) or gives them up with a reason, fails jobs no worker took within
  WEL_JOB_QUEUED_MAX_HOURS and deletes the files of abandoned previews. It runs in beat, when a
  worker starts, on every claim and on the progress pages (at most every
  WEL_JOB_SWEEP_EVERY_SECONDS): a dead worker is found with or without beat.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wel import audit

from . import files
from .models import Job, JobStatus

log = logging.getLogger(__name__)


def job_models() -> list[type[Job]]:
    """Every concrete job model (reports, import jobs, and any later long task)."""
    return [m for m in apps.get_models() if issubclass(m, Job)]


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WEL_JOB_STALE_SECONDS)


def _last_sign(job: Job):
    return job.heartbeat_at or job.started_at or job.created_at


def is_stale(job: Job, *, now=None) -> bool:
    """Running without a sign of life for longer than the stale limit (exactly at the limit is
    still alive), or past the hard time limit."""
    now = now or timezone.now()
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return _last_sign(job) < now - stale_after() or (
        job.started_at is not None and job.started_at < now - hard_limit
    )


def _reason(job: Job, reason: str) -> dict:
    return {job.job_reason_field: reason}


def _release_files(job: Job) -> None:
    for stored in job.job_files():
        files.discard(stored)


def _end(model: type[Job], job_id: int, status: str, *, only_from, **fields) -> Job | None:
    """Move a job to an end state (from one of ``only_from``) and delete its files."""
    now = timezone.now()
    changed = model.objects.filter(pk=job_id, status__in=only_from).update(
        status=status, finished_at=now, **fields
    )
    job = model.objects.filter(pk=job_id).first()
    if job is not None and job.is_finished:
        _release_files(job)  # also when it had ended before: nothing may stay behind
    if changed and job is not None:
        # Typed, so whoever asked for the job hears of it (notifications.rules).
        audit.record(
            audit.events.JOB_FINISHED if status == JobStatus.DONE else audit.events.JOB_FAILED,
            obj=job,
            outcome=audit.Outcome.SUCCESS,
            user_label="job",
        )
    return job if changed else None


# -- claim --------------------------------------------------------------------------------------
def claim(model: type[Job], job_id: int, *, task_id: str = "") -> Job | None:
    """Take the job for this task; ``None`` when there is nothing to do.

    A queued job is taken. A running one is taken over when this is the message its worker
    held (redelivered after the worker died: the same task id), or when it is stale; a running
    job with a live worker and another task id is a duplicate message and left alone. A
    finished job is never run again. Past WEL_JOB_MAX_ATTEMPTS the job is given up.
    """
    sweep_if_due()
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == JobStatus.RUNNING and not (
            (task_id and task_id == job.celery_task_id) or is_stale(job)
        ):
            return None
        if job.attempts >= settings.WEL_JOB_MAX_ATTEMPTS:
            given_up = job
        else:
            given_up = None
            now = timezone.now()
            job.status = JobStatus.RUNNING
            job.attempts += 1
            job.started_at = job.heartbeat_at = now
            job.finished_at = None
            job.progress = 0
            job.progress_note = ""
            setattr(job, job.job_reason_field, "")
            job.celery_task_id = task_id or job.celery_task_id
            job.save(
                update_fields=[
                    "status",
                    "attempts",
                    "started_at",
                    "heartbeat_at",
                    "finished_at",
                    "progress",
                    "progress_note",
                    job.job_reason_field,
                    "celery_task_id",
                ]
            )
    if given_up is not None:
        give_up(model, job_id, reason=_attempts_reason(given_up.attempts))
        return None
    return job


def _attempts_reason(attempts: int) -> str:
    return _(
        "The worker stopped %(n)s times while working on this. It was given up; try again "
        "later, and tell the administrator if it keeps failing."
    ) % {"n": attempts}


# -- signs of life ------------------------------------------------------------------------------
def heartbeat(model: type[Job], job_id: int) -> bool:
    return bool(
        model.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    )


def progress(model: type[Job], job_id: int, percent: int, note: str = "") -> None:
    """Save how far the job is (0-99; 100 only when done), which is a sign of life too."""
    model.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        progress=max(0, min(99, int(percent))),
        progress_note=note[:200],
        heartbeat_at=timezone.now(),
    )


@contextmanager
def beating(model: type[Job], job_id: int):
    """While the work runs, a thread stamps the heartbeat every WEL_JOB_HEARTBEAT_SECONDS, also
    during one long step without progress. When the worker dies the stamps stop."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.WEL_JOB_HEARTBEAT_SECONDS):
                heartbeat(model, job_id)
        except Exception:  # noqa: BLE001 - a missed beat must never break the work
            log.warning("job %s %s: heartbeat failed", model.__name__, job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own database connection

    name = f"{model._meta.model_name}-{job_id}-heartbeat"
    thread = threading.Thread(target=beat, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


# -- end states ---------------------------------------------------------------------------------
def finish(model: type[Job], job_id: int, **fields) -> Job | None:
    """Done: progress 100; the files the job owned are deleted."""
    return _end(
        model,
        job_id,
        JobStatus.DONE,
        only_from=[JobStatus.RUNNING],
        progress=100,
        progress_note="",
        **fields,
    )


def fail(model: type[Job], job_id: int, reason: str, **fields) -> Job | None:
    """Failed with a reason the user can act on; the files the job owned are deleted."""
    return _end(
        model,
        job_id,
        JobStatus.FAILED,
        only_from=[JobStatus.QUEUED, JobStatus.RUNNING],
        progress_note="",
        **_reason(model, reason),
        **fields,
    )


def give_up(model: type[Job], job_id: int, reason: str) -> Job | None:
    """Fail an unfinished job for good (attempts or retries exhausted), audited."""
    job = fail(model, job_id, reason)
    if job is not None:
        audit.record(
            audit.events.JOB_GIVEN_UP,
            obj=job,
            outcome=audit.Outcome.FAILURE,
            detail={"attempts": job.attempts},
            user_label="job",
        )
    return job


def retry(model: type[Job], job_id: int) -> Job | None:
    """Queue a failed job again with a fresh count of attempts (a person asked for it); the
    caller sends the task. ``None`` when the job had not failed."""
    changed = model.objects.filter(pk=job_id, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED,
        progress=0,
        progress_note="",
        attempts=0,
        started_at=None,
        heartbeat_at=None,
        finished_at=None,
        **_reason(model, ""),
    )
    return model.objects.get(pk=job_id) if changed else None


def _run_in_thread(task, kwargs: dict) -> None:
    try:
        task.apply(kwargs=kwargs)
    except Exception:  # noqa: BLE001 - the job records its own failure; nobody waits for this
        log.exception("task %s %s failed in its thread", task.name, kwargs)
    finally:
        connection.close()  # this thread's own connection


def dispatch(task, **kwargs) -> None:
    """Start ``task`` with ``kwargs``: through the broker when there is one; without a broker
    (``make run``: tasks run in-process) in a thread of its own when
    ``WEL_EAGER_TASKS_IN_THREAD`` is on, so the request that asked for a report or an import
    answers at once and its page shows the progress, as with a worker (issue 23: a PDF request
    held the browser for 5–8 s). The tests keep eager tasks in the request (the setting off)
    so that they can see the result. Raises what ``apply_async`` raises when the broker cannot
    be reached."""
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.WEL_EAGER_TASKS_IN_THREAD:
        threading.Thread(
            target=_run_in_thread, args=(task, kwargs), name=f"eager-{task.name}", daemon=True
        ).start()
        return
    task.apply_async(kwargs=kwargs)


def send(model: type[Job], job_id: int) -> None:
    """Send the job's task once the transaction commits (:func:`dispatch`)."""
    from celery import current_app

    def go() -> None:
        try:
            dispatch(current_app.tasks[model.job_task], **{model.job_task_kwarg: job_id})
        except Exception:  # noqa: BLE001 - the broker is away: the next sweep fails it in time
            log.exception("job %s %s: the task could not be sent", model.__name__, job_id)

    transaction.on_commit(go)


# -- the sweep ----------------------------------------------------------------------------------
@dataclass
class Swept:
    retried: int = 0
    given_up: int = 0
    lost: int = 0
    files: int = 0

    @property
    def jobs(self) -> int:
        return self.retried + self.given_up + self.lost


def sweep(*, now=None) -> Swept:
    """Find the jobs whose worker is gone and the files nobody owns any more.

    A running job without a sign of life for longer than WEL_JOB_STALE_SECONDS (or past the
    hard time limit) is queued again while it has attempts left (WEL_JOB_MAX_ATTEMPTS), else
    given up with a reason. A queued job that no worker took within WEL_JOB_QUEUED_MAX_HOURS is
    failed. Files of previews abandoned past WEL_IMPORT_PREVIEW_MINUTES are deleted.
    """
    now = now or timezone.now()
    swept = Swept()
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    for model in job_models():
        stale = (
            model.objects.filter(status=JobStatus.RUNNING)
            .annotate(last_sign=Coalesce(F("heartbeat_at"), F("started_at"), F("created_at")))
            .filter(Q(last_sign__lt=now - stale_after()) | Q(started_at__lt=now - hard_limit))
        )
        for job in stale:
            if job.attempts < settings.WEL_JOB_MAX_ATTEMPTS:
                swept.retried += _requeue(model, job, now=now)
            elif give_up(model, job.pk, reason=_silent_reason(job.attempts)) is not None:
                swept.given_up += 1
        lost = model.objects.filter(status=JobStatus.QUEUED).annotate(
            queued_since=Coalesce(F("heartbeat_at"), F("created_at"))
        )
        lost = lost.filter(
            queued_since__lt=now - timedelta(hours=settings.WEL_JOB_QUEUED_MAX_HOURS)
        )
        for pk in lost.values_list("pk", flat=True):
            reason = _(
                "No worker picked this up within %(n)s hours. Try again; if it stays queued, "
                "ask the administrator to check the Celery workers."
            ) % {"n": settings.WEL_JOB_QUEUED_MAX_HOURS}
            if fail(model, pk, reason) is not None:
                swept.lost += 1
        # An ended job whose file is still there (e.g. it ended before files were owned).
        for job in model.objects.filter(status__in=Job.END_STATES).filter(
            **_owns_files_filter(model)
        ):
            _release_files(job)
    swept.files = files.sweep_expired(now=now)
    if swept.jobs or swept.files:
        log.warning("job sweep: %s", swept)
    return swept


def _owns_files_filter(model) -> dict:
    field = getattr(model, "job_file_field", "")
    return {f"{field}__isnull": False} if field else {"pk__in": []}


def _silent_reason(attempts: int) -> str:
    return _(
        "The worker stopped while working on this (no sign of life for %(minutes)s minutes), "
        "%(n)s times. It was given up; try again, and tell the administrator if it keeps "
        "failing."
    ) % {"minutes": max(1, round(settings.WEL_JOB_STALE_SECONDS / 60)), "n": attempts}


def _requeue(model: type[Job], job: Job, *, now) -> int:
    with transaction.atomic():
        changed = model.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(
            status=JobStatus.QUEUED,
            progress=0,
            heartbeat_at=now,  # queued since
            progress_note=_("The worker stopped; trying again."),
        )
        if changed:
            audit.record(
                audit.events.JOB_RETRIED,
                obj=job,
                detail={"attempts": job.attempts},
                user_label="job",
            )
            send(model, job.pk)
    return changed


def sweep_if_due() -> Swept | None:
    """Sweep unless one ran in the last WEL_JOB_SWEEP_EVERY_SECONDS (shared cache: across every
    web process and worker). For the progress pages and claims."""
    if not cache.add("jobs:sweep", 1, timeout=settings.WEL_JOB_SWEEP_EVERY_SECONDS):
        return None
    try:
        return sweep()
    except Exception:  # noqa: BLE001 - a page view or a claim must not fail for the sweep
        log.exception("job sweep failed")
        return None


def sweep_on_worker_ready(**_kwargs) -> None:
    """A worker that starts sweeps at once (celery's worker_ready signal)."""
    try:
        sweep()
    except Exception:  # noqa: BLE001 - never stop a worker from starting
        log.exception("job sweep at worker start failed")
    finally:
        if not connection.in_atomic_block:
            connection.close()  # the main process keeps no connection its pool could inherit
