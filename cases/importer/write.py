"""Writing: every new row in one transaction, or none; one audit event for the import."""

from __future__ import annotations

import csv
import io

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from wel import audit, db_copy

from ..models import Jeugdige, RuleFinding, Status, TimelineEntry
from ..search import search_name_of
from ..services import default_renewal_due, next_references
from .check import ImportResult, Row, check_table
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
    del sheets, table  # the rows' cells live on in result.rows; the lists go
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
    text = _("Registered by import of %(file)s.") % {"file": filename[:100]}
    write = _write_copy if copy_supported() else _write_orm
    ids = write(new, references, region=region, by=by, now=now, text=text, report=report)
    result.created = len(ids)
    result.references = references
    audit.record(
        audit.events.JEUGDIGEN_IMPORTED,
        request=request,
        user=by,
        user_label="" if by is not None else "manage.py import_jeugdigen",
        obj=region,
        subjects=ids,
        detail={
            "rows": len(result.rows),
            "created": len(ids),
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


def copy_supported() -> bool:
    """PostgreSQL takes the rows by COPY; other databases (SQLite) through the ORM."""
    return connection.vendor == "postgresql"


def _renewal_due(c: dict):
    # Worked out by the check already (check._check_new_row); the same function either way.
    if "renewal_due" in c:
        return c["renewal_due"]
    return default_renewal_due(
        grondslag=c["grondslag"], start=c["exemption_start"], end=c["exemption_end"]
    )


def _case_template(*, region, by, now) -> Jeugdige:
    """The values every imported case shares (the rest are the fields' defaults)."""
    return Jeugdige(
        region=region,
        status=Status.AANGEMELD,
        created_by=by,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )


# The columns of a case that differ per row, in the order of the tuples of ``_case_values``.
CASE_VARYING = (
    "gemeente_id",
    "reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "bsn",
    "grondslag",
    "exemption_start",
    "exemption_end",
    "notice_date",
    "doctor_statement_date",
    "renewal_due",
    "last_school",
    "notes",
)


def _case_values(row: Row, reference: str) -> tuple:
    c = row.cleaned
    return (
        c["gemeente"].pk,
        reference,
        c["given_name"],
        c["family_name"],
        c["date_of_birth"],
        c["bsn"],
        c["grondslag"],
        c["exemption_start"],
        c["exemption_end"],
        c.get("notice_date"),
        c.get("doctor_statement_date"),
        _renewal_due(c),
        c["last_school"],
        c["notes"],
    )


def _confirmed_findings(new: list[Row], ids: list[int]) -> list[tuple[int, str]]:
    """(case id, code) of the warnings the user confirmed in the preview, each once (the
    first), as ``bulk_create(ignore_conflicts=True)`` keeps them."""
    seen: dict[tuple[int, str], None] = {}
    for row, pk in zip(new, ids, strict=True):
        for _column, code, _reason in row.warnings:
            seen.setdefault((pk, code), None)
    return list(seen)


def _write_copy(new: list[Row], references, *, region, by, now, text, report) -> list[int]:
    """PostgreSQL: cases, their history rows, timeline entries and confirmed findings, each
    table in one COPY of prepared tuples (wel.db_copy), with ids taken from the cases'
    sequence beforehand, and their foreign keys checked while the rows are sent rather than
    at COMMIT. Returns the new cases' ids, in the order of ``new``."""
    tables = (Jeugdige, Jeugdige.history.model, TimelineEntry, RuleFinding)
    with db_copy.foreign_keys_checked_per_row(*tables):
        return _copy_rows(new, references, region=region, by=by, now=now, text=text, report=report)


def _copy_rows(new: list[Row], references, *, region, by, now, text, report) -> list[int]:
    ids = db_copy.next_ids(Jeugdige, len(new))
    values = [
        (pk, *_case_values(row, ref)) for pk, row, ref in zip(ids, new, references, strict=True)
    ]
    template = _case_template(region=region, by=by, now=now)
    cases = db_copy.Copy(Jeugdige, template=template, varying=("id", *CASE_VARYING, "search_name"))
    _expect(
        len(new),
        cases.write(v + (search_name_of(v[3], v[4]),) for v in values),
        Jeugdige,
    )
    report(70, _("Writing (all rows or none)"))
    History = Jeugdige.history.model
    history = db_copy.Copy(
        History,
        template=History(
            **{f.attname: getattr(template, f.attname) for f in History.tracked_fields},
            history_date=now,
            history_user=by or History.get_default_history_user(template),
            history_change_reason="import",
            history_type="+",
        ),
        varying=("id", *CASE_VARYING),
        omit=("history_id",),
    )
    _expect(len(new), history.write(values), History)
    del values
    report(85, _("Writing (all rows or none)"))
    timeline = db_copy.Copy(
        TimelineEntry,
        template=TimelineEntry(
            at=now, kind=TimelineEntry.Kind.IMPORT, text=text, by=by, status_to=Status.AANGEMELD
        ),
        varying=("jeugdige_id",),
        omit=("id",),
    )
    _expect(len(ids), timeline.write((pk,) for pk in ids), TimelineEntry)
    confirmed = _confirmed_findings(new, ids)
    if confirmed:
        findings = db_copy.Copy(
            RuleFinding,
            template=RuleFinding(
                level="warning",
                confirmed_by=by if getattr(by, "pk", None) else None,
                confirmed_at=now,
            ),
            varying=("jeugdige_id", "code"),
            omit=("id",),
        )
        _expect(len(confirmed), findings.write(confirmed), RuleFinding)
    report(95, _("Writing (all rows or none)"))
    return ids


def _expect(wanted: int, written: int, model) -> None:
    if written != wanted:  # COPY writes all or raises; a short count is a bug, never ignored
        raise RuntimeError(f"{model.__name__}: {wanted} rows to write, {written} written")


def _write_orm(new: list[Row], references, *, region, by, now, text, report) -> list[int]:
    """Other databases (SQLite: ``make run``, ``make test``): model instances through
    ``bulk_create_with_history``, in batches."""
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
                renewal_due=_renewal_due(c),
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
        by_ref = dict(
            Jeugdige.objects.filter(reference__in=references).values_list("reference", "pk")
        )
        ids = [by_ref[reference] for reference in references]
    else:
        ids = [j.pk for j in created]
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                jeugdige_id=pk,
                at=now,
                kind=TimelineEntry.Kind.IMPORT,
                text=text,
                by=by,
                status_to=Status.AANGEMELD,
            )
            for pk in ids
        ],
        batch_size=2000,
    )
    # Warnings the user confirmed in the preview are recorded as confirmed review findings.
    RuleFinding.objects.bulk_create(
        [
            RuleFinding(
                jeugdige_id=pk,
                code=code,
                level="warning",
                confirmed_by=by if getattr(by, "pk", None) else None,
                confirmed_at=now,
            )
            for pk, code in _confirmed_findings(new, ids)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return ids


def template_csv() -> bytes:
    """The downloadable template: the columns and one example row, as Dutch Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
