"""Issue 20 §1: what each audience is given, per view and export (persona tests).

The landelijk team gets of a region only its key figures from the national release (and its
moreel beraad sessions, not about children): no breakdown per region, no list of jeugdigen
(the focus table listed each focus child with its step), on the page, in an export or in the
PDF. The region's own people keep every table, exact. Page and download of the same table
show the same protected cells.
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.release import NATIONAL_TABLES

REGION_TABLES = (
    "grondslag",
    "status",
    "age",
    "worklist",
    "interviews",
    "family",
    "activities",
    "obstacles",
    "agenda",
    "beraad",
    "trend",
    "focus",
)


def rows_of(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in ws.iter_rows()][1:]


def test_national_roles_get_no_breakdown_or_list_of_a_region(figures, world, client_for):
    """On the landed code the landelijk team downloaded every region table, focus.csv with each
    focus child's reference and step among them (200); now 404, in both formats."""
    landelijk = client_for("landelijk")
    member = client_for("kartrekker_a")
    for key in [k for k in REGION_TABLES if k != "beraad"]:
        for fmt in ("csv", "xlsx"):
            url = reverse("reports:region_export", args=[world.region_a.code, key, fmt])
            assert landelijk.get(url).status_code == 404, key
    for key in ("grondslag", "focus"):  # the region's own people keep them
        url = reverse("reports:region_export", args=[world.region_a.code, key, "csv"])
        assert member.get(url).status_code == 200, key


def test_the_focus_list_is_not_on_the_page_for_national_roles(figures, world, client_for):
    url = reverse("reports:region_dashboard", args=[world.region_a.code])
    page = client_for("landelijk").get(url)
    assert page.status_code == 200
    assert figures.j1.reference.encode() not in page.content
    assert figures.j2.reference.encode() not in page.content
    for persona in ("kartrekker_a", "lpa_a"):
        own = client_for(persona).get(url)
        assert figures.j1.reference.encode() in own.content  # the region's own people


def test_who_gets_what_of_a_region(figures, world, client_for):
    url = reverse("reports:region_dashboard", args=[world.region_a.code])
    expected = {
        "kartrekker_a": list(REGION_TABLES),
        "lpa_a": list(REGION_TABLES),
        "landelijk": ["keyfigures", "beraad"],
    }
    for persona, keys in expected.items():
        response = client_for(persona).get(url)
        assert [s.table.key for s in response.context["figures"]] == keys, persona
    assert client_for("lpa_b").get(url).status_code == 404
    assert client_for("beheerder").get(url).status_code == 403
    export = reverse("reports:region_export", args=[world.region_a.code, "keyfigures", "csv"])
    assert client_for("lpa_b").get(export).status_code == 404
    assert client_for("beheerder").get(export).status_code == 403
    # key figures are the national view of a region: the members have their full tables
    assert client_for("kartrekker_a").get(export).status_code == 404


def test_the_region_page_and_its_export_are_the_national_row(figures, world, client_for):
    """One release: the region's key figures on its page, in its CSV and XLSX, and its row in
    the national table and the national CSV are the same protected cells."""
    client = client_for("landelijk")
    page = client.get(reverse("reports:region_dashboard", args=[world.region_a.code]))
    table = page.context["figures"][0].table
    shown = [str(v) for v in (r[1] for r in table.rows)]
    national = client.get(reverse("reports:national_dashboard"))
    regions = next(s.table for s in national.context["figures"] if s.table.key == "regions")
    row = next(r for r in regions.rows if r.key == world.region_a.code)
    assert shown == [str(v) for v in row[1:]]
    for fmt in ("csv", "xlsx"):
        export = client.get(
            reverse("reports:region_export", args=[world.region_a.code, "keyfigures", fmt])
        )
        assert [r[1] for r in rows_of(export)[1:]] == shown
        whole = client.get(reverse("reports:national_export", args=["regions", fmt]))
        line = next(r for r in rows_of(whole) if r[0] == world.region_a.name)
        assert line[1:] == shown


def test_every_national_table_is_the_same_on_the_page_and_in_its_downloads(
    figures, world, client_for
):
    """The landed code protected each export alone: the national table's "Open" was "x" on the
    page for every region with cases, while regions.csv showed the numbers."""
    client = client_for("landelijk")
    page = client.get(reverse("reports:national_dashboard"))
    for key in NATIONAL_TABLES:
        table = next(s.table for s in page.context["figures"] if s.table.key == key)
        expected = [[str(v) for v in r] for r in table.as_rows()[1:]]
        for fmt in ("csv", "xlsx"):
            got = rows_of(client.get(reverse("reports:national_export", args=[key, fmt])))[1:]
            assert got == expected, (key, fmt)


def test_national_exports_are_refused_to_everyone_else(figures, world, client_for):
    url = reverse("reports:national_export", args=["regions", "csv"])
    for persona in ("kartrekker_a", "lpa_a", "beheerder"):
        assert client_for(persona).get(url).status_code == 403
