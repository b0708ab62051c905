"""``manage.py import_jeugdigen FILE --region CODE --user EMAIL [--dry-run]
[--ignore-column NAME ...] [--confirm-warnings] [--hidden-rows import|skip]``: the same import
as the browser, run as (and audited for) that user, with that user's rights.

All rows or none: with any bad row, or a column holding data the import cannot place (unless
named with ``--ignore-column``), nothing is written, every problem is printed and the command
exits with status 1.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cases import importer
from regions.models import Region
from wel.access import scope_for
from wel.operator import add_user_argument, operator


class Command(BaseCommand):
    help = "Import a CSV or XLSX list of jeugdigen into one region (all rows or none)."
    # The system checks load every URLconf and view (0.35 s and 22 MB of the 150 MB an
    # import of 20,000 rows may take, issue 23) and check nothing the import uses; they run
    # with ``manage.py check --deploy`` (make check, CI) and on every other command.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV or XLSX file.")
        parser.add_argument("--region", required=True, help="Region code, e.g. VO2202.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row; write nothing."
        )
        parser.add_argument(
            "--ignore-column",
            action="append",
            default=[],
            metavar="NAME",
            dest="ignore_columns",
            help=(
                "A column (as named in the file's header) that holds data the import does "
                "not use, confirmed to be ignored. Repeat for more columns."
            ),
        )
        parser.add_argument(
            "--confirm-warnings",
            action="store_true",
            help="The rows' warnings (conditions of the grondslag) were checked: import anyway.",
        )
        parser.add_argument(
            "--hidden-rows",
            choices=("import", "skip"),
            default="ask",
            help="Rows the XLSX file hides (by hand or with a filter): import or skip them.",
        )
        add_user_argument(parser)

    def handle(
        self,
        *args,
        file: str,
        region: str,
        dry_run: bool,
        ignore_columns: list[str],
        user: str,
        confirm_warnings: bool = False,
        hidden_rows: str = "ask",
        **options,
    ):
        by = operator(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > importer.MAX_BYTES:
            raise CommandError(
                f"The file is larger than {importer.MAX_BYTES // (1024 * 1024)} MB. "
                "Split the list into smaller files."
            )
        try:
            target = Region.objects.get(code=region)
        except Region.DoesNotExist as exc:
            raise CommandError(f"No region with code {region!r}. See the region list.") from exc
        allowed = scope_for(by).gemeente_ids_for_cases(target.pk)
        if allowed is not None and not allowed:
            raise CommandError(f"{by.email} does not work on cases in region {target.code}.")
        started = time.monotonic()
        # Messages and timeline entries are written in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                result = importer.run_import(
                    path.read_bytes(),
                    filename=path.name,
                    region=target,
                    by=by,
                    allowed_gemeente_ids=allowed,
                    commit=not dry_run,
                    ignore_columns=ignore_columns,
                    decisions={"confirm_warnings": confirm_warnings, "hidden_rows": hidden_rows},
                )
            except importer.ImportRefused as exc:
                raise CommandError(str(exc)) from exc
            seconds = time.monotonic() - started
            lines = importer.summary_lines(result)
        for line in lines["info"]:
            self.stdout.write(line)
        for line in lines["problems"]:
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(f"{lines['summary']} {lines['nothing_written']}")
        if dry_run:
            self.stdout.write(f"{lines['summary']} Dry run: nothing was written ({seconds:.1f} s).")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{lines['summary']} Imported {result.created} ({seconds:.1f} s)."
                )
            )
