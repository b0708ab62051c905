"""The import and the Leerplichtwet: each kind of the field cases 19 and up, pinned with small
inputs of our own, through the function, the command and the browser preview."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import exporter, importer
from cases.models import Grondslag, Jeugdige, RuleFinding
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db
D = dt.date
HEADER = (
    "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag;vrijstelling_ingang;"
    "vrijstelling_einde"
)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def run(world, data: bytes, **kw):
    return importer.run_import(data, filename="t.csv", region=world.region_a, **kw)


def command(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_jeugdigen",
        str(path),
        "--region",
        "VO2202",
        "--user",
        "kartrekker.a@wel.test",
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def preview(client, world, data: bytes, name="t.csv"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": upload})


# -- §1: artikel 5a is not 5 onder a ----------------------------------------------------------
TREKKEND = csv_bytes(
    ";Kermis;Kind;03-05-2017;0114;artikel 5a;01-03-2027;31-10-2027",
    ";Circus;Kind;04-06-2016;0114;Art. 5a Lpw;01-08-2026;",
)


def test_artikel_5a_is_its_own_grondslag_with_a_warning_to_confirm(world):
    result = run(world, TREKKEND)
    assert not result.ok and not result.bad_rows
    assert [r.cleaned["grondslag"] for r in result.rows] == [Grondslag.ARTIKEL_5A] * 2
    assert [(r.number, [w[1] for w in r.warnings]) for r in result.warning_rows] == [
        (3, ["artikel_5a_season"])
    ]
    assert not Jeugdige.objects.exists()
    result = run(world, TREKKEND, decisions={"confirm_warnings": True})
    assert result.ok and result.created == 2
    assert set(Jeugdige.objects.values_list("grondslag", "renewal_due")) == {
        (Grondslag.ARTIKEL_5A, None)
    }
    assert RuleFinding.objects.get().confirmed_at is not None


def test_artikel_5a_command_and_preview(world, client_for, tmp_path):
    path = tmp_path / "trekkend.csv"
    path.write_bytes(TREKKEND)
    with pytest.raises(CommandError, match="Nothing was written"):
        command(path)
    out, _err = command(path, "--confirm-warnings")
    assert "Vrijstelling artikel 5a (trekkend bestaan)" in out
    Jeugdige.objects.all().delete()
    client = client_for("kartrekker_a")
    response = preview(client, world, TREKKEND)
    page = response.content.decode()
    assert "Vrijstelling artikel 5a (trekkend bestaan)" in page
    assert response.context["warnings"] and not response.context["can_confirm"]
    token = response.context["token"]
    response = client.post(
        reverse("cases:import_ignore_columns"), {"token": token, "confirm_warnings": "1"}
    )
    assert response.context["can_confirm"]
    response = client.post(reverse("cases:import_confirm"), {"token": token})
    assert response.status_code == 302 and Jeugdige.objects.count() == 2


# -- §1: the conditions are row errors --------------------------------------------------------
@pytest.mark.parametrize(
    "row, column",
    [
        (";A;B;14-03-2014;0114;artikel 15;01-08-2026;31-07-2027", "vrijstelling_ingang"),
        (";A;B;14-03-2014;0114;3a;01-08-2026;31-07-2027", "vrijstelling_ingang"),  # 12
        (";A;B;14-03-2010;0114;3a;01-08-2025;31-07-2027", "vrijstelling_einde"),
        (";A;B;14-03-2010;0114;3b;01-08-2026;31-07-2027", "vrijstelling_ingang"),
        (";A;B;14-03-2012;0114;vervangende leerplicht;01-08-2026;31-07-2027", "grondslag"),
    ],
)
def test_a_condition_not_met_is_a_row_error(world, row, column):
    result = run(world, csv_bytes(row))
    assert [c for _n, c in ((r.number, c) for r in result.bad_rows for c, _ in r.errors)] == [
        column
    ]


def test_the_statement_date_column_is_checked_against_the_notice(world):
    header = (
        "voornaam;achternaam;geboortedatum;gemeente;grondslag;datum kennisgeving;datum verklaring"
    )
    ok = run(world, csv_bytes("A;B;14-03-2014;0114;5a;15-04-2027;15-01-2027", header=header))
    assert ok.ok, [r.errors for r in ok.bad_rows]
    old = run(world, csv_bytes("C;D;14-03-2014;0114;5a;16-04-2027;15-01-2027", header=header))
    ((column, reason),) = old.bad_rows[0].errors
    assert column == "datum_verklaring" and "art. 7" in reason


# -- §2: the yearly notice for every art. 5 ground, never before the start --------------------
@pytest.mark.parametrize(
    "row, due",
    [
        (";Richting;A;07-07-2017;0114;5b;01-08-2026;31-07-2027", D(2027, 7, 1)),
        (";Buitenland;B;08-08-2015;0114;5c;01-08-2026;31-07-2027", D(2027, 7, 1)),
        (";Januari;C;09-09-2016;0114;5a;15-01-2027;31-07-2027", D(2027, 7, 1)),
        (";Julistart;D;10-10-2016;0114;5a;10-07-2027;31-07-2028", D(2028, 7, 1)),
        (";Julikort;E;11-11-2016;0114;5a;10-07-2027;31-07-2027", None),
    ],
)
def test_renewal_date_of_each_ground(world, row, due):
    result = run(world, csv_bytes(row))
    assert result.ok and Jeugdige.objects.get().renewal_due == due


def test_renewal_dates_in_the_command_and_the_preview(world, client_for, tmp_path):
    data = csv_bytes(
        ";Richting;A;07-07-2017;0114;5b;01-08-2026;31-07-2027",
        ";Julistart;D;10-10-2016;0114;5a;10-07-2027;31-07-2028",
    )
    response = preview(client_for("kartrekker_a"), world, data)
    page = response.content.decode()
    assert "01-07-2027" in page and "01-07-2028" in page
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    out, _err = command(path, "--dry-run")
    assert "line 2: Vrijstelling 5 onder b, renewal due 01-07-2027" in out
    assert "line 3: Vrijstelling 5 onder a, renewal due 01-07-2028" in out


# -- §6: gemeente names as people write them ---------------------------------------------------
@pytest.fixture
def names_region(world):
    from tests.factories import RegionFactory, gemeente

    return RegionFactory(
        code="VO3099",
        name="Proefregio",
        reference_prefix="PRF",
        gemeenten=[gemeente("0518"), gemeente("0796"), gemeente("1900"), gemeente("0373")],
    )


@pytest.mark.parametrize(
    "value, code",
    [
        ("Den Haag", "0518"),
        ("'s-Gravenhage", "0518"),
        ("s-Gravenhage", "0518"),
        ("Den Bosch", "0796"),
        ("s-Hertogenbosch", "0796"),
        ("’s-Hertogenbosch", "0796"),
        ("'s-Hertogenbosch", "0796"),
        ("Sudwest-Fryslan", "1900"),
        ("Súdwest-Fryslân", "1900"),
        ("sudwest fryslan", "1900"),
        ("Bergen", "0373"),  # the only Bergen of the region
        ("Bergen (NH.)", "0373"),
    ],
)
def test_gemeente_names_as_people_write_them(names_region, value, code):
    data = f"voornaam;achternaam;geboortedatum;gemeente;grondslag\nA;B;02-11-2012;{value};av\n"
    result = importer.run_import(data.encode(), filename="g.csv", region=names_region, commit=False)
    assert result.ok, [r.errors for r in result.bad_rows]
    assert result.rows[0].cleaned["gemeente"].cbs_code == code


def test_an_unknown_gemeente_suggests_the_nearest_of_the_region(names_region):
    data = "voornaam;achternaam;geboortedatum;gemeente;grondslag\nA;B;02-11-2012;Den Hag;av\n"
    result = importer.run_import(data.encode(), filename="g.csv", region=names_region)
    ((column, reason),) = result.rows[0].errors
    assert column == "gemeente" and "'s-Gravenhage (0518)" in reason


# -- §6: BRP voorvoegsel ---------------------------------------------------------------------
BRP = "bsn;voornaam;voorvoegsel geslachtsnaam;geslachtsnaam;geboortedatum;gemeente;grondslag"


@pytest.mark.parametrize(
    "prefix, name, family",
    [
        ("d'", "Ancona", "d'Ancona"),
        ("d’", "Ancona", "d'Ancona"),
        ("l'", "Écluse", "l'Écluse"),
        ("Van der", "Berg-Çelik", "van der Berg-Çelik"),
        ("van 't", "Hof", "van 't Hof"),
        ("", "Jansen", "Jansen"),
    ],
)
def test_brp_prefix_joined_as_the_brp_writes_it(world, prefix, name, family):
    result = run(world, csv_bytes(f";Anaïs;{prefix};{name};02-11-2016;0114;av", header=BRP))
    assert result.ok and Jeugdige.objects.get().family_name == family


def test_a_registered_d_ancona_matches_the_brp_columns(world):
    known = make_jeugdige(
        world,
        bsn="231000005",
        given_name="Anaïs",
        family_name="d'Ancona",
        date_of_birth=D(2016, 11, 2),
        grondslag=Grondslag.ABSOLUUT_VERZUIM,
    )
    result = run(world, csv_bytes("231000005;Anaïs;d';Ancona;02-11-2016;0114;av", header=BRP))
    assert result.ok and [r.duplicate_of for r in result.duplicate_rows] == [known.reference]


# -- §6: valid UTF-8 is UTF-8 ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["＝1+1", "王小明", "Ζωή", "Олена"])
def test_strict_utf8_is_utf8_whatever_the_script(world, name):
    result = run(world, csv_bytes(f";{name};Test;02-11-2016;0114;av"))
    assert result.ok and Jeugdige.objects.get().given_name == name


# -- §6: hidden and filtered rows ------------------------------------------------------------
def xlsx(rows, hidden=(), autofilter=False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for number in hidden:
        ws.row_dimensions[number].hidden = True
    if autofilter:
        ws.auto_filter.ref = f"A1:E{len(rows)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROWS = [
    ["voornaam", "achternaam", "geboortedatum", "gemeente", "grondslag"],
    ["Zichtbaar", "Een", "02-11-2012", "0114", "av"],
    ["Verborgen", "Twee", "03-11-2012", "0114", "av"],
    ["Zichtbaar", "Drie", "04-11-2012", "0114", "av"],
]


@pytest.mark.parametrize("autofilter, kind", [(False, "hidden"), (True, "filtered")])
def test_hidden_rows_are_named_and_the_user_decides(world, autofilter, kind):
    data = xlsx(ROWS, hidden=[3], autofilter=autofilter)
    result = importer.run_import(data, filename="h.xlsx", region=world.region_a)
    assert not result.ok and [(r.number, r.hidden) for r in result.hidden_in_file] == [(3, kind)]
    assert not Jeugdige.objects.exists()
    result = importer.run_import(
        data, filename="h.xlsx", region=world.region_a, decisions={"hidden_rows": "skip"}
    )
    assert result.ok and result.created == 2
    assert not Jeugdige.objects.filter(given_name="Verborgen").exists()
    Jeugdige.objects.all().delete()
    result = importer.run_import(
        data, filename="h.xlsx", region=world.region_a, decisions={"hidden_rows": "import"}
    )
    assert result.ok and result.created == 3


def test_hidden_rows_in_the_preview_and_the_command(world, client_for, tmp_path):
    data = xlsx(ROWS, hidden=[3])
    client = client_for("kartrekker_a")
    response = preview(client, world, data, name="h.xlsx")
    assert response.context["hidden"] == [(3, "hidden")] and response.context["needs_decision"]
    assert "row 3, hidden" in response.content.decode()
    token = response.context["token"]
    response = client.post(
        reverse("cases:import_ignore_columns"), {"token": token, "hidden_rows": "skip"}
    )
    assert response.context["can_confirm"]
    path = tmp_path / "h.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        command(path)
    out, _err = command(path, "--hidden-rows", "skip")
    assert "line 3: hidden in the file (left out)" in out
    assert Jeugdige.objects.count() == 2


# -- §6: the product's own formula guard -----------------------------------------------------
HOSTILE = ["=1+1", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "+31612345678", "'t Hart", "＝1+1"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_of_hostile_names_reads_back_as_registered(world, kind):
    for n, name in enumerate(HOSTILE):
        make_jeugdige(
            world,
            given_name=f"Kind{n}",
            family_name=name,
            date_of_birth=D(2015, 3, 14) + dt.timedelta(days=n),
        )
    rows = exporter.export_rows(Jeugdige.objects.filter(region=world.region_a))
    data = exporter.export_csv(rows) if kind == "csv" else exporter.export_xlsx(rows)
    result = importer.run_import(data, filename=f"e.{kind}", region=world.region_a)
    assert (len(result.duplicate_rows), len(result.bad_rows)) == (len(HOSTILE), 0), [
        r.errors for r in result.bad_rows
    ]


# -- §6: BSN notations ----------------------------------------------------------------------
@pytest.mark.parametrize("written", ["123456782", "123.456.782", "123 456 782", "123-456-782"])
def test_bsn_with_dots_spaces_or_hyphens(world, written):
    result = run(world, csv_bytes(f"{written};A;B;02-11-2012;0114;av;;"))
    assert result.ok and Jeugdige.objects.get().bsn == "123456782"


def test_a_bsn_in_another_notation_is_named_as_such(world):
    result = run(world, csv_bytes("123/456/782;A;B;02-11-2012;0114;av;;"))
    ((column, reason),) = result.bad_rows[0].errors
    assert column == "bsn" and "not written as a BSN" in reason
