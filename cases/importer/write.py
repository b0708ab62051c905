"""Writing: every new row in one transaction, or none; one audit event for the import."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from wel import audit

from ..models import Jeugdige, RuleFinding, Status, TimelineEntry
from ..search import search_name_of
from ..services import default_renewal_due, next_references
from .check import ImportResult, check_table
from .columns import COLUMNS
from .read import find_table, read_sheets

TEMPLATE_EXAMPLE = (
    "",
    "Sanne",
    "de Vries",
    "14-03-2014",
    "0114",
    "5a",
    "01-08-2025",
    "31-07-2026",
    "OBS De Esch",
    "",
)
BATCH = 1000


def run_import(
    data: bytes,
    *,
    filename: str,
    region,
    by=None,
    allowed_gemeente_ids: frozenset[int] | None = None,
    commit: bool = True,
    request=None,
    ignore_columns=(),
    progress=None,
    decisions: dict | None = None,
) -> ImportResult:
    """Read and check the file; when every row is fine and ``commit``, write all new rows.

    Rows for young people already registered in the region are skipped (and reported);
    one bad row, or a column with data the import cannot place (unless named in
    ``ignore_columns``), means nothing is written. ``progress(percent, note)`` is called
    while reading, checking and writing. Raises ImportRefused for an unreadable file.

    ``decisions`` holds what the user decided in the preview: ``confirm_warnings`` (the rows'
    warnings were checked) and ``hidden_rows`` ("import" or "skip" the rows the XLSX file
    hides; until then, "ask": nothing is written).
    """
    decisions = decisions or {}

    def report(percent: int, note: str = "") -> None:
        if progress is not None:
            progress(percent, note)

    report(0, _("Reading the file"))
    kind, sheets, encoding = read_sheets(data, filename)
    table = find_table(kind, sheets, encoding)
    report(5, _("Checking the rows"))
    result = check_table(
        table,
        region=region,
        allowed_gemeente_ids=allowed_gemeente_ids,
        ignore_columns=frozenset(ignore_columns),
        progress=lambda done, total: report(5 + 45 * done // max(total, 1), _("Checking the rows")),
        confirm_warnings=bool(decisions.get("confirm_warnings")),
        hidden_rows=decisions.get("hidden_rows") or "ask",
    )
    if not result.ok or not commit:
        return result
    report(50, _("Writing (all rows or none)"))
    with transaction.atomic():
        _write(result, region=region, by=by, filename=filename, request=request, report=report)
    report(100, "")
    return result


def _write(result: ImportResult, *, region, by, filename: str, request, report) -> None:
    new = result.new_rows
    references = next_references(region=region, count=len(new)) if new else []
    now = timezone.now()
    objs = []
    for row, reference in zip(new, references, strict=True):
        c = row.cleaned
        objs.append(
            Jeugdige(
                region=region,
                gemeente=c["gemeente"],
                reference=reference,
                given_name=c["given_name"],
                family_name=c["family_name"],
                search_name=search_name_of(c["given_name"], c["family_name"]),
                date_of_birth=c["date_of_birth"],
                bsn=c["bsn"],
                grondslag=c["grondslag"],
                exemption_start=c["exemption_start"],
                exemption_end=c["exemption_end"],
                notice_date=c.get("notice_date"),
                doctor_statement_date=c.get("doctor_statement_date"),
                renewal_due=default_renewal_due(
                    grondslag=c["grondslag"], start=c["exemption_start"], end=c["exemption_end"]
                ),
                last_school=c["last_school"],
                notes=c["notes"],
                status=Status.AANGEMELD,
                created_by=by,
                created_at=now,
                updated_at=now,
                status_changed_at=now,
            )
        )
    created = []
    for start in range(0, len(objs), BATCH):
        created += bulk_create_with_history(
            objs[start : start + BATCH],
            Jeugdige,
            batch_size=BATCH,
            default_user=by,
            default_change_reason="import",
            default_date=now,
        )
        report(50 + 45 * (start + BATCH) // max(len(objs), 1), _("Writing (all rows or none)"))
    if any(j.pk is None for j in created):  # backends without RETURNING
        created = list(Jeugdige.objects.filter(reference__in=references))
    text = _("Registered by import of %(file)s.") % {"file": filename[:100]}
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                jeugdige_id=j.pk,
                at=now,
                kind=TimelineEntry.Kind.IMPORT,
                text=text,
                by=by,
                status_to=Status.AANGEMELD,
            )
            for j in created
        ],
        batch_size=2000,
    )
    # Warnings the user confirmed in the preview are recorded as confirmed review findings.
    by_reference = {j.reference: j.pk for j in created}
    confirmed = [
        RuleFinding(
            jeugdige_id=by_reference[reference],
            code=code,
            level="warning",
            confirmed_by=by if getattr(by, "pk", None) else None,
            confirmed_at=now,
        )
        for row, reference in zip(new, references, strict=True)
        for _column, code, _reason in row.warnings
    ]
    RuleFinding.objects.bulk_create(confirmed, batch_size=2000, ignore_conflicts=True)
    result.created = len(created)
    result.references = references
    audit.record(
        audit.events.JEUGDIGEN_IMPORTED,
        request=request,
        user=by,
        user_label="" if by is not None else "manage.py import_jeugdigen",
        obj=region,
        subjects=[j.pk for j in created],
        detail={
            "rows": len(result.rows),
            "created": len(created),
            "skipped_duplicates": len(result.duplicate_rows),
            "file": filename[:100],
            "sheet": result.sheet,
            "header_row": result.header_row,
            "ignored_columns": result.ignored_columns[:50],
            "confirmed_warnings": sum(len(r.warnings) for r in new),
            "hidden_rows": result.hidden_rows,
            "hidden_skipped": len(result.skipped_hidden),
            "first": references[0] if references else "",
            "last": references[-1] if references else "",
        },
    )


def template_csv() -> bytes:
    """The downloadable template: the columns and one example row, as Dutch Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
