"""``manage.py import_jeugdigen FILE --region CODE --user EMAIL [--dry-run]``: the same import
as the browser, run as (and audited for) that user, with that user's rights.

All rows or none: with any bad row nothing is written, every problem is printed and the
command exits with status 1.
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

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV or XLSX file.")
        parser.add_argument("--region", required=True, help="Region code, e.g. VO2202.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row; write nothing."
        )
        add_user_argument(parser)

    def handle(self, *args, file: str, region: str, dry_run: bool, user: str, **options):
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
        try:
            # The timeline entries are stored as written: in the site's language.
            with translation.override(settings.LANGUAGE_CODE):
                result = importer.run_import(
                    path.read_bytes(),
                    filename=path.name,
                    region=target,
                    by=by,
                    allowed_gemeente_ids=allowed,
                    commit=not dry_run,
                )
        except importer.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        for row in result.bad_rows:
            for column, reason in row.errors:
                self.stderr.write(f"line {row.number}, {column}: {reason}")
        for row in result.duplicate_rows:
            self.stdout.write(
                f"line {row.number}: already registered as {row.duplicate_of}, skipped"
            )
        summary = (
            f"{len(result.rows)} rows: {len(result.new_rows)} new, "
            f"{len(result.duplicate_rows)} already registered, {len(result.bad_rows)} with problems"
        )
        if not result.ok:
            raise CommandError(f"{summary}. Nothing was written.")
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing was written ({seconds:.1f} s).")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{summary}. Imported {result.created} ({seconds:.1f} s).")
            )
