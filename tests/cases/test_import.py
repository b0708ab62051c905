import datetime as dt
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import importer
from cases.models import Grondslag, Jeugdige, TimelineEntry
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag;vrijstelling_ingang;vrijstelling_einde;laatste_school;toelichting"  # noqa: E501
GOOD = [
    "111222333;Sanne;de Vries;14-03-2014;0114;5a;01-08-2025;31-07-2026;OBS De Esch;",
    ";Daan;Bakker;2012-11-02;GM0114;absoluut verzuim;;;;thuis sinds mei",
    ";Noor;Jansen;01-02-2015;Borger-Odoorn;vrijstelling 5 onder a;;;;",
]


def csv_bytes(lines, *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    text = "\r\n".join(line.replace(";", delimiter) for line in lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def run(world, data, filename="lijst.csv", commit=True, **kw):
    return importer.run_import(data, filename=filename, region=world.region_a, commit=commit, **kw)


def errors(result):
    return [(r.number, col) for r in result.bad_rows for col, _ in r.errors]


def test_good_file_imports_every_row_with_timeline_history_and_one_audit_event(world):
    result = run(world, csv_bytes([HEADER, *GOOD]), by=world.user("kartrekker_a"))
    assert result.ok and result.created == 3
    sanne = Jeugdige.objects.get(given_name="Sanne")
    assert sanne.grondslag == Grondslag.VRIJSTELLING_5A
    assert sanne.date_of_birth == dt.date(2014, 3, 14)
    assert sanne.exemption_end == dt.date(2026, 7, 31)
    assert sanne.renewal_due == dt.date(2026, 7, 1)
    assert Jeugdige.objects.get(given_name="Daan").notes == "thuis sinds mei"
    assert Jeugdige.objects.get(given_name="Noor").gemeente == world.borger
    assert sanne.history.count() == 1
    assert TimelineEntry.objects.filter(kind="import").count() == 3
    event = AuditEvent.objects.get(action="import")
    assert event.detail["rows"] == 3 and event.detail["created"] == 3


@pytest.mark.parametrize(
    "line, column",
    [
        ("123456789;Lotte;Kramer;14-03-2014;0114;5a;;;;", "bsn"),  # 11-test fails
        (";;Kramer;14-03-2014;0114;5a;;;;", "voornaam"),
        (";Lotte;;14-03-2014;0114;5a;;;;", "achternaam"),
        (";Lotte;Kramer;;0114;5a;;;;", "geboortedatum"),
        (";Lotte;Kramer;31-02-2014;0114;5a;;;;", "geboortedatum"),
        (";Lotte;Kramer;14/3/14;0114;5a;;;;", "geboortedatum"),
        (";Lotte;Kramer;14-03-2099;0114;5a;;;;", "geboortedatum"),
        (";Lotte;Kramer;14-03-2014;;5a;;;;", "gemeente"),
        (";Lotte;Kramer;14-03-2014;0106;5a;;;;", "gemeente"),  # Assen: other region
        (";Lotte;Kramer;14-03-2014;Atlantis;5a;;;;", "gemeente"),
        (";Lotte;Kramer;14-03-2014;0114;;;;;", "grondslag"),
        (";Lotte;Kramer;14-03-2014;0114;spijbelen;;;;", "grondslag"),
        (";Lotte;Kramer;14-03-2014;0114;5a;morgen;;;", "vrijstelling_ingang"),
        (";Lotte;Kramer;14-03-2014;0114;5a;01-08-2025;01-07-2025;;", "vrijstelling_einde"),
        (";Lotte;Kramer;14-03-2014;0114;5a;;;" + "x" * 201 + ";", "laatste_school"),
        (";" + "S" * 101 + ";Kramer;14-03-2014;0114;5a;;;;", "voornaam"),
    ],
)
def test_one_bad_row_means_nothing_is_written_and_the_row_and_column_are_named(world, line, column):
    result = run(world, csv_bytes([HEADER, *GOOD, line]))
    assert not result.ok
    assert errors(result) == [(5, column)]
    assert result.created == 0
    assert not Jeugdige.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_two_rows_for_one_young_person_are_an_error(world):
    result = run(world, csv_bytes([HEADER, GOOD[0], GOOD[0].replace("Sanne", "Sara")]))
    assert ("bsn") in [c for _, c in errors(result)]
    result = run(world, csv_bytes([HEADER, GOOD[1], GOOD[1]]))
    assert errors(result) == [(3, "achternaam")]
    assert not Jeugdige.objects.exists()


def test_already_registered_young_people_are_skipped_and_named(world):
    existing = make_jeugdige(
        world,
        bsn="111222333",
        given_name="Sanne",
        family_name="De  Vries",  # case and spacing do not make another person
        date_of_birth=dt.date(2014, 3, 14),
    )
    by_name = make_jeugdige(
        world, given_name="Daan", family_name="Bakker", date_of_birth=dt.date(2012, 11, 2)
    )
    result = run(world, csv_bytes([HEADER, *GOOD]))
    assert result.ok and result.created == 1
    assert {r.duplicate_of for r in result.duplicate_rows} == {
        existing.reference,
        by_name.reference,
    }


def test_lpa_may_only_import_rows_of_their_gemeenten(world):
    scope_ids = frozenset({world.emmen.pk})
    result = run(world, csv_bytes([HEADER, *GOOD]), allowed_gemeente_ids=scope_ids)
    assert errors(result) == [(4, "gemeente")]
    assert not Jeugdige.objects.exists()


@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("5a", Grondslag.VRIJSTELLING_5A),
        ("5 onder a", Grondslag.VRIJSTELLING_5A),
        ("Vrijstelling 5a", Grondslag.VRIJSTELLING_5A),
        ("Art. 5 onder a", Grondslag.VRIJSTELLING_5A),
        ("5-a", Grondslag.VRIJSTELLING_5A),
        ("Absoluut verzuim", Grondslag.ABSOLUUT_VERZUIM),
        ("4-jarige", Grondslag.NOG_NIET_LEERPLICHTIG),
        ("nog niet leerplichtig", Grondslag.NOG_NIET_LEERPLICHTIG),
        ("5 onder b", Grondslag.VRIJSTELLING_5B),
        ("vrijstelling 5c", Grondslag.VRIJSTELLING_5C),
        ("artikel 15", Grondslag.ARTIKEL_15),
        ("Vervangende leerplicht", Grondslag.VERVANGENDE_LEERPLICHT),
        ("vrijstelling_5a", Grondslag.VRIJSTELLING_5A),
    ],
)
def test_grondslag_spellings(spelling, expected):
    assert importer.normalise_grondslag(spelling) == expected


def test_header_names_are_case_insensitive_with_spaces_or_underscores_and_extra_columns(world):
    header = "BSN,Voornaam,Achternaam,Geboorte datum,GEMEENTE,Grondslag,Vrijstelling Ingang,Extra"
    header = header.replace("Geboorte datum", "geboortedatum")
    lines = [header, ",Sanne,de Vries,2014-03-14,114,5a,2025-08-01,whatever"]
    result = run(world, csv_bytes(lines, delimiter=","))
    # a column with data the import cannot place stops it, until the user says to ignore it
    assert not result.ok and result.unplaced_columns == ["Extra"] and errors(result) == []
    assert not Jeugdige.objects.exists()
    result = run(world, csv_bytes(lines, delimiter=","), ignore_columns=["extra"])
    assert result.ok, errors(result)
    assert result.ignored_columns == ["Extra"]
    j = Jeugdige.objects.get()
    assert j.gemeente == world.emmen and j.exemption_start == dt.date(2025, 8, 1)


@pytest.mark.parametrize(
    "encoding, bom, delimiter",
    [
        ("cp1252", False, ";"),  # Dutch Excel "CSV (gescheiden door lijstscheidingsteken)"
        ("utf-8", True, ";"),  # Excel "CSV UTF-8"
        ("utf-8", True, ","),
        ("utf-8", False, ","),
        ("utf-8", False, ";"),
    ],
)
def test_encodings_and_delimiters(world, encoding, bom, delimiter):
    lines = [HEADER, ";Zoë;Çelik-Öztürk;14-03-2014;Emmen;5a;;;;café"]
    result = run(world, csv_bytes(lines, encoding=encoding, bom=bom, delimiter=delimiter))
    assert result.ok, errors(result)
    j = Jeugdige.objects.get()
    assert (j.given_name, j.family_name, j.notes) == ("Zoë", "Çelik-Öztürk", "café")


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_date_cells_and_numbers(world):
    data = xlsx_bytes(
        [
            HEADER.split(";"),
            [111222333, "Sanne", "de Vries", dt.datetime(2014, 3, 14), 114, "5a", None, None],
            [None, "Daan", "Bakker", "02-11-2012", "GM0114", "AV"],
        ]
    )
    result = run(world, data, filename="lijst.xlsx")
    assert result.ok, errors(result)
    assert result.file_kind == "xlsx"
    assert Jeugdige.objects.get(given_name="Sanne").bsn == "111222333"


def test_bsn_with_lost_leading_zero_from_excel(world):
    # 012345672 passes the 11-test; Excel shows it as 12345672
    result = run(world, csv_bytes([HEADER, "12345672;A;B;14-03-2014;0114;5a;;;;"]))
    assert result.ok, errors(result)
    assert Jeugdige.objects.get().bsn == "012345672"


def test_xlsx_bomb_is_refused_before_opening(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + "a" * (50 * 1024 * 1024) + ">")
    with pytest.raises(importer.ImportRefused, match="zip bomb"):
        run(world, out.getvalue(), filename="bom.xlsx")


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "leeg.csv", "empty"),
        (b"\xef\xbb\xbf", "leeg.csv", "empty"),
        (b"%PDF-1.4 ...", "lijst.pdf", "not a CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "foto.csv", "not a CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "oud.xls", "not a CSV"),
        (b"PK\x03\x04garbage", "kapot.xlsx", "cannot be opened"),
        (b"alleen tekst zonder kolommen\n", "x.csv", "column names"),
        ((HEADER + "\r\n").encode(), "x.csv", "no rows"),
        (b"voornaam;achternaam\nA;B\n", "x.csv", "missing"),
    ],
)
def test_files_that_cannot_be_a_list_are_refused_with_a_clear_message(
    world, data, filename, message
):
    with pytest.raises(importer.ImportRefused, match=message):
        run(world, data, filename=filename)


def test_size_limit(world, monkeypatch):
    monkeypatch.setattr(importer.read, "MAX_BYTES", 1000)
    with pytest.raises(importer.ImportRefused, match="larger than"):
        run(world, csv_bytes([HEADER, *GOOD * 20]))


def test_row_limit(world, monkeypatch):
    monkeypatch.setattr(importer.check, "MAX_ROWS", 2)
    with pytest.raises(importer.ImportRefused, match="more than 2 rows"):
        run(world, csv_bytes([HEADER, *GOOD]))


def test_template_is_importable(world):
    result = run(world, importer.template_csv(), filename="sjabloon.csv")
    assert result.ok, errors(result)


def test_command_imports_and_exits_non_zero_on_bad_rows(world, tmp_path, capsys):
    good = tmp_path / "goed.csv"
    good.write_bytes(csv_bytes([HEADER, *GOOD]))
    op = ("--user", "kartrekker.a@wel.test")
    call_command("import_jeugdigen", str(good), "--region", "VO2202", "--dry-run", *op)
    assert not Jeugdige.objects.exists()
    call_command("import_jeugdigen", str(good), "--region", "VO2202", *op)
    assert Jeugdige.objects.count() == 3
    assert AuditEvent.objects.get(action="import").user == world.user("kartrekker_a")

    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv_bytes([HEADER, GOOD[0].replace("Sanne", "Sara"), ";X;Y;bad;0114;5a;;;;"]))
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_jeugdigen", str(bad), "--region", "VO2202", *op)
    assert "line 3, geboortedatum" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No region"):
        call_command("import_jeugdigen", str(good), "--region", "NOPE", *op)


def test_browser_flow_upload_preview_confirm(world, client_for):
    client = client_for("kartrekker_a")
    upload = io.BytesIO(csv_bytes([HEADER, *GOOD]))
    upload.name = "lijst.csv"
    response = client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": upload})
    assert response.status_code == 200
    assert b"Import 3 jeugdigen" in response.content
    assert not Jeugdige.objects.exists()  # preview writes nothing
    token = response.context["token"]
    response = client.post(reverse("cases:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Jeugdige.objects.count() == 3
    # the same confirmation twice does nothing
    response = client.post(reverse("cases:import_confirm"), {"token": token})
    assert Jeugdige.objects.count() == 3


def test_browser_preview_lists_every_bad_row_and_offers_no_confirm(world, client_for):
    client = client_for("lpa_a")
    upload = io.BytesIO(csv_bytes([HEADER, *GOOD, ";X;;bad;0114;5a;;;;"]))
    upload.name = "lijst.csv"
    response = client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["token"] == ""
    # line 4: Borger-Odoorn is not lpa_a's; line 5: two problems
    assert {(line, col) for line, col, _ in response.context["errors"]} == {
        (4, "gemeente"),
        (5, "achternaam"),
        (5, "geboortedatum"),
    }
    assert "cases/import/confirm" not in content and 'name="token"' not in content


def test_browser_upload_of_a_non_csv_gives_a_form_error(world, client_for):
    upload = io.BytesIO(b"%PDF-1.7 binary")
    upload.name = "brief.pdf"
    response = client_for("lpa_a").post(
        reverse("cases:import"), {"region": world.region_a.pk, "file": upload}
    )
    assert response.status_code == 200
    assert "not a CSV or XLSX" in response.content.decode()


def test_import_into_a_region_the_user_does_not_work_in_is_refused(world, client_for):
    upload = io.BytesIO(csv_bytes([HEADER, *GOOD]))
    upload.name = "lijst.csv"
    response = client_for("lpa_b").post(
        reverse("cases:import"), {"region": world.region_a.pk, "file": upload}
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Jeugdige.objects.exists()


def _rows(n: int) -> bytes:
    lines = [HEADER]
    for i in range(n):
        dob = dt.date.today() - dt.timedelta(days=17 * 365) + dt.timedelta(days=i % 4000)
        lines.append(f";Voornaam{i};Achternaam{i};{dob:%d-%m-%Y};0114;5a;01-08-2025;31-07-2026;;")
    return csv_bytes(lines)


def test_an_import_costs_the_same_queries_for_ten_or_a_thousand_rows(world):
    """The import reads and writes in bulk: no query per row (SQLite splits a bulk insert into
    batches of at most 999 parameters, so its count grows by a batch, never by a row). How
    long a big import takes is measured by ``make load``, not with a timer here."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (10, 1000):
        data = _rows(n)
        Jeugdige.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            result = run(world, data)
        assert result.ok and result.created == n, (errors(result)[:3], result.bad_rows[:1])
        counts.append(len(queries))
    assert counts[1] - counts[0] < 1000 // 10, counts
