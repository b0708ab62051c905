"""Reading an exemption list exported from a municipal leerplicht system (CSV or XLSX), checking
every row, and writing all rows or none.

Limits (docs/cases.md): files up to ``MAX_BYTES`` (10 MB) and ``MAX_ROWS`` rows; an XLSX file
may unpack to at most ``MAX_UNZIPPED`` bytes with no part compressed more than ``MAX_RATIO``
times, which refuses decompression bombs before openpyxl opens the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from localflavor.nl.validators import NLBSNFieldValidator
from simple_history.utils import bulk_create_with_history

from wel import audit

from . import counts
from .models import Grondslag, Jeugdige, Status, TimelineEntry
from .services import default_renewal_due, next_references

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_MEMBERS = 200

COLUMNS = (
    "bsn",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "gemeente",
    "grondslag",
    "vrijstelling_ingang",
    "vrijstelling_einde",
    "laatste_school",
    "toelichting",
)
REQUIRED = ("voornaam", "achternaam", "geboortedatum", "gemeente", "grondslag")
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

# The spellings people type, normalised to lower-case letters and digits only.
_GRONDSLAG_SPELLINGS = {
    Grondslag.VRIJSTELLING_5A: (
        "5a",
        "5ondera",
        "vrijstelling5a",
        "vrijstelling5ondera",
        "artikel5a",
        "artikel5ondera",
        "art5a",
        "art5ondera",
        "vrijstellingartikel5a",
        "vrijstellingartikel5ondera",
    ),
    Grondslag.ABSOLUUT_VERZUIM: ("absoluutverzuim", "av", "absoluutverzuimer", "thuiszitter"),
    Grondslag.NOG_NIET_LEERPLICHTIG: (
        "nognietleerplichtig",
        "4jarige",
        "vierjarige",
        "4jarig",
        "nietleerplichtig",
    ),
    Grondslag.VRIJSTELLING_5B: (
        "5b",
        "5onderb",
        "vrijstelling5b",
        "vrijstelling5onderb",
        "artikel5b",
        "art5b",
        "artikel5onderb",
    ),
    Grondslag.VRIJSTELLING_5C: (
        "5c",
        "5onderc",
        "vrijstelling5c",
        "vrijstelling5onderc",
        "artikel5c",
        "art5c",
        "artikel5onderc",
    ),
    Grondslag.ARTIKEL_15: ("15", "artikel15", "art15", "vrijstelling15", "vrijstellingartikel15"),
    Grondslag.VERVANGENDE_LEERPLICHT: (
        "vervangendeleerplicht",
        "3a",
        "3b",
        "artikel3a",
        "artikel3b",
        "art3a",
        "art3b",
    ),
}
GRONDSLAG_MAP = {
    spelling: value for value, spellings in _GRONDSLAG_SPELLINGS.items() for spelling in spellings
}
GRONDSLAG_MAP.update({re.sub(r"[^a-z0-9]", "", v): v for v in Grondslag.values})

_DATE_RE = (
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("y", "m", "d")),
)
_bsn_validator = NLBSNFieldValidator()


class ImportRefused(Exception):
    """The file as a whole cannot be read (wrong type, empty, too large, a bomb, no header)."""


@dataclass
class Row:
    number: int  # the line in the file, header = 1
    values: dict[str, str]
    cleaned: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    duplicate_of: str = ""  # reference of an existing case: skipped, not an error

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    rows: list[Row]
    ignored_columns: list[str]
    file_kind: str
    created: int = 0
    references: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def duplicate_rows(self) -> list[Row]:
        return [r for r in self.rows if r.duplicate_of and not r.errors]

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if r.ok and not r.duplicate_of]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad_rows


# -- reading the file -------------------------------------------------------------------------
def _normalise_header(name: str) -> str:
    name = unicodedata.normalize("NFKC", str(name or "")).strip().lower().lstrip("\ufeff")
    return re.sub(r"[\s\-]+", "_", name)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(
            _("This file looks like an Excel file but cannot be opened. Save it again as .xlsx.")
        ) from exc
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportRefused(_("This Excel file has too many parts. Save it again as .xlsx."))
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNZIPPED or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
            raise ImportRefused(
                _(
                    "This Excel file unpacks to far more data than it holds (a possible "
                    "“zip bomb”) and has not been opened. Export the list again, or save it "
                    "as CSV."
                )
            )
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise ImportRefused(_("This is not an Excel workbook (.xlsx). Upload a CSV or XLSX file."))


def _read_xlsx(data: bytes) -> list[list]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise ImportRefused(
            _("This Excel file cannot be read. Save it again as .xlsx or as CSV.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)" as Windows-1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                _("The file's characters cannot be read. Save it as CSV UTF-8 and try again.")
            ) from exc


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(_("This is not a CSV or XLSX file. Upload a CSV or XLSX file."))
    text = _decode(data)
    if not text.strip():
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise ImportRefused(
            _(
                "The first line has no column names separated by semicolons or commas. "
                "Use the template: its first line names the columns."
            )
        )
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error as exc:
        raise ImportRefused(
            _("The CSV file is malformed (%(error)s). Save it again from Excel.") % {"error": exc}
        ) from exc


def read_table(data: bytes, filename: str = "") -> tuple[str, list[list]]:
    """The file's rows as lists of cells, header first; refuses what cannot be a list."""
    if not data:
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)d MB. Split the list into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    lower = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _read_xlsx(data)
    if lower.endswith((".xls", ".xlsm", ".ods", ".pdf", ".doc", ".docx", ".zip")) or (
        data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b", b"\x89PNG", b"GIF8"))
    ):
        raise ImportRefused(_("This is not a CSV or XLSX file. Upload a CSV or XLSX file."))
    return "csv", _read_csv(data)


# -- checking the rows ------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_date(value) -> dt.date | None:
    """dd-mm-jjjj or jjjj-mm-dd (also with / or .); Excel date cells as they come."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if " " in text:  # "2014-03-14 00:00:00" from some exports
        text = text.split(" ", 1)[0]
    for pattern, order in _DATE_RE:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def normalise_grondslag(value: str) -> str | None:
    key = re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", value.lower()))
    return GRONDSLAG_MAP.get(key)


def check_rows(
    table: list[list], *, region, allowed_gemeente_ids: frozenset[int] | None
) -> tuple[list[Row], list[str]]:
    """Check every row; each problem is recorded as (column, reason). Nothing is written."""
    if not table or not any(_cell(c) for c in table[0]):
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    header = [_normalise_header(_cell(c)) for c in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(
            _("Required columns are missing: %(columns)s. Use the template's column names.")
            % {"columns": ", ".join(missing)}
        )
    ignored = [h for h in header if h and h not in COLUMNS]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    body = [r for r in table[1:] if any(_cell(c) for c in r)]
    if not body:
        raise ImportRefused(_("The file has column names but no rows. Add the jeugdigen."))
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(n)d rows. Split the list into smaller files.")
            % {"n": MAX_ROWS}
        )

    gemeenten = list(region.gemeenten.all())
    by_code = {g.cbs_code: g for g in gemeenten}
    by_name = {g.name.lower(): g for g in gemeenten}
    today = timezone.localdate()
    rows: list[Row] = []
    for number, raw in enumerate(table[1:], start=2):
        if not any(_cell(c) for c in raw):
            continue
        values = {name: _cell(raw[i]) if i < len(raw) else "" for name, i in index.items()}
        raw_values = {name: raw[i] if i < len(raw) else None for name, i in index.items()}
        row = Row(number=number, values=values)
        err = row.errors.append
        c = row.cleaned

        for name, label_max in (("voornaam", 100), ("achternaam", 150)):
            if not values.get(name):
                err((name, _("is required")))
            elif len(values[name]) > label_max:
                err((name, _("is longer than %(n)d characters") % {"n": label_max}))
        c["given_name"] = values.get("voornaam", "")
        c["family_name"] = values.get("achternaam", "")

        if not values.get("geboortedatum"):
            err(("geboortedatum", _("is required")))
        else:
            dob = parse_date(raw_values["geboortedatum"])
            if dob is None:
                err(("geboortedatum", _("is not a date; write dd-mm-jjjj, e.g. 14-03-2014")))
            elif dob > today:
                err(("geboortedatum", _("is in the future")))
            elif dob.year < today.year - 30:
                err(("geboortedatum", _("is more than 30 years ago; check the year")))
            c["date_of_birth"] = dob

        gemeente_value = values.get("gemeente", "")
        gemeente = None
        if not gemeente_value:
            err(("gemeente", _("is required")))
        else:
            code = re.sub(r"^gm", "", gemeente_value.lower()).strip()
            if code.isdigit() and len(code) <= 4:
                gemeente = by_code.get(code.zfill(4))
            else:
                gemeente = by_name.get(gemeente_value.lower())
            if gemeente is None:
                err(
                    (
                        "gemeente",
                        _("“%(value)s” is not a municipality of region %(region)s")
                        % {"value": gemeente_value, "region": region.name},
                    )
                )
            elif allowed_gemeente_ids is not None and gemeente.pk not in allowed_gemeente_ids:
                err(
                    (
                        "gemeente",
                        _("you do not work on cases in %(gemeente)s") % {"gemeente": gemeente},
                    )
                )
        c["gemeente"] = gemeente

        grondslag_value = values.get("grondslag", "")
        if not grondslag_value:
            err(("grondslag", _("is required")))
        else:
            grondslag = normalise_grondslag(grondslag_value)
            if grondslag is None:
                err(
                    (
                        "grondslag",
                        _("“%(value)s” is not known; write e.g. 5a, absoluut verzuim, 5b")
                        % {"value": grondslag_value},
                    )
                )
            c["grondslag"] = grondslag

        bsn = re.sub(r"[\s.]", "", values.get("bsn", ""))
        if bsn:
            if bsn.isdigit() and len(bsn) == 8:
                bsn = "0" + bsn  # Excel drops the leading zero
            try:
                _bsn_validator(bsn)
            except Exception:  # noqa: BLE001 - the validator raises ValidationError
                err(("bsn", _("is not a valid BSN (nine digits that pass the 11-test)")))
        c["bsn"] = bsn

        for column, target in (
            ("vrijstelling_ingang", "exemption_start"),
            ("vrijstelling_einde", "exemption_end"),
        ):
            c[target] = None
            if values.get(column):
                parsed = parse_date(raw_values[column])
                if parsed is None:
                    err((column, _("is not a date; write dd-mm-jjjj, e.g. 01-08-2025")))
                c[target] = parsed
        if (
            c["exemption_start"]
            and c["exemption_end"]
            and c["exemption_end"] < c["exemption_start"]
        ):
            err(("vrijstelling_einde", _("is before vrijstelling_ingang")))

        school = values.get("laatste_school", "")
        if len(school) > 200:
            err(("laatste_school", _("is longer than %(n)d characters") % {"n": 200}))
        c["last_school"] = school
        c["notes"] = values.get("toelichting", "")
        rows.append(row)

    _mark_duplicates(rows, region)
    return rows, ignored


def _mark_duplicates(rows: list[Row], region) -> None:
    """Two rows for one young person are an error; a row for an existing case is skipped."""
    seen_bsn: dict[str, int] = {}
    seen_name: dict[tuple, int] = {}
    for row in rows:
        c = row.cleaned
        if c.get("bsn"):
            if c["bsn"] in seen_bsn:
                row.errors.append(
                    ("bsn", _("appears twice (also on line %(n)d)") % {"n": seen_bsn[c["bsn"]]})
                )
            seen_bsn.setdefault(c["bsn"], row.number)
        key = (
            c.get("given_name", "").lower(),
            c.get("family_name", "").lower(),
            c.get("date_of_birth"),
        )
        if all(key):
            if key in seen_name:
                row.errors.append(
                    (
                        "achternaam",
                        _("this name and date of birth appear twice (also on line %(n)d)")
                        % {"n": seen_name[key]},
                    )
                )
            seen_name.setdefault(key, row.number)

    existing_bsn = dict(
        Jeugdige.objects.filter(region=region, bsn__in=list(seen_bsn)).values_list(
            "bsn", "reference"
        )
    )
    dobs = {k[2] for k in seen_name}
    existing_name = {
        (g.lower(), f.lower(), d): ref
        for g, f, d, ref in Jeugdige.objects.filter(
            region=region, date_of_birth__in=list(dobs)
        ).values_list("given_name", "family_name", "date_of_birth", "reference")
    }
    for row in rows:
        c = row.cleaned
        key = (
            c.get("given_name", "").lower(),
            c.get("family_name", "").lower(),
            c.get("date_of_birth"),
        )
        row.duplicate_of = existing_bsn.get(c.get("bsn") or "", "") or existing_name.get(key, "")


# -- writing ----------------------------------------------------------------------------------
def run_import(
    data: bytes,
    *,
    filename: str,
    region,
    by=None,
    allowed_gemeente_ids: frozenset[int] | None = None,
    commit: bool = True,
    request=None,
) -> ImportResult:
    """Read and check the file; when every row is fine and ``commit``, write all new rows.

    Rows for young people already registered in the region are skipped (and reported);
    one bad row means nothing is written. Raises ImportRefused for an unreadable file.
    """
    kind, table = read_table(data, filename)
    rows, ignored = check_rows(table, region=region, allowed_gemeente_ids=allowed_gemeente_ids)
    result = ImportResult(rows=rows, ignored_columns=ignored, file_kind=kind)
    if not result.ok or not commit:
        return result
    with transaction.atomic():
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
                    date_of_birth=c["date_of_birth"],
                    bsn=c["bsn"],
                    grondslag=c["grondslag"],
                    exemption_start=c["exemption_start"],
                    exemption_end=c["exemption_end"],
                    renewal_due=default_renewal_due(
                        grondslag=c["grondslag"],
                        start=c["exemption_start"],
                        end=c["exemption_end"],
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
        created = bulk_create_with_history(
            objs,
            Jeugdige,
            batch_size=1000,
            default_user=by,
            default_change_reason="import",
            default_date=now,
        )
        counts.cases_changed(region_ids=[region.pk])  # cached counts of the region recount
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
        result.created = len(created)
        result.references = references
        audit.record(
            action=audit.Action.IMPORT,
            request=request,
            user=by,
            user_label="" if by is not None else "manage.py import_jeugdigen",
            obj=region,
            data="jeugdigen",
            detail={
                "rows": len(rows),
                "created": len(created),
                "skipped_duplicates": len(result.duplicate_rows),
                "file": filename[:100],
                "first": references[0] if references else "",
                "last": references[-1] if references else "",
            },
        )
    return result


def template_csv() -> bytes:
    """The downloadable template: the columns and one example row, as Dutch Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
