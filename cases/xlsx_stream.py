"""A workbook of one sheet written as it goes: an .xlsx streamed as a ZIP, never held whole.

An .xlsx is a ZIP package of small XML parts (ECMA-376, Office Open XML File Formats, 5th
edition). This module writes the smallest package a spreadsheet opens (read back with openpyxl
in the tests, and converted by LibreOffice):

- Part 2 (Open Packaging Conventions): the content types part ``[Content_Types].xml`` and the
  relationship parts ``_rels/.rels`` (package → workbook) and ``xl/_rels/workbook.xml.rels``
  (workbook → sheet, styles); the ZIP itself follows Annex B (ZIP physical mapping), with data
  descriptors after each part, so no size has to be known before the part is written.
- Part 1 (SpreadsheetML): ``xl/workbook.xml`` (one ``sheet``); ``xl/styles.xml`` with one
  custom number format (§18.8.30 ``numFmt``, ``dd-mm-yyyy``) used by the second cell format
  (§18.8.45 ``xf``, style index 1) for dates; ``xl/worksheets/sheet1.xml``: ``worksheet``
  (§18.3.1.99) → ``sheetData`` (§18.3.1.80) → ``row`` (§18.3.1.73) → ``c`` (§18.3.1.4).
  Text is an inline string (``t="inlineStr"``: ``is``, §18.3.1.53, holding ``t``, §18.4.12),
  so no shared-strings table has to be collected before the sheet (openpyxl's write-only mode
  does the same); numbers are ``<v>`` values; dates are serial numbers of the 1900 date system
  (days since 30-12-1899, valid from 01-03-1900 on) with style 1, so they are real date cells.

Text is XML-escaped; the characters XML 1.0 cannot hold are removed (the C0 controls other than
tab, line feed and carriage return — the set openpyxl refuses with ``IllegalCharacterError`` —
and U+FFFE/U+FFFF); a carriage return is written as ``&#13;`` so that it survives XML's
line-end normalisation. The caller decides what a cell holds (the case export neutralises
formula-looking text before it comes here; nothing here writes a formula).

The ZIP is written by ``stream-zip``: each part as ZIP_32 (deflate, 32-bit sizes with data
descriptors, no Zip64 records: Excel is reported to refuse, or offer to "repair", a package
with Zip64 records it does not need). A part of more than 4 GiB cannot be written that way
(stream-zip raises and the download breaks off): the case export's sheet is about 560 bytes a
row with the demo data, so a full sheet of 1,048,576 rows is about 600 MB; only an average row
of more than 4 KB (names and school of hundreds of characters each) would pass the limit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from stream_zip import ZIP_32, stream_zip

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# An Excel worksheet's rows, the header included (Excel's specifications and limits).
SHEET_MAX_ROWS = 1_048_576

# Deflate level. On the case export's sheet of 100,000 rows (56 MB of XML) level 1 takes 0.17 s
# of CPU for 6.8 MB, level 6 0.52 s for 5.5 MB, stream-zip's default 9 2.9 s for 5.2 MB; the
# CSV is 13 MB.
COMPRESSION_LEVEL = 1

# The characters openpyxl refuses (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE), and the two
# non-characters XML 1.0 excludes as well.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]|[\ufffe\uffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = _HEAD + f'<worksheet xmlns="{_MAIN}"><sheetData>'
_SHEET_END = "</sheetData></worksheet>"

_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL_DATE = dt.date(1900, 3, 1)  # before it, the 1900 system counts a 29-02-1900
_DATE_STYLE = 1
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def clean_text(value: str) -> str:
    """``value`` without the characters an XML part cannot hold."""
    return ILLEGAL_CHARACTERS.sub("", value)


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``25`` → ``Z``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, text: str) -> str:
    text = clean_text(text)
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>'


def _cell(ref: str, value) -> str:
    """One ``c`` element; an empty string for an empty cell (None or "")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        raise TypeError("Date-times are not written; pass a date or text.")
    if isinstance(value, dt.date):
        if value < _FIRST_SERIAL_DATE:  # no serial number means this day: write it as text
            return _text_cell(ref, value.strftime("%d-%m-%Y"))
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float | Decimal):
        if isinstance(value, int) or math.isfinite(value):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return _text_cell(ref, str(value))  # NaN and infinity have no number cell
    return _text_cell(ref, str(value))


def sheet_xml(batches: Iterable[Sequence[Sequence]]) -> Iterator[bytes]:
    """The worksheet part as UTF-8 pieces: the start, then one piece per batch of rows (a batch
    is produced only when the previous piece has been taken), then the end. Raises
    ``ValueError`` at the row past :data:`SHEET_MAX_ROWS` (Excel would drop the rest)."""
    yield _SHEET_START.encode()
    letters: list[str] = []
    number = 0
    for batch in batches:
        out = []
        for row in batch:
            number += 1
            if number > SHEET_MAX_ROWS:
                raise ValueError(f"An Excel sheet holds at most {SHEET_MAX_ROWS} rows.")
            while len(letters) < len(row):
                letters.append(column_letter(len(letters)))
            n = str(number)
            out.append(f'<row r="{n}">')
            out.extend(_cell(letters[i] + n, value) for i, value in enumerate(row))
            out.append("</row>")
        yield "".join(out).encode()
    yield _SHEET_END.encode()


def _workbook(sheet_name: str) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub(" ", clean_text(sheet_name)).strip("'")[:31] or "Sheet1"
    name = name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _compressor():
    return zlib.compressobj(level=COMPRESSION_LEVEL, wbits=-zlib.MAX_WBITS)


def stream_workbook(
    batches: Iterable[Sequence[Sequence]],
    *,
    sheet_name: str,
    modified_at: dt.datetime | None = None,
) -> Iterator[bytes]:
    """The .xlsx of one sheet named ``sheet_name`` holding ``batches`` (iterables of rows, a
    row a sequence of cell values: ``str``, ``int``/``float``/``Decimal``, ``bool``, a date,
    ``None`` for an empty cell), as ZIP pieces of at most 64 KiB. The small parts come first;
    the sheet is written while the pieces are taken, a batch at a time."""
    modified_at = (modified_at or dt.datetime.now()).replace(tzinfo=None)
    mode = stat.S_IFREG | 0o600

    def part(name: str, text: str):
        return name, modified_at, mode, ZIP_32, (text.encode(),)

    members = (
        part("[Content_Types].xml", _CONTENT_TYPES),
        part("_rels/.rels", _PACKAGE_RELS),
        part("xl/workbook.xml", _workbook(sheet_name)),
        part("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        part("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", modified_at, mode, ZIP_32, sheet_xml(batches)),
    )
    return stream_zip(members, get_compressobj=_compressor, extended_timestamps=False)
