"""``manage.py leerplichttelling --gemeente CBSCODE --schooljaar 2025-2026 --user EMAIL
[--format csv|xlsx|pdf] [--output DIR]``: the year overview of one gemeente (Leerplichtwet
art. 25) as a file, made with that user's rights and audited as an export; prints the file's
path."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cases import rules
from cases import telling as year_overview
from wel import audit
from wel.operator import add_user_argument, operator


class Command(BaseCommand):
    help = "Write the year overview (Leerplichttelling) of one gemeente and school year."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", required=True, help="CBS code, e.g. 0114.")
        parser.add_argument("--schooljaar", required=True, help="School year, e.g. 2025-2026.")
        parser.add_argument("--format", choices=year_overview.FORMATS, default="csv")
        parser.add_argument(
            "--output", default=".", help="Folder to write the file in (default: here)."
        )
        add_user_argument(parser)

    def handle(self, *args, gemeente, schooljaar, user, format, output, **options):
        by = operator(user)
        try:
            year = rules.SchoolYear.parse(schooljaar)
        except ValueError as exc:
            raise CommandError(
                f"{schooljaar!r} is not a school year. Write it as 2025-2026."
            ) from exc
        code = gemeente.strip().upper().removeprefix("GM").zfill(4)
        found = year_overview.telling_gemeenten(user=by).filter(cbs_code=code).first()
        if found is None:
            raise CommandError(
                f"{by.email} does not work on cases in gemeente {code}, or it does not exist."
            )
        folder = Path(output)
        if not folder.is_dir():
            raise CommandError(f"No such folder: {output}")
        with translation.override(settings.LANGUAGE_CODE):
            overview = year_overview.telling_for(user=by, gemeente=found, year=year)
            body, _content_type = year_overview.telling_file(overview, format)
        path = (folder / year_overview.filename(overview, format)).resolve()
        path.write_bytes(body)
        audit.record(
            audit.events.YEAR_OVERVIEW_EXPORTED,
            user=by,
            on_behalf_of="manage.py leerplichttelling",
            detail={"gemeente": code, "schooljaar": year.label, "format": format},
        )
        self.stdout.write(str(path))
