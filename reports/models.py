"""A report: a PDF built by a Celery task for one region (progress) or one phase (overview)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobs.models import Job
from wel import validation
from wel.access import AnyOf, LandelijkTeam, RegionInternal, ScopedQuerySet, Where


class ReportQuerySet(ScopedQuerySet):
    """Reports a user may see: the landelijk team every report made for the "landelijk"
    audience (protected figures only: phase overviews and landelijk region reports, never a
    region's confidential "regio" report); members of a region that region's progress reports
    of both audiences; nobody else."""

    visibility = AnyOf(
        (
            Where(Q(kind="region_progress"), RegionInternal()),
            Where(Q(audience="landelijk"), LandelijkTeam()),
        )
    )


class Report(Job):
    """A report is a job (jobs.models.Job: status, progress, attempts, heartbeat), built by the
    task ``reports.build_report`` through the one job service (jobs.services)."""

    job_task = "reports.build_report"
    job_task_kwarg = "report_id"
    job_reason_field = "error"
    job_requester_field = "requested_by"

    class Kind(models.TextChoices):
        REGION_PROGRESS = "region_progress", _("region progress report")
        PHASE_OVERVIEW = "phase_overview", _("phase overview report")

    class Audience(models.TextChoices):
        """Who a report is made for (docs/reports.md, "Audiences")."""

        REGIO = "regio", _("the region (exact figures, confidential)")
        LANDELIJK = "landelijk", _("national (protected figures)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("region"),
    )
    phase = models.ForeignKey(
        "regions.Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("phase"),
    )
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.LANDELIJK,
        help_text=_(
            "Region: exact figures for the region's own members, marked confidential. "
            "National: small numbers suppressed so that none can be worked out."
        ),
    )
    period_start = models.DateField(_("period from"), validators=[validation.PROGRAMME])
    period_end = models.DateField(_("period until"), validators=[validation.PROGRAMME])
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    # Checked on every download: a PDF changed in storage is never handed out.
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    scheduled = models.BooleanField(
        _("scheduled"), default=False, help_text=_("Queued by the schedule, not by a person.")
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="region_progress", region__isnull=False, phase__isnull=True)
                    | Q(kind="phase_overview", phase__isnull=False, region__isnull=True)
                ),
                name="report_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="region_progress") | Q(audience="landelijk"),
                name="report_phase_overview_is_landelijk",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="report_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="report_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"
            ),
        ]
        indexes = [models.Index(fields=["region", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.scope_label} ({self.created_at:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def scope_label(self) -> str:
        if self.kind == self.Kind.REGION_PROGRESS and self.region_id:
            return str(self.region)
        if self.phase_id:
            return str(self.phase)
        return "—"

    @property
    def audit_label(self) -> str:
        return f"report {self.pk} ({self.kind})"

    @property
    def is_exact(self) -> bool:
        """Exact figures (the region's confidential report) rather than protected ones."""
        return self.audience == self.Audience.REGIO

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def filename(self) -> str:
        if self.kind == self.Kind.REGION_PROGRESS:
            scope = self.region.code if self.region_id else "regio"
            scope = f"{scope}-{self.audience}"
        else:
            scope = f"fase-{self.phase.number}" if self.phase_id else "fase"
        return f"wel-{self.kind.replace('_', '-')}-{scope}-{self.period_end:%Y%m%d}.pdf"
