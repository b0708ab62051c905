"""The streamed workbook (cases/xlsx_stream.py), read back with openpyxl and zipfile."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cases import xlsx_stream


def _read(rows, **kwargs):
    data = b"".join(xlsx_stream.stream_workbook([rows], sheet_name="Blad", **kwargs))
    return data, load_workbook(io.BytesIO(data), read_only=True).active


def test_values_keep_their_kind():
    rows = [
        ["text", "number", "date", "empty", "flag"],
        ["=SUM(A1)", 12, dt.date(2024, 2, 29), None, True],
        ["  spaced ", Decimal("2.50"), dt.date(1900, 3, 1), "", False],
        ["Jan & <Piet> \"'", 1.5, dt.date(1899, 12, 31), None, None],
    ]
    _data, sheet = _read(rows)
    cells = [list(row) for row in sheet.iter_rows()]
    # (a read-only sheet leaves trailing empty cells out)
    assert [[c.value for c in row] + [None] * (5 - len(row)) for row in cells] == [
        ["text", "number", "date", "empty", "flag"],
        ["=SUM(A1)", 12, dt.datetime(2024, 2, 29), None, True],
        ["  spaced ", 2.5, dt.datetime(1900, 3, 1), None, False],
        # no serial number means a day before March 1900: the date is written as text
        ["Jan & <Piet> \"'", 1.5, "31-12-1899", None, None],
    ]
    # Text that looks like a formula is still text: nothing here writes a formula.
    assert cells[1][0].data_type == "s"
    assert cells[1][2].number_format == "dd-mm-yyyy" and cells[1][2].is_date


def test_characters_xml_cannot_hold_are_removed_and_line_breaks_kept():
    every_c0 = "".join(chr(i) for i in range(32))
    _data, sheet = _read([[f"a{every_c0}b", "x\r\ny\rz\n", "\ufffeq\uffff"]])
    assert list(sheet.iter_rows(values_only=True)) == [("a\t\n\rb", "x\r\ny\rz\n", "q")]


def test_the_removed_characters_cover_the_ones_openpyxl_refuses():
    for code in range(0x110000):
        char = chr(code)
        if ILLEGAL_CHARACTERS_RE.match(char):
            assert xlsx_stream.clean_text(char) == "", hex(code)


@pytest.mark.parametrize(
    "index,letters", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (16383, "XFD")]
)
def test_column_letters(index, letters):
    assert xlsx_stream.column_letter(index) == letters


def test_the_package_is_plain_zip_32_with_the_sheet_last():
    data, _sheet = _read([["a"]], modified_at=dt.datetime(2026, 1, 2, 3, 4, 6))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        infos = package.infolist()
    assert [i.filename for i in infos] == [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ]
    for info in infos:
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.extract_version == 20 and info.extra == b""  # no Zip64 records
        assert info.date_time == (2026, 1, 2, 3, 4, 6)
    assert b"PK\x06\x06" not in data[-200:]  # no Zip64 end of central directory


def test_the_sheet_name_is_made_valid():
    data = b"".join(xlsx_stream.stream_workbook([[["a"]]], sheet_name="Jeugd: [a/b] & c?" * 3))
    title = load_workbook(io.BytesIO(data), read_only=True).sheetnames[0]
    assert title == ("Jeugd   a b  & c " * 3)[:31]


def test_the_sheet_is_written_a_batch_at_a_time():
    taken = []

    def batches():
        for i in range(3):
            taken.append(i)
            yield [[f"row {i}"]]

    pieces = xlsx_stream.sheet_xml(batches())
    assert next(pieces).startswith(b"<?xml") and taken == []
    assert b"row 0" in next(pieces) and taken == [0]
    assert b"row 1" in next(pieces) and taken == [0, 1]


def test_more_rows_than_a_sheet_holds_raise(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "SHEET_MAX_ROWS", 3)
    pieces = xlsx_stream.sheet_xml([[["a"], ["b"]], [["c"], ["d"]]])
    next(pieces)
    next(pieces)
    with pytest.raises(ValueError, match="at most 3 rows"):
        next(pieces)


def test_a_date_time_is_refused():
    with pytest.raises(TypeError):
        b"".join(xlsx_stream.sheet_xml([[[dt.datetime(2026, 1, 1, 12, 0)]]]))
