"""The field cases of issue 8 (copies in tests/cases/data/), each through the command and
through the browser preview, plus a test of each kind built from its own small input."""

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import importer
from cases.models import Jeugdige
from regions.models import Region
from tests.cases.factories import JeugdigeFactory, make_jeugdige
from tests.factories import MembershipFactory, RegionFactory, gemeente
from wel.models import User

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def command(*args) -> tuple[str, str]:
    """The import command as the world's kartrekker of region A (the operator identity that
    every command touching personal data requires)."""
    if "--user" not in args:
        args = (*args, "--user", "kartrekker.a@wel.test")
    out, err = io.StringIO(), io.StringIO()
    # Since the audit work every import command names its operator (--user): a kartrekker of
    # the region named, made when the test has none.
    if "--user" not in args and "--region" in args:
        region = Region.objects.filter(code=args[args.index("--region") + 1]).first()
        if region is not None:
            user = (
                User.objects.filter(
                    memberships__region=region, memberships__role="kartrekker"
                ).first()
                or MembershipFactory(region=region, role="kartrekker").user
            )
            args = (*args, "--user", user.email)
    call_command("import_jeugdigen", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def preview(client, region, name, data=None):
    upload = io.BytesIO(data if data is not None else (DATA / name).read_bytes())
    upload.name = name
    response = client.post(reverse("cases:import"), {"region": region.pk, "file": upload})
    assert response.status_code == 200
    return response


def errors(result):
    return [(r.number, col) for r in result.bad_rows for col, _ in r.errors]


# -- 08: tussenvoegsel + achternaam -----------------------------------------------------------
def test_08_tussenvoegsel_is_part_of_the_family_name_command(world):
    out, _err = command(str(DATA / "08-tussenvoegsel-column.csv"), "--region", "VO2202")
    assert "2 new jeugdigen" in out
    assert Jeugdige.objects.get(bsn="231000157").family_name == "van der Berg"
    assert Jeugdige.objects.get(bsn="231000169").family_name == "de Vries"


def test_08_tussenvoegsel_in_the_preview_and_duplicates_match_the_full_name(world, client_for):
    existing = make_jeugdige(
        world, given_name="Test", family_name="van der Berg", date_of_birth=dt.date(2015, 3, 14)
    )
    response = preview(client_for("kartrekker_a"), world.region_a, "08-tussenvoegsel-column.csv")
    result = response.context["result"]
    assert [r.duplicate_of for r in result.duplicate_rows] == [existing.reference]
    assert [r.cleaned["family_name"] for r in result.new_rows] == ["de Vries"]


@pytest.mark.parametrize(
    "header",
    [
        "voornaam;tussenvoegsel;achternaam",
        "Roepnaam;Voorvoegsel;Geslachtsnaam",
        "Voornamen;Tussenvoegsels;Achternaam",
        "Voornaam;Voorvoegsel geslachtsnaam;Familienaam",
    ],
)
def test_brp_style_names_are_aliases(world, header):
    lines = [f"{header};Geb. datum;Gemeentecode;Grondslag", "Daan;van 't;Hof;02-11-2012;GM0114;5a"]
    result = importer.run_import(
        ("\r\n".join(lines) + "\r\n").encode(), filename="a.csv", region=world.region_a
    )
    assert result.ok, errors(result)
    j = Jeugdige.objects.get()
    assert (j.given_name, j.family_name, j.date_of_birth) == (
        "Daan",
        "van 't Hof",
        dt.date(2012, 11, 2),
    )


def test_two_columns_for_one_field_are_refused_until_one_is_ignored(world):
    lines = [
        "voornamen;roepnaam;achternaam;geboortedatum;gemeente;grondslag",
        "Johanna Maria;Jo;Bakker;02-11-2012;0114;5a",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    result = importer.run_import(data, filename="a.csv", region=world.region_a)
    assert not result.ok and result.conflicting_columns == [("voornaam", ["voornamen", "roepnaam"])]
    assert not Jeugdige.objects.exists()
    result = importer.run_import(
        data, filename="a.csv", region=world.region_a, ignore_columns=["voornamen"]
    )
    assert result.ok and Jeugdige.objects.get().given_name == "Jo"


def test_a_column_with_data_the_import_cannot_place_is_refused_command(world, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(
        "voornaam;achternaam;geboortedatum;gemeente;grondslag;indicatie\r\n"
        "Daan;Bakker;02-11-2012;0114;5a;zorgboerderij\r\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Nothing was written"):
        command(str(path), "--region", "VO2202")
    assert not Jeugdige.objects.exists()
    out, _err = command(str(path), "--region", "VO2202", "--ignore-column", "indicatie")
    assert "Columns not used: indicatie" in out
    assert Jeugdige.objects.count() == 1


def test_a_column_with_data_is_confirmed_in_the_browser_preview(world, client_for):
    client = client_for("kartrekker_a")
    data = (
        b"voornaam;achternaam;geboortedatum;gemeente;grondslag;indicatie;leeg\r\n"
        b"Daan;Bakker;02-11-2012;0114;5a;zorgboerderij;\r\n"
    )
    response = preview(client, world.region_a, "extra.csv", data)
    assert response.context["columns_to_confirm"] == ["indicatie"]
    assert not response.context["can_confirm"]
    assert "indicatie" in response.content.decode() and 'name="ignore_column"' in (
        response.content.decode()
    )
    token = response.context["token"]
    assert client.get(reverse("cases:import_ignore_columns")).status_code == 405
    response = client.post(
        reverse("cases:import_ignore_columns"), {"token": token, "ignore_column": "indicatie"}
    )
    assert response.status_code == 200 and response.context["can_confirm"]
    assert response.context["result"].ignored_columns == ["indicatie", "leeg"]
    response = client.post(reverse("cases:import_confirm"), {"token": token})
    assert response.status_code == 302 and Jeugdige.objects.count() == 1


# -- 09: the XLSX <dimension> understates the sheet ------------------------------------------
def understated_xlsx(rows, dimension="A1:F2") -> bytes:
    """An XLSX file whose sheet says ``<dimension ref="A1:F2"/>`` whatever it holds."""
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                content = (text[:start] + dimension + text[end:]).encode()
                assert f'<dimension ref="{dimension}"' in content.decode()
            target.writestr(info, content)
    return patched.getvalue()


def test_09_understated_dimension_built_file_gives_every_row_and_column(world):
    header = [
        "bsn",
        "voornaam",
        "achternaam",
        "geboortedatum",
        "gemeente",
        "grondslag",
        "vrijstelling_ingang",
        "vrijstelling_einde",
    ]
    rows = [
        header,
        *[
            [None, "Test", f"Rij{n}", f"1{n}-03-2015", "0114", "5a", "01-08-2026", "31-07-2027"]
            for n in range(4)
        ],
    ]
    result = importer.run_import(understated_xlsx(rows), filename="d.xlsx", region=world.region_a)
    assert result.ok and result.created == 4, errors(result)
    assert set(Jeugdige.objects.values_list("exemption_start", "exemption_end")) == {
        (dt.date(2026, 8, 1), dt.date(2027, 7, 31))
    }


def test_09_field_file_command_and_preview(world, client_for):
    response = preview(
        client_for("kartrekker_a"), world.region_a, "09-xlsx-understated-dimension.xlsx"
    )
    sample = response.context["result"].new_rows
    assert len(sample) == 4
    assert {r.cleaned["exemption_end"] for r in sample} == {dt.date(2027, 7, 31)}
    out, _err = command(str(DATA / "09-xlsx-understated-dimension.xlsx"), "--region", "VO2202")
    assert "4 rows: 4 new jeugdigen" in out
    assert Jeugdige.objects.filter(exemption_start=dt.date(2026, 8, 1)).count() == 4


# -- 10: herindeling -------------------------------------------------------------------------
@pytest.fixture
def rotterdam(world):
    return RegionFactory(
        code="VO2812",
        name="Regio Rotterdam",
        reference_prefix="ROT",
        gemeenten=[gemeente("1992"), gemeente("0599")],
    )


def test_10_former_gemeente_maps_to_its_successor_command(world, rotterdam):
    from tests.factories import MembershipFactory, UserFactory
    from wel.models import Role

    operator = UserFactory(email="kartrekker.rotterdam@wel.test")
    MembershipFactory(user=operator, region=rotterdam, role=Role.KARTREKKER)
    out, _err = command(
        str(DATA / "10-herindeling-old-gemeente-code.csv"),
        "--region",
        "VO2812",
        "--user",
        operator.email,
    )
    assert "0501 Brielle merged into Voorne aan Zee (1992) on 01-01-2023" in out
    assert set(Jeugdige.objects.values_list("gemeente__cbs_code", flat=True)) == {"1992"}


def test_10_former_gemeente_in_the_browser_preview(world, rotterdam, client_for):
    from tests.factories import MembershipFactory, UserFactory
    from wel.models import Role

    user = UserFactory()
    MembershipFactory(user=user, region=rotterdam, role=Role.KARTREKKER)
    client = client_for("kartrekker_a")
    client.force_login(user)
    response = preview(client, rotterdam, "10-herindeling-old-gemeente-code.csv")
    assert response.context["can_confirm"]
    assert [(line, col) for line, col, _ in response.context["remarks"]] == [(2, "gemeente")]
    assert "Voorne aan Zee" in response.content.decode()


@pytest.mark.parametrize(
    "value, expected",
    [("0501", "1992"), ("GM0530", "1992"), ("Westvoorne", "1992"), ("614", "1992")],
)
def test_herindeling_by_code_or_name(world, rotterdam, value, expected):
    lines = ["voornaam;achternaam;geboortedatum;gemeente;grondslag", f"A;B;02-11-2012;{value};5a"]
    result = importer.run_import(
        ("\n".join(lines)).encode(), filename="h.csv", region=rotterdam, commit=False
    )
    assert result.ok, errors(result)
    assert result.rows[0].cleaned["gemeente"].cbs_code == expected


def test_a_split_gemeente_is_a_row_error_naming_the_successors(world):
    region = RegionFactory(gemeenten=[gemeente("0824"), gemeente("0865")])
    lines = ["voornaam;achternaam;geboortedatum;gemeente;grondslag", "A;B;02-11-2012;0788;5a"]
    result = importer.run_import("\n".join(lines).encode(), filename="h.csv", region=region)
    ((_column, reason),) = result.rows[0].errors
    assert "Haaren" in reason and "Oisterwijk" in reason and "Vught" in reason


def test_herindeling_reference_data_points_from_former_to_current_gemeenten():
    from regions.reference import DATA as REGION_DATA

    with (REGION_DATA / "gemeenten.csv").open(encoding="utf-8") as fh:
        current = {r["cbs_code"]: r["name"] for r in csv.DictReader(fh)}
    with (REGION_DATA / "herindelingen.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["old_code"] for r in rows}) == 52
    for row in rows:
        assert row["old_code"] not in current, row
        assert current[row["new_code"]] == row["new_name"], row
        assert "2019-01-01" <= row["date"] <= "2025-12-31"
    brielle = [r for r in rows if r["old_code"] == "0501"]
    assert brielle == [
        {
            "old_code": "0501",
            "old_name": "Brielle",
            "new_code": "1992",
            "new_name": "Voorne aan Zee",
            "date": "2023-01-01",
        }
    ]


# -- 11b: the product's own export -----------------------------------------------------------
def seed_from_export(world, path: Path) -> int:
    """The cases the export was made from (the demo region VO2202 with its gemeenten): same
    references, names, dates of birth, BSNs and gemeenten. The names as registered, without
    the ' the export puts before formula-like text ("'=1+1" was registered as "=1+1")."""
    from cases.importer.check import unguard
    from regions.models import Gemeente

    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    gemeenten = {g.name: g for g in Gemeente.objects.filter(name__in={r[5] for r in rows[1:]})}
    world.region_a.gemeenten.add(*gemeenten.values())
    for row in rows[1:]:
        day, month, year = map(int, row[3].split("-"))
        JeugdigeFactory(
            region=world.region_a,
            gemeente=gemeenten[row[5]],
            reference=row[0],
            given_name=unguard(row[1]),
            family_name=unguard(row[2]),
            date_of_birth=dt.date(year, month, day),
            bsn=row[4],
        )
    return len(rows) - 1


def test_11b_export_as_downloaded_reimports_as_all_known_command(world):
    n = seed_from_export(world, DATA / "11b-export-as-downloaded.csv")
    out, err = command(str(DATA / "11b-export-as-downloaded.csv"), "--region", "VO2202")
    assert f"{n} rows: 0 new jeugdigen, {n} jeugdigen already registered, 0 rows with errors" in out
    assert err == ""
    assert Jeugdige.objects.count() == n


def test_11b_export_as_downloaded_in_the_browser_preview(world, client_for):
    n = seed_from_export(world, DATA / "11b-export-as-downloaded.csv")
    response = preview(client_for("kartrekker_a"), world.region_a, "11b-export-as-downloaded.csv")
    result = response.context["result"]
    assert (len(result.new_rows), len(result.duplicate_rows), len(result.bad_rows)) == (0, n, 0)
    assert result.ignored_columns == [] and result.unplaced_columns == []


def test_11b_a_row_added_in_the_export_layout_imports_with_its_exemption_dates(world):
    seed_from_export(world, DATA / "11b-export-as-downloaded.csv")
    data = (DATA / "11b-export-as-downloaded.csv").read_bytes() + (
        b";Nieuw;Rij;14-03-2016;;Emmen;Vrijstelling 5 onder a;Aangemeld;;01-08-2026;31-07-2027;"
        b"01-07-2027;De Esch;;nee;;\r\n"
    )
    result = importer.run_import(data, filename="export.csv", region=world.region_a)
    assert result.ok and result.created == 1, errors(result)
    new = Jeugdige.objects.get(given_name="Nieuw")
    assert (new.exemption_start, new.exemption_end, new.last_school) == (
        dt.date(2026, 8, 1),
        dt.date(2027, 7, 31),
        "De Esch",
    )


@pytest.mark.parametrize(
    "status, lpa, focus, column",
    [
        ("In ontwikkeling", "", "nee", "status"),
        ("Aangemeld", "Ilse van Leeuwen", "nee", "leerplichtambtenaar"),
        ("Aangemeld", "", "ja", "focus"),
    ],
)
def test_export_only_values_on_a_new_row_are_an_error_not_dropped(
    world, status, lpa, focus, column
):
    header = (DATA / "11b-export-as-downloaded.csv").read_bytes().split(b"\r\n", 1)[0]
    row = f";Nieuw;Rij;14-03-2016;;Emmen;5a;{status};;;;;;{lpa};{focus};;\r\n"
    result = importer.run_import(
        header + b"\r\n" + row.encode(), filename="e.csv", region=world.region_a
    )
    assert errors(result) == [(2, column)]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_export_then_import_in_each_language(world, client_for, language, kind):
    from django.utils import translation

    from cases import exporter

    for n, grondslag in enumerate(
        ["vrijstelling_5a", "absoluut_verzuim", "nog_niet_leerplichtig", "artikel_15"]
    ):
        make_jeugdige(
            world,
            given_name=f"Kind{n}",
            family_name="van der Berg",
            date_of_birth=dt.date(2019, 2, 1) + dt.timedelta(days=300 * n),
            grondslag=grondslag,
            bsn=["111222333", "123456782", "", ""][n],
            exemption_start=dt.date(2026, 8, 1) if n == 0 else None,
            exemption_end=dt.date(2027, 7, 31) if n == 0 else None,
        )
    with translation.override(language):
        rows = exporter.export_rows(Jeugdige.objects.filter(region=world.region_a))
        data = exporter.export_csv(rows) if kind == "csv" else exporter.export_xlsx(rows)
    result = importer.run_import(data, filename=f"export.{kind}", region=world.region_a)
    assert (len(result.new_rows), len(result.duplicate_rows), len(result.bad_rows)) == (0, 4, 0), (
        errors(result),
        result.unplaced_columns,
    )
    assert result.ok and result.created == 0


def test_every_export_header_and_label_is_known_to_the_import():
    from django.utils import translation

    from cases import exporter
    from cases.importer.columns import KNOWN
    from cases.models import Grondslag

    for language in ("en", "nl"):
        with translation.override(language):
            for label, _get in exporter.columns():
                assert importer.column_for(label) in KNOWN, (language, label)
            for value, label in Grondslag.choices:
                assert importer.normalise_grondslag(str(label)) == value, (language, label)


# -- 14: the 5a renewal is the rules' business; the import calls it --------------------------
def test_14_renewal_is_computed_by_the_services_rule(world):
    from cases.services import default_renewal_due

    command(str(DATA / "14-5a-multi-year-renewal.csv"), "--region", "VO2202")
    for j in Jeugdige.objects.all():
        assert j.renewal_due == default_renewal_due(
            grondslag=j.grondslag, start=j.exemption_start, end=j.exemption_end
        )


# -- 16: a BSN registered for another person -------------------------------------------------
def test_16_known_bsn_of_another_person_is_a_row_error_command(world):
    make_jeugdige(
        world,
        bsn="012345672",
        given_name="Ander",
        family_name="Kind",
        date_of_birth=dt.date(2015, 3, 14),
    )
    with pytest.raises(CommandError, match="Nothing was written"):
        command(str(DATA / "16-known-bsn-other-person.csv"), "--region", "VO2202")
    assert Jeugdige.objects.count() == 1


def test_16_known_bsn_of_another_person_in_the_browser_preview(world, client_for):
    other = make_jeugdige(
        world,
        bsn="012345672",
        given_name="Ander",
        family_name="Kind",
        date_of_birth=dt.date(2015, 3, 14),
    )
    response = preview(client_for("kartrekker_a"), world.region_a, "16-known-bsn-other-person.csv")
    ((line, column, reason),) = response.context["errors"]
    assert (line, column) == (2, "bsn")
    assert other.reference in reason and "different name or date of birth" in reason
    assert not response.context["can_confirm"]


def test_the_same_name_and_birth_date_with_another_bsn_is_a_row_error(world):
    make_jeugdige(
        world, bsn="111222333", given_name="A", family_name="B", date_of_birth=dt.date(2012, 11, 2)
    )
    lines = [
        "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag",
        "123456782;A;B;02-11-2012;0114;5a",
    ]
    result = importer.run_import("\n".join(lines).encode(), filename="x.csv", region=world.region_a)
    assert errors(result) == [(2, "bsn")]


# -- 17a: an explanation sheet first, a title row above the header ---------------------------
def test_17a_header_found_on_the_data_sheet_under_the_title_command(world):
    out, _err = command(str(DATA / "17a-xlsx-info-sheet-and-title-row.xlsx"), "--region", "VO2202")
    assert "sheet “Vrijstellingen”, row 3" in out
    assert Jeugdige.objects.get().family_name == "Tweedeblad"


def test_17a_in_the_browser_preview_says_which_sheet_and_row(world, client_for):
    response = preview(
        client_for("kartrekker_a"), world.region_a, "17a-xlsx-info-sheet-and-title-row.xlsx"
    )
    assert "sheet “Vrijstellingen”, row 3" in response.content.decode()
    assert len(response.context["result"].new_rows) == 1


def test_csv_with_excel_sep_line_and_a_title_row(world):
    data = (
        b"sep=;\r\nExport vrijstellingen 2026\r\n"
        b"bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag\r\n;A;B;02-11-2012;0114;5a\r\n"
    )
    result = importer.run_import(data, filename="s.csv", region=world.region_a)
    assert result.ok and result.header_row == 3 and result.rows[0].number == 4


def test_no_header_anywhere_names_the_sheets(world):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Uitleg"
    wb.active.append(["Deze lijst bevat ..."])
    wb.create_sheet("Data").append(["naam", "geboren", "plaats"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(importer.ImportRefused, match="No column names found on sheet Uitleg, Data"):
        importer.run_import(out.getvalue(), filename="x.xlsx", region=world.region_a)


# -- encodings -------------------------------------------------------------------------------
HEADER = "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag;toelichting"


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("mac_roman", b""),
        ("cp1252", b""),
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
    ],
)
def test_encodings_give_the_right_characters(world, encoding, bom):
    text = f"{HEADER}\r\n;Zoë;Çelik-Öztürk;14-03-2014;0114;5a;café\r\n"
    result = importer.run_import(
        bom + text.encode(encoding), filename="e.csv", region=world.region_a
    )
    assert result.ok, errors(result)
    j = Jeugdige.objects.get()
    assert (j.given_name, j.family_name, j.notes) == ("Zoë", "Çelik-Öztürk", "café")


def test_mac_roman_zoe_is_never_stored_as_windows_1252(world):
    data = f"{HEADER}\r\n;Zoë;Jansen;14-03-2014;0114;5a;\r\n".encode("mac_roman")
    assert data.decode("cp1252").count("Zo‘") == 1  # what the old import stored
    result = importer.run_import(data, filename="mac.csv", region=world.region_a)
    assert result.ok and Jeugdige.objects.get().given_name == "Zoë"


def test_bytes_that_do_not_tell_their_code_page_are_refused(world):
    # "€ 20" (Windows-1252) is "Ä 20" in Mac Roman: both read plausibly, so neither is chosen.
    data = f"{HEADER}\r\n;Anna;Jansen;14-03-2014;0114;5a;€ 20\r\n".encode("cp1252")
    with pytest.raises(importer.ImportRefused, match="CSV UTF-8"):
        importer.run_import(data, filename="x.csv", region=world.region_a)
    assert not Jeugdige.objects.exists()


# -- grondslag spellings and 18+ ----------------------------------------------------------
@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("art. 5 sub a", "vrijstelling_5a"),
        ("artikel 5 onder a Leerplichtwet", "vrijstelling_5a"),
        ("Artikel 5, onder a, Leerplichtwet 1969", "vrijstelling_5a"),
        ("5a", "vrijstelling_5a"),
        ("5 onder a", "vrijstelling_5a"),
        ("Vrijstelling 5 onder a", "vrijstelling_5a"),
        ("art. 5 sub b", "vrijstelling_5b"),
        ("art 5 onder c LPW", "vrijstelling_5c"),
        ("Nog niet leerplichtig (4-jarige)", "nog_niet_leerplichtig"),
        ("Not yet leerplichtig (4 years old)", "nog_niet_leerplichtig"),
        ("5d", None),
        ("artikel 6", None),
    ],
)
def test_grondslag_as_decisions_and_the_product_write_it(spelling, expected):
    assert importer.normalise_grondslag(spelling) == expected


@pytest.mark.parametrize(
    "birthday_offset_days, refused",
    [(-1, True), (0, True), (1, False)],  # the day after, on, and the day before the 18th birthday
)
def test_eighteen_or_older_is_a_row_error(world, birthday_offset_days, refused):
    today = dt.date.today()
    dob = today.replace(year=today.year - 18) - dt.timedelta(days=-birthday_offset_days)
    lines = [
        "voornaam;achternaam;geboortedatum;gemeente;grondslag",
        f"A;B;{dob:%d-%m-%Y};0114;absoluut verzuim",
    ]
    result = importer.run_import(
        "\n".join(lines).encode(), filename="x.csv", region=world.region_a, commit=False
    )
    assert errors(result) == ([(2, "geboortedatum")] if refused else [])


def test_kwalificatieplicht_ends_on_the_18th_birthday_29_february():
    ended = importer.kwalificatieplicht_ended  # the importer uses cases.rules' own rule
    dob = dt.date(2008, 2, 29)
    assert not ended(dob, dt.date(2026, 2, 28))
    assert ended(dob, dt.date(2026, 3, 1))
    assert ended(dt.date(2008, 2, 28), dt.date(2026, 2, 28))
    assert not ended(dt.date(2008, 2, 28), dt.date(2026, 2, 27))


# -- plural forms ----------------------------------------------------------------------------
def test_counts_use_dutch_plural_forms(world):
    make_jeugdige(
        world,
        bsn="231000157",
        given_name="Test",
        family_name="van der Berg",
        date_of_birth=dt.date(2015, 3, 14),
    )
    data = (DATA / "08-tussenvoegsel-column.csv").read_bytes()
    result = importer.run_import(data, filename="a.csv", region=world.region_a, commit=False)
    assert importer.counts(result) == (
        "2 rows: 1 new jeugdige, 1 jeugdige already registered, 0 rows with errors."
    )
    result.rows = result.rows * 2  # 4 rows: 2 new, 2 known
    assert importer.counts(result) == (
        "4 rows: 2 new jeugdigen, 2 jeugdigen already registered, 0 rows with errors."
    )


def test_data_right_of_the_last_header_cell_is_not_passed_over(world):
    lines = [
        "voornaam;achternaam;geboortedatum;gemeente;grondslag;",
        "A;B;02-11-2012;0114;5a;;",
        "C;D;03-11-2012;0114;5a;;let op: verhuisd",
    ]
    result = importer.run_import("\n".join(lines).encode(), filename="x.csv", region=world.region_a)
    assert not result.ok and result.unplaced_columns == ["column 7"]
    assert result.ignored_columns == []
    assert not Jeugdige.objects.exists()


def test_every_row_with_one_gemeente_text_gets_its_remark_and_error(world, rotterdam):
    """The gemeente of a cell text is worked out once per file (issue 23); each row naming it
    still gets the remark or error, and a row that names another gets none of them."""
    lines = [
        "voornaam;achternaam;geboortedatum;gemeente;grondslag",
        "A;B;02-11-2012;0501;5a",
        "C;D;03-11-2012;Rotterdam;5a",
        "E;F;04-11-2012;0501;5a",
        "G;H;05-11-2012;Nergenshuizen;5a",
        "I;J;06-11-2012;Nergenshuizen;5a",
    ]
    result = importer.run_import(
        "\n".join(lines).encode(), filename="h.csv", region=rotterdam, commit=False
    )
    first, rotterdam_row, second, unknown, again = result.rows
    assert first.remarks == second.remarks and len(first.remarks) == 1
    assert first.cleaned["gemeente"] == second.cleaned["gemeente"]
    assert first.cleaned["gemeente"].cbs_code == "1992"
    assert not rotterdam_row.remarks and not rotterdam_row.errors
    assert [c for c, _ in unknown.errors] == ["gemeente"] == [c for c, _ in again.errors]
    assert unknown.errors == again.errors and not first.errors
