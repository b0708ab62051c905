"""Reading: bytes -> sheets of cells -> the header row and the rows under it.

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

from django.utils.translation import gettext as _

from .columns import KNOWN, REQUIRED, column_for

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_MEMBERS = 200
# The header is looked for in the first rows of a sheet (title rows, a "sep=;" line above it).
HEADER_SEARCH_ROWS = 30

# The single-byte code pages Dutch spreadsheet programs save CSV in: Excel for Windows
# ("CSV (gescheiden door lijstscheidingsteken)") and Excel for Mac ("CSV (Macintosh)").
LEGACY_ENCODINGS = ("cp1252", "mac_roman")


class ImportRefused(Exception):
    """The file as a whole cannot be read (wrong type, empty, too large, a bomb, no header)."""


@dataclass
class Sheet:
    name: str  # the worksheet's name; "" for a CSV file
    rows: list[list]
    first_row_number: int = 1  # the file's line/row number of rows[0]
    hidden: dict[int, str] = field(default_factory=dict)  # row number -> "hidden"/"filtered"


@dataclass
class Table:
    """The rows under the header that was found, and where it was found."""

    kind: str  # "csv" or "xlsx"
    sheet: str
    header_row: int  # 1-based row (XLSX) or line (CSV) of the header
    header: list  # the header cells as written
    columns: list[str | None]  # per cell: the import column it names, or None
    body: list[tuple[int, list]]  # (row/line number, cells)
    encoding: str = ""
    skipped_sheets: list[str] = field(default_factory=list)
    hidden_rows: dict[int, str] = field(default_factory=dict)  # row number -> "hidden"/"filtered"


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


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_ROW_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_AUTOFILTER = re.compile(rb"<(?:\w+:)?autoFilter\b")


def _hidden_rows(archive: zipfile.ZipFile, path: str) -> dict[int, str]:
    """The rows a worksheet part hides: "filtered" when the sheet has a filter (a filter hides
    rows that way), "hidden" otherwise. openpyxl's read-only mode does not read row
    properties, so the part's ``<row r=".." hidden="1">`` tags are read here."""
    try:
        part = archive.read(path.lstrip("/"))
    except KeyError:
        return {}
    kind = "filtered" if _AUTOFILTER.search(part) else "hidden"
    hidden = {}
    for match in _ROW_TAG.finditer(part):
        attributes = match.group(1)
        number = _ROW_NUMBER.search(attributes)
        if number and _ROW_HIDDEN.search(attributes):
            hidden[int(number.group(1))] = kind
    return hidden


def _read_xlsx(data: bytes) -> list[Sheet]:
    """Every worksheet's cells. The sheet's stored ``<dimension>`` is not trusted: some
    exporters understate it (A1:F2 over 4 rows x 8 columns), and openpyxl's read-only mode
    would then stop there. ``reset_dimensions()`` makes it read the cells that are there."""
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise ImportRefused(
            _("This Excel file cannot be read. Save it again as .xlsx or as CSV.")
        ) from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = []
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
            rows = []
            for row in worksheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    break
            path = getattr(worksheet, "_worksheet_path", "")
            hidden = _hidden_rows(archive, path) if path else {}
            sheets.append(Sheet(name=worksheet.title, rows=rows, hidden=hidden))
        return sheets
    except Exception as exc:  # noqa: BLE001 - a broken sheet part: refuse, never half-read
        raise ImportRefused(
            _("This Excel file cannot be read. Save it again as .xlsx or as CSV.")
        ) from exc
    finally:
        workbook.close()


def _plausible_legacy_text(text: str) -> bool:
    """False when the text shows the marks of a wrong code page: a symbol or punctuation
    outside ASCII right next to a letter ("Zo‘", "÷zt¸rk"), or a capital letter outside ASCII
    inside a word ("cafÈ", "MŸller"), or "ƒ". Names and notes do not look like that."""
    from charset_normalizer.md import mess_ratio

    if mess_ratio(text, maximum_threshold=0.2) >= 0.2:
        return False
    for i, char in enumerate(text):
        if ord(char) < 128:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        category = unicodedata.category(char)
        if char == "ƒ":  # the florin sign: a letter to Unicode, never in a Dutch name
            return False
        if not category.startswith("L"):
            if before.isalpha() or after.isalpha():
                return False
        elif category == "Lu" and before.isalpha() and (before.islower() or after.islower()):
            return False
    return True


def _legacy_readings(data: bytes) -> dict[str, str]:
    """The plausible readings of the bytes in each code page of ``LEGACY_ENCODINGS``."""
    readings = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_legacy_text(text):
            readings[encoding] = text
    return readings


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in, decided from the bytes; refuses when the
    bytes do not tell.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32). Without one, bytes that decode as
    strict UTF-8 are UTF-8, and charset-normalizer recognises UTF-16 without a mark.
    Otherwise the file is from a program that saves in a single-byte code page: each code
    page Dutch spreadsheets
    use (Windows-1252, Mac Roman) is tried, and the text is accepted only when exactly one of
    them gives plausible text (charset-normalizer's mess measure and the letter checks of
    ``_plausible_legacy_text``). "Zoë" saved as Mac Roman is byte 0x91, which Windows-1252
    reads as "Zo‘": that reading is refused, never stored.
    """
    refused = ImportRefused(
        _(
            "The file's characters cannot be read with certainty (the file is not UTF-8 and "
            "its code page cannot be determined). In Excel choose “Save as” > “CSV UTF-8 "
            "(comma delimited)” and upload that file."
        )
    )
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError as exc:
                raise refused from exc
    try:
        # Bytes that decode as strict UTF-8 are UTF-8, whatever script they hold (a Chinese
        # name, a full-width "＝"): a code-page file that happens to be valid UTF-8 needs
        # byte pairs no Dutch export writes.
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding.replace("_", "-").startswith(("utf-16", "utf-32")):
        try:
            return data.decode(best.encoding), best.encoding.replace("_", "-")
        except UnicodeDecodeError as exc:
            raise refused from exc
    if b"\x00" in data:
        raise refused
    readings = _legacy_readings(data)
    if len(readings) != 1:
        raise refused
    ((encoding, text),) = readings.items()
    return text, encoding


def _read_csv(data: bytes) -> tuple[list[Sheet], str]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 without a byte-order mark is the only text with NUL bytes we accept.
        from charset_normalizer import from_bytes

        best = from_bytes(data[:4096]).best()
        if best is None or not best.encoding.startswith(("utf_16", "utf_32")):
            raise ImportRefused(_("This is not a CSV or XLSX file. Upload a CSV or XLSX file."))
    text, encoding = decode(data)
    if not text.strip():
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    lines = text.splitlines()
    first_number = 1
    delimiter = None
    # Excel's hint line "sep=;" names the delimiter and is not part of the table.
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = lines[1:]
        first_number = 2
    if delimiter is None:
        sample = [line for line in lines[:HEADER_SEARCH_ROWS] if line.strip()]
        delimiter = max((";", ",", "\t"), key=lambda d: sum(line.count(d) for line in sample))
        if not any(delimiter in line for line in sample):
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
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise ImportRefused(
            _("The CSV file is malformed (%(error)s). Save it again from Excel.") % {"error": exc}
        ) from exc
    return [Sheet(name="", rows=rows, first_row_number=first_number)], encoding


def read_sheets(data: bytes, filename: str = "") -> tuple[str, list[Sheet], str]:
    """(kind, sheets, encoding) of a CSV or XLSX file; refuses what cannot be a list."""
    if not data:
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)d MB. Split the list into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    lower = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _read_xlsx(data), ""
    if lower.endswith((".xls", ".xlsm", ".ods", ".pdf", ".doc", ".docx", ".zip")) or (
        data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b", b"\x89PNG", b"GIF8"))
    ):
        raise ImportRefused(_("This is not a CSV or XLSX file. Upload a CSV or XLSX file."))
    sheets, encoding = _read_csv(data)
    return "csv", sheets, encoding


def cell_text(value) -> str:
    if type(value) is str:  # every cell of a CSV file: the common case first
        return value.strip().lstrip("\ufeff")
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().lstrip("\ufeff")


def _sheet_label(sheet: Sheet) -> str:
    return sheet.name or _("the CSV file")


def find_table(kind: str, sheets: list[Sheet], encoding: str = "") -> Table:
    """The header is the first row that names every required column, on the first sheet that
    has one (explanation sheets and title rows above the header are passed over).

    Refuses with "no column names found on sheet X" when no row names any known column, and
    with the missing columns when a row names some known columns but not all required ones.
    """
    skipped = []
    partial: tuple[Sheet, int, list[str]] | None = None
    for sheet in sheets:
        for offset, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            columns = [column_for(cell_text(c)) for c in row]
            named = {c for c in columns if c}
            if "tussenvoegsel" in named and "achternaam" not in named:
                named.discard("tussenvoegsel")
            if all(c in named for c in REQUIRED):
                body_start = offset + 1
                body = [
                    (sheet.first_row_number + body_start + i, r)
                    for i, r in enumerate(sheet.rows[body_start:])
                ]
                # Cells right of the last header cell are columns too (without a name), so
                # data there is never passed over unseen.
                width = max([len(row), *(len(r) for _n, r in body)])
                header = list(row) + [None] * (width - len(row))
                columns += [None] * (width - len(columns))
                return Table(
                    kind=kind,
                    sheet=sheet.name,
                    header_row=sheet.first_row_number + offset,
                    header=header,
                    columns=columns,
                    body=body,
                    encoding=encoding,
                    skipped_sheets=skipped,
                    hidden_rows=sheet.hidden,
                )
            if len(named & set(KNOWN)) >= 2 and partial is None:
                partial = (sheet, sheet.first_row_number + offset, sorted(named))
        skipped.append(sheet.name)
    if partial is not None:
        sheet, number, named = partial
        missing = [c for c in REQUIRED if c not in named]
        raise ImportRefused(
            _(
                "Required columns are missing: %(columns)s (column names found on %(sheet)s, "
                "row %(row)d). Use the template's column names."
            )
            % {"columns": ", ".join(missing), "sheet": _sheet_label(sheet), "row": number}
        )
    if not any(any(cell_text(c) for c in row) for sheet in sheets for row in sheet.rows):
        raise ImportRefused(_("The file is empty. Choose the exported list and try again."))
    names = ", ".join(_sheet_label(s) for s in sheets)
    raise ImportRefused(
        _(
            "No column names found on sheet %(sheets)s: no row names the required columns "
            "(%(required)s). Use the template: its first line names the columns."
        )
        % {"sheets": names, "required": ", ".join(REQUIRED)}
    )
