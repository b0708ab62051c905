import io

import pytest
from django.urls import reverse

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


def test_xlsx_export_has_no_formulas(world, client_for):
    from openpyxl import load_workbook

    _cases(world)
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + both gemeenten for the kartrekker
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in values and "'@Evil" in values


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


def test_large_xlsx_export_is_refused_with_advice(world, client_for, monkeypatch):
    from cases import exporter

    _cases(world)
    monkeypatch.setattr(exporter, "XLSX_MAX_ROWS", 1)
    client = client_for("kartrekker_a")
    response = client.get(reverse("cases:export"), {"format": "xlsx", "q": "a"})
    assert response.status_code == 302 and response.url.endswith("?q=a")
    assert not AuditEvent.objects.filter(action="export").exists()
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
    children = _lines().exclude(jeugdige_id=None)
    assert sorted(children.values_list("jeugdige_id", flat=True)) == sorted(c.pk for c in cases)
    assert _lines().filter(jeugdige_id=None).count() == 1
