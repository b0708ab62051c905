"""Build one report synchronously and print the stored file's path (operators, tests).

``--user EMAIL`` names the operator: the report is recorded as requested by them and the
audit log names them (NEN 7513)."""

from __future__ import annotations

import time

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from regions.models import Phase, Region
from reports.models import Report
from reports.services import report_build
from wel import audit
from wel.operator import add_user_argument, operator


class Command(BaseCommand):
    help = "Build a report now: `build_report region VO2202` or `build_report phase 4`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["region", "phase"])
        parser.add_argument("scope", help="The region's code (VO2202) or the phase number (1-4).")
        parser.add_argument("--quiet-progress", action="store_true", help="Do not show progress.")
        parser.add_argument(
            "--audience",
            choices=Report.Audience.values,
            default=Report.Audience.LANDELIJK,
            help="Region reports: 'regio' (exact, confidential) or 'landelijk' (protected; "
            "the default). Phase reports are always 'landelijk'.",
        )
        add_user_argument(parser)

    def handle(
        self,
        *args,
        kind: str,
        scope: str,
        quiet_progress: bool,
        audience: str,
        user: str,
        **options,
    ):
        from reports.services import default_period

        by = operator(user)
        if kind == "region":
            region = Region.objects.filter(code=scope.upper()).first()
            if region is None:
                raise CommandError(f"No region with code {scope!r}. Use a code such as VO2202.")
            start, end = default_period(region=region)
            report_kwargs = {
                "kind": Report.Kind.REGION_PROGRESS,
                "region": region,
                "audience": audience,
            }
        else:
            phase = Phase.objects.filter(number=int(scope) if scope.isdigit() else -1).first()
            if phase is None:
                raise CommandError(f"No phase {scope!r}. Use a number from 1 to 4.")
            start, end = default_period()
            report_kwargs = {"kind": Report.Kind.PHASE_OVERVIEW, "phase": phase}
            if audience != Report.Audience.LANDELIJK:
                raise CommandError("A phase overview report is always 'landelijk'.")
        # Created directly (not through report_request) so that no task is queued: this
        # command is the worker.
        report = Report.objects.create(
            period_start=start, period_end=end, requested_by=by, **report_kwargs
        )
        started = time.monotonic()
        report = report_build(report_id=report.pk)
        seconds = time.monotonic() - started
        if report.status != Report.Status.DONE:
            raise CommandError(f"Report {report.pk} failed: {report.error}")
        audit.record(
            audit.events.REPORT_BUILT,
            user=by,
            obj=report,
            on_behalf_of="manage.py build_report",
            detail={"kind": report.kind, "scope": scope},
        )
        self.stderr.write(f"report {report.pk} built in {seconds:.1f} s")
        try:
            self.stdout.write(default_storage.path(report.file.name))
        except NotImplementedError:  # remote storage (S3): the name within the bucket
            self.stdout.write(report.file.name)
