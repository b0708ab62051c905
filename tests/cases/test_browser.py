"""The LPA's day in a real browser: import a list, open a case, add a contact, move the
status, close it."""

import pytest
from playwright.sync_api import expect

from cases.models import Jeugdige, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = (
    "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag;vrijstelling_ingang;"
    "vrijstelling_einde;laatste_school;toelichting\r\n"
    "111222333;Sanne;de Vries;14-03-2014;0114;5a;01-08-2025;31-07-2026;OBS De Esch;\r\n"
    ";Daan;Bakker;02-11-2012;Emmen;absoluut verzuim;;;;\r\n"
)


def test_lpa_imports_works_and_closes_a_case(world, login_page, live_server, tmp_path):
    lijst = tmp_path / "vrijstellingen.csv"
    lijst.write_bytes(LIST.encode("cp1252"))
    page = login_page(world.user("lpa_a"))

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Import"
    ).click()
    page.get_by_label("File").set_input_files(str(lijst))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Import preview")).to_be_visible()
    page.get_by_role("button", name="Import 2 jeugdigen").click()
    expect(page.get_by_text("2 jeugdigen have been imported")).to_be_visible()
    assert Jeugdige.objects.count() == 2

    sanne = Jeugdige.objects.get(given_name="Sanne")
    page.get_by_role("link", name=sanne.reference).click()
    expect(page.get_by_role("heading", name=f"{sanne.reference} · Sanne de Vries")).to_be_visible()

    page.get_by_role("group", name="Actions for this case").get_by_role(
        "link", name="Add contact moment"
    ).click()
    page.get_by_label("Kind").select_option("huisbezoek")
    page.get_by_label("Summary").fill("Op huisbezoek; Sanne liet haar tekeningen zien.")
    page.get_by_role("button", name="Add contact moment").click()
    expect(page.get_by_text("Sanne liet haar tekeningen zien").first).to_be_visible()

    status = page.get_by_label("New status")
    # forward moves first and preselected; backward moves labelled, never preselected
    assert status.evaluate("s => s.options[s.selectedIndex].parentElement.label") == "Next step"
    status.select_option(Status.CONTACT_OUDERS)
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("The status has been changed.")).to_be_visible()

    page.get_by_role("link", name="Close case").click()
    reason = page.get_by_label("Closing reason")
    assert reason.input_value() == ""  # no reason preselected
    reason.select_option("passend_aanbod")
    page.get_by_role("button", name="Close case").click()
    expect(page.get_by_text(f"{sanne.reference} has been closed.")).to_be_visible()
    sanne.refresh_from_db()
    assert sanne.status == Status.AFGESLOTEN
    assert sanne.last_contact_on is not None
    assert [e.kind for e in sanne.timeline.order_by("at", "pk")][:1] == ["import"]
