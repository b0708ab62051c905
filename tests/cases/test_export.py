import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cases import xlsx_stream
from cases.exporter import neutralise
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
NASTY = ['=HYPERLINK("http://evil")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", NASTY)
def test_neutralise_prefixes_formula_starts(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Sanne", "", "de Vries", "0114", 12])
def test_neutralise_leaves_ordinary_values(value):
    assert neutralise(value) == value


def _cases(world):
    make_jeugdige(world, given_name="=cmd|' /C calc'!A0", family_name="@Evil", last_school="-1")
    make_jeugdige(world, given_name="Bas", gemeente=world.borger)


def test_csv_export_is_formula_safe_scoped_and_audited(world, client_for):
    _cases(world)
    response = client_for("lpa_a").get(reverse("cases:export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.getvalue().decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ";'@Evil;" in text and ";'-1;" in text
    assert "Bas" not in text  # Borger-Odoorn is outside lpa_a's gemeenten
    event = AuditEvent.objects.get(action="export")
    assert event.detail["rows"] == 1 and event.detail["format"] == "csv"


def _workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True)


def test_xlsx_export_has_no_formulas(world, client_for):
    _cases(world)
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "xlsx"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == xlsx_stream.CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = _workbook(response.getvalue()).active
    assert sheet.title == "Jeugdigen"
    rows = list(sheet.iter_rows())
    assert len(rows) == 3  # header + both gemeenten for the kartrekker
    cells = [c for row in rows for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in values and "'@Evil" in values


def test_xlsx_export_has_the_same_cells_as_the_csv(world, client_for):
    """The same filter gives the same cells in both formats: text as text (a BSN keeps its
    digits as text, formula-looking text keeps its apostrophe and stays text), dates as date
    cells shown dd-mm-jjjj, an empty field as an empty cell."""
    _cases(world)
    make_jeugdige(
        world,
        given_name="Jan & <Piet>",
        family_name="=1+1",
        bsn="111222333",
        last_school="  De Boei  ",
        date_of_birth=dt.date(2012, 2, 29),
    )
    client = client_for("kartrekker_a")
    query = {"gemeente": str(world.emmen.pk)}
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("cases:export"), query | {"format": "csv"})
                .getvalue()
                .decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    xlsx = client.get(reverse("cases:export"), query | {"format": "xlsx"})
    sheet = _workbook(xlsx.getvalue()).active
    cells = [list(row) for row in sheet.iter_rows()]
    assert len(cells) == len(csv_rows) == 3  # the header, Jan and @Evil (Bas is in Borger)

    def as_csv(cell):
        if cell.value is None:
            return ""
        if isinstance(cell.value, dt.datetime):
            assert cell.number_format == "dd-mm-yyyy"
            return cell.value.strftime("%d-%m-%Y")
        assert cell.data_type == "s"  # text stays text, nothing is a number or a formula
        return cell.value

    width = len(csv_rows[0])  # a read-only sheet leaves trailing empty cells out
    assert [[as_csv(c) for c in row] + [""] * (width - len(row)) for row in cells] == csv_rows
    header = csv_rows[0]
    (jan,) = (dict(zip(header, [c.value for c in row], strict=False)) for row in cells[1:]
              if row[1].value == "Jan & <Piet>")  # fmt: skip
    assert jan["Date of birth"] == dt.datetime(2012, 2, 29)
    assert jan["BSN"] == "111222333" and jan["Family name"] == "'=1+1"
    assert jan["Last school"] == "  De Boei  "


def test_export_follows_the_filter(world, client_for):
    _cases(world)
    response = client_for("kartrekker_a").get(
        reverse("cases:export"), {"format": "csv", "q": "Bas"}
    )
    text = response.getvalue().decode("utf-8-sig")
    assert "Bas" in text and "@Evil" not in text


def test_national_roles_cannot_export(world, client_for):
    _cases(world)
    for persona in ("landelijk", "beheerder"):
        assert client_for(persona).get(reverse("cases:export")).status_code == 403


def test_an_xlsx_export_larger_than_a_sheet_is_refused_with_advice(world, client_for, monkeypatch):
    from cases import exporter

    # Excel's sheet holds 1,048,576 rows, the header included; above that, CSV.
    assert exporter.XLSX_MAX_ROWS == xlsx_stream.SHEET_MAX_ROWS - 1 == 1_048_575
    _cases(world)
    monkeypatch.setattr(exporter, "XLSX_MAX_ROWS", 1)
    client = client_for("kartrekker_a")
    response = client.get(reverse("cases:export"), {"format": "xlsx", "q": "a"})
    assert response.status_code == 302 and response.url.endswith("?q=a")
    assert not AuditEvent.objects.filter(action="export").exists()
    page = client.get(response.url).content.decode()
    assert "An Excel sheet holds at most 1 rows; this list has 2." in page
    assert client.get(reverse("cases:export"), {"format": "csv"}).status_code == 200


def _lines(event_type="case_list.exported"):
    from wel.models import ProcessingRecord

    return ProcessingRecord.objects.filter(event_type=event_type)


def test_csv_export_streams_and_logs_each_chunk_before_its_rows_leave(
    world, client_for, monkeypatch
):
    """Issue 23: the export is streamed (the first bytes leave before the list is read) and a
    chunk's children are in the processing log before its rows are sent, not all of them
    before the first byte."""
    from cases import exporter

    monkeypatch.setattr(exporter, "CHUNK", 2)
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(5)]
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "csv"})
    assert response.streaming
    pieces = iter(response.streaming_content)
    header = next(pieces).decode("utf-8-sig")
    assert header.startswith("Reference;") and header.count("\r\n") == 1
    # The action's own line is written with the audit event; no child yet.
    assert [line.jeugdige_id for line in _lines()] == [None]
    first = next(pieces).decode()
    assert first.count("\r\n") == 2
    assert _lines().exclude(jeugdige_id=None).count() == 2
    rest = b"".join(pieces).decode()
    assert rest.count("\r\n") == 3
    children = _lines().exclude(jeugdige_id=None)
    assert sorted(children.values_list("jeugdige_id", flat=True)) == sorted(c.pk for c in cases)
    (action,) = _lines().filter(jeugdige_id=None)
    assert set(children.values_list("parent_span_id", flat=True)) == {action.span_id}
    assert len(set(_lines().values_list("trace_id", flat=True))) == 1


def test_a_chunk_whose_log_fails_is_never_sent(monkeypatch):
    from cases import exporter
    from wel.processing_log import ProcessingLogNotWritten

    monkeypatch.setattr(exporter, "CHUNK", 2)
    rows = [
        {**dict.fromkeys(exporter.FIELDS), "pk": i, "reference": f"REF-{i}"}
        for i in (1, 2, 3, 4, 5)
    ]
    logged = []

    def log(ids):
        if logged:
            raise ProcessingLogNotWritten("not confirmed")
        logged.append(ids)

    stream = exporter.stream_csv(rows, on_chunk=log)
    sent = next(stream).decode("utf-8-sig") + next(stream).decode()
    with pytest.raises(ProcessingLogNotWritten):
        next(stream)
    assert logged == [[1, 2]]
    assert "REF-1" in sent and "REF-2" in sent and "REF-3" not in sent


def test_xlsx_export_logs_every_child_under_one_action(world, client_for, monkeypatch):
    from cases import exporter

    monkeypatch.setattr(exporter, "CHUNK", 2)
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(3)]
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(list(_workbook(response.getvalue()).active.iter_rows())) == 4
    children = _lines().exclude(jeugdige_id=None)
    assert sorted(children.values_list("jeugdige_id", flat=True)) == sorted(c.pk for c in cases)
    assert _lines().filter(jeugdige_id=None).count() == 1


def _rows(n):
    from cases import exporter

    return [
        {**dict.fromkeys(exporter.FIELDS), "pk": i, "reference": f"REF-{i}"}
        for i in range(1, n + 1)
    ]


def test_xlsx_export_streams_and_writes_a_chunk_only_after_its_log(world, client_for, monkeypatch):
    """Issue 23: the XLSX is streamed like the CSV: the first bytes (the package's small parts)
    leave before any row is read, and a chunk's rows are written into the sheet only after its
    children are in the processing log."""
    from cases import exporter

    monkeypatch.setattr(exporter, "CHUNK", 2)
    cases = [make_jeugdige(world, given_name=f"Kind{i}") for i in range(5)]
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "xlsx"})
    assert response.streaming
    pieces = iter(response.streaming_content)
    first = next(pieces)
    assert first.startswith(b"PK\x03\x04")
    assert [line.jeugdige_id for line in _lines()] == [None]  # no row read yet
    rest = first + b"".join(pieces)
    children = _lines().exclude(jeugdige_id=None)
    assert sorted(children.values_list("jeugdige_id", flat=True)) == sorted(c.pk for c in cases)
    assert len(list(_workbook(rest).active.iter_rows())) == 6


def test_an_xlsx_chunk_whose_log_fails_is_never_written(monkeypatch):
    """The sheet's rows as the ZIP takes them: the header, then a chunk's rows only after
    ``on_chunk`` returned; when it raises, no row of that chunk is written."""
    from cases import exporter
    from wel.processing_log import ProcessingLogNotWritten

    monkeypatch.setattr(exporter, "CHUNK", 2)
    monkeypatch.setattr(
        exporter.xlsx_stream,
        "stream_workbook",
        lambda batches, **kw: exporter.xlsx_stream.sheet_xml(batches),
    )
    logged = []

    def log(ids):
        if len(logged) == 1:
            raise ProcessingLogNotWritten("not confirmed")
        logged.append(ids)

    stream = exporter.stream_xlsx(_rows(5), on_chunk=log)
    assert next(stream).startswith(b"<?xml")  # the sheet's start
    assert b"Reference" in next(stream) and logged == []  # the header row
    first = next(stream).decode()
    assert logged == [[1, 2]] and "REF-1" in first and "REF-2" in first
    with pytest.raises(ProcessingLogNotWritten):
        next(stream)
    assert logged == [[1, 2]]
