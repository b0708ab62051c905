"""The one job machinery (docs/architecture.md, "Background jobs").

:class:`Job` is the abstract model every long task's row inherits (a report, an import job):
status, progress, attempts, heartbeat and the task that holds it. :mod:`jobs.services` is the
one service that claims, stamps, sweeps, retries and gives up such rows, whatever the model.
:class:`StoredFile` is an uploaded file, owned by a preview (until it expires) or by a job
(until the job ends); :mod:`jobs.files` stores, reads (hash checked) and deletes them.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A row worked on by one Celery task at a time. Concrete models also have ``created_at``,
    name the task that works on them (``job_task``, called with ``job_task_kwarg=pk``) and the
    text field that holds why they failed (``job_reason_field``)."""

    Status = JobStatus
    END_STATES: ClassVar[tuple[str, ...]] = (JobStatus.DONE, JobStatus.FAILED)

    job_task: ClassVar[str] = ""
    job_task_kwarg: ClassVar[str] = ""
    job_reason_field: ClassVar[str] = ""
    # The user field of who asked for the job: told when it ends (notifications).
    job_requester_field: ClassVar[str] = ""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("now working on"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    celery_task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Stamped by the worker while it works; the sweep notices a silent job."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in self.END_STATES

    @property
    def job_label(self) -> str:
        return f"{self._meta.label_lower}:{self.pk}"

    def job_files(self) -> list[StoredFile]:
        """The stored files this job owns: deleted when it ends (override)."""
        return []


class StoredFile(models.Model):
    """An uploaded file in default storage (never under a public URL). A preview owns it until
    ``expires_at``; once a job takes it, ``expires_at`` is cleared and the job's end deletes
    it. ``sha256`` is checked on every read."""

    path = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    purpose = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.purpose}: {self.path}"

    def inzage_display(self) -> str:
        """The file as the inzage export lists it (its bytes are not in the export)."""
        from django.template.defaultfilters import filesizeformat

        return _("%(size)s, SHA-256 %(sha256)s") % {
            "size": filesizeformat(self.size),
            "sha256": self.sha256,
        }
