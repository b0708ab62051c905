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
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ";'@Evil;" in text and ";'-1;" in text
    assert "Bas" not in text  # Borger-Odoorn is outside lpa_a's gemeenten
    event = AuditEvent.objects.get(action="export")
    assert event.detail["rows"] == 1 and event.detail["format"] == "csv"


def test_xlsx_export_has_no_formulas(world, client_for):
    from openpyxl import load_workbook

    _cases(world)
    response = client_for("kartrekker_a").get(reverse("cases:export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
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
    text = response.content.decode("utf-8-sig")
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
