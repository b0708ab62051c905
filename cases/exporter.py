"""Export of the filtered, scoped case list as CSV or XLSX, safe to open in a spreadsheet.

Both are written chunk by chunk (``CHUNK`` rows from a server-side cursor) and streamed to the
browser as they are written: the first bytes leave before the list is read and memory stays
flat at 100,000 rows. The CSV is plain text; the XLSX is a ZIP written on the fly
(:mod:`cases.xlsx_stream`), up to Excel's 1,048,576 rows a sheet. Before a chunk's rows are
written, its children are logged in the processing log (``on_chunk``,
:class:`wel.processing_log.StreamedAction`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.utils.translation import gettext as _

from . import xlsx_stream
from .models import ClosingReason, Grondslag, StatementExpert, Status

# The rows of cases an Excel export holds: a sheet's rows less the header. Above it, CSV.
XLSX_MAX_ROWS = xlsx_stream.SHEET_MAX_ROWS - 1

# Cells a spreadsheet would read as a formula (or that hide one behind a tab / line break).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def columns() -> list[tuple[str, callable]]:
    # Labels and choice texts resolved once per export, not per row (gettext is not free).
    grondslag = {k: str(v) for k, v in Grondslag.choices}
    status = {k: str(v) for k, v in Status.choices}
    reason = {k: str(v) for k, v in ClosingReason.choices}
    expert = {k: str(v) for k, v in StatementExpert.choices}
    yes, no = str(_("yes")), str(_("no"))
    return [
        (str(_("Reference")), lambda j: j["reference"]),
        (str(_("Given name")), lambda j: j["given_name"]),
        (str(_("Family name")), lambda j: j["family_name"]),
        (str(_("Date of birth")), lambda j: j["date_of_birth"]),
        (str(_("BSN")), lambda j: j["bsn"]),
        (str(_("Municipality")), lambda j: j["gemeente__name"]),
        (str(_("Grondslag")), lambda j: grondslag.get(j["grondslag"], j["grondslag"])),
        (str(_("Status")), lambda j: status.get(j["status"], j["status"])),
        (str(_("Closing reason")), lambda j: reason.get(j["closing_reason"], "")),
        (str(_("Exemption starts")), lambda j: j["exemption_start"]),
        (str(_("Exemption ends")), lambda j: j["exemption_end"]),
        (str(_("Renewal due")), lambda j: j["renewal_due"]),
        (str(_("Statement by")), lambda j: expert.get(j["statement_expert"], "")),
        (str(_("Last school")), lambda j: j["last_school"]),
        (
            str(_("Assigned LPA")),
            lambda j: j["assigned_lpa__full_name"] or j["assigned_lpa__email"] or "",
        ),
        (str(_("Focus case")), lambda j: yes if j["is_focus"] else no),
        (str(_("Next contact due")), lambda j: j["next_contact_due"]),
        (str(_("Last contact")), lambda j: j["last_contact_on"]),
    ]


def _as_text(value) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


# Rows per chunk: one processing-log statement and one write to the client per chunk.
CHUNK = 2000


def chunks(rows: Iterable[dict], size: int | None = None) -> Iterator[list[dict]]:
    """``rows`` in lists of at most ``size`` (default :data:`CHUNK`)."""
    size = size or CHUNK
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _logged(rows, on_chunk: Callable[[list[int]], None] | None) -> Iterator[list[dict]]:
    for batch in chunks(rows):
        if on_chunk is not None:
            on_chunk([j["pk"] for j in batch])
        yield batch


def stream_csv(jeugdigen, *, on_chunk: Callable[[list[int]], None] | None = None):
    """Semicolon-separated UTF-8 with BOM (opens correctly in Dutch Excel), as an iterator of
    bytes: the header, then one piece per chunk of rows. ``on_chunk(ids)`` is called with a
    chunk's jeugdige ids before its rows are produced (the processing log); when it raises,
    no row of that chunk is produced."""
    cols = columns()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for label, _get in cols])
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for batch in _logged(jeugdigen, on_chunk):
        out.seek(0)
        out.truncate()
        for j in batch:
            writer.writerow([neutralise(_as_text(get(j))) for _label, get in cols])
        yield out.getvalue().encode("utf-8")


def export_csv(jeugdigen) -> bytes:
    """The whole CSV as bytes (:func:`stream_csv` joined; for small lists and tests)."""
    return b"".join(stream_csv(jeugdigen))


def _xlsx_value(value):
    # Dates stay date cells, empty stays empty; everything else is text, neutralised as in the
    # CSV (a BSN or reference keeps its leading zero, nothing runs as a formula).
    if value is None or isinstance(value, dt.date):
        return value
    return neutralise(str(value))


def stream_xlsx(jeugdigen, *, on_chunk: Callable[[list[int]], None] | None = None):
    """The workbook (one sheet, header first) as an iterator of bytes: a ZIP written as it is
    read (:func:`cases.xlsx_stream.stream_workbook`). Text is neutralised as in the CSV, so no
    cell is a formula; dates are date cells. ``on_chunk`` as for :func:`stream_csv`: a chunk's
    rows are written into the workbook only after it returned."""
    cols = columns()  # labels now, in the request's language

    def batches():
        yield [[label for label, _get in cols]]
        for batch in _logged(jeugdigen, on_chunk):
            yield [[_xlsx_value(get(j)) for _label, get in cols] for j in batch]

    return xlsx_stream.stream_workbook(batches(), sheet_name=str(_("Jeugdigen")))


def export_xlsx(jeugdigen) -> bytes:
    """The whole workbook as bytes (:func:`stream_xlsx` joined; for small lists and tests)."""
    return b"".join(stream_xlsx(jeugdigen))


FIELDS = (
    "pk",
    "reference",
    "given_name",
    "family_name",
    "date_of_birth",
    "bsn",
    "gemeente__name",
    "grondslag",
    "status",
    "closing_reason",
    "exemption_start",
    "exemption_end",
    "renewal_due",
    "statement_expert",
    "last_school",
    "assigned_lpa__full_name",
    "assigned_lpa__email",
    "is_focus",
    "next_contact_due",
    "last_contact_on",
)


def export_rows(qs):
    """Plain rows (dicts) of the filtered queryset, streamed from the database in chunks (a
    server-side cursor on PostgreSQL)."""
    return qs.values(*FIELDS).iterator(chunk_size=CHUNK)
