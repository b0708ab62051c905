"""Journeys of issue 21 in a real browser, with axe-core on the new pages: find a case by BSN in
the header's search, hand a case over (adding the gemeente to the colleague's municipalities in
the same step), and a transfer between two regions, once accepted and once declined.
Screenshots: var/screenshots/case-journeys/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Jeugdige, Transfer
from tests.browser.pages import SCREENSHOTS
from tests.browser.test_layout import axe_violations, log_in
from tests.cases.factories import make_jeugdige
from tests.factories import MembershipFactory, UserFactory
from wel.models import AuditEvent, Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "case-journeys"


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(width=1366, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def checked(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)
    assert axe_violations(page) == [], page.url


@pytest.fixture
def case(world):
    return make_jeugdige(
        world, by=world.user("lpa_a"), assigned_lpa=world.user("lpa_a"), bsn="111222333"
    )


def test_find_a_case_by_bsn_in_the_header(world, open_page, live_server, case):
    page = open_page()
    log_in(page, live_server.url, world.user("lpa_a"))
    box = page.get_by_role("searchbox", name="Find a jeugdige")
    box.fill("111 222 333")
    box.press("Enter")
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.get_by_role("heading", name=f"{case.reference} · Sanne de Vries")).to_be_visible()
    event = AuditEvent.objects.get(event_type="cases.searched_by_bsn")
    assert event.jeugdige_reference == case.reference and "111222333" not in str(event.detail)


def test_kartrekker_hands_over_and_adds_the_gemeente(world, open_page, live_server, case):
    bram = UserFactory(email="bram.borger@wel.test", full_name="Bram Borger")
    MembershipFactory(user=bram, region=world.region_a, role=Role.LPA, gemeenten=[world.borger])
    page = open_page()
    log_in(page, live_server.url, world.user("kartrekker_a"))
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Hand over").click()
    page.get_by_label("Hand over to").select_option(label="Bram Borger (not in Emmen yet)")
    page.get_by_label("Add Emmen to the chosen colleague's municipalities and hand over").check()
    page.get_by_label("Handover note").fill("Bram neemt Emmen erbij; moeder bellen in maart.")
    checked(page, "handover-1-form")
    page.get_by_role("button", name="Hand over").click()
    expect(
        page.get_by_text(f"{case.reference} has been handed over to Bram Borger")
    ).to_be_visible()
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == bram
    membership = Membership.objects.get(user=bram, region=world.region_a)
    assert set(membership.gemeenten.all()) == {world.borger, world.emmen}


def _propose(page, base, case, note):
    page.goto(f"{base}{case.get_absolute_url()}")
    page.get_by_role("group", name="Actions for this case").get_by_role(
        "link", name="Report a move"
    ).click()
    page.get_by_label("Moves to").select_option(label="Assen (Regio Assen)")
    page.get_by_label("Note for the receiving side").fill(note)
    page.get_by_role("button", name="Propose the transfer").click()
    expect(page.get_by_text("is waiting for the receiving side")).to_be_visible()


def _open_waiting(page, base, case):
    page.goto(f"{base}/jeugdigen/werklijst/")
    page.get_by_role("link", name="Transfers", exact=True).click()
    page.get_by_role("link", name=f"Decide on {case.reference}").click()
    expect(page.get_by_text("2014", exact=True)).to_be_visible()  # the year of birth
    expect(page.get_by_text("Sanne")).to_have_count(0)  # not the name before acceptance


def test_a_transfer_between_regions_accepted(world, open_page, live_server, case):
    sender, receiver = open_page(), open_page()
    log_in(sender, live_server.url, world.user("lpa_a"))
    _propose(sender, live_server.url, case, "Gezin verhuist per 1 maart naar Assen.")
    checked(sender, "transfer-1-proposed")

    log_in(receiver, live_server.url, world.user("lpa_b"))
    _open_waiting(receiver, live_server.url, case)
    checked(receiver, "transfer-2-decide")
    receiver.get_by_label("Who takes the case on").select_option(label="Bert LPA-B")
    receiver.get_by_role("button", name="Accept the transfer").click()
    expect(
        receiver.get_by_role("heading", name=f"{case.reference} · Sanne de Vries")
    ).to_be_visible()
    expect(receiver.get_by_text("Transfer accepted").first).to_be_visible()

    response = sender.goto(f"{live_server.url}{case.get_absolute_url()}")
    assert response.status == 404  # the sending side lost access
    transfer = Transfer.objects.get()
    assert transfer.status == Transfer.Status.ACCEPTED
    codes = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"transfer.proposed", "transfer.viewed", "transfer.accepted"} <= codes


def test_a_transfer_declined_and_the_proposer_reads_why(world, open_page, live_server, case):
    sender, receiver = open_page(), open_page()
    log_in(sender, live_server.url, world.user("lpa_a"))
    _propose(sender, live_server.url, case, "Gezin verhuist misschien naar Assen.")

    log_in(receiver, live_server.url, world.user("lpa_b"))
    _open_waiting(receiver, live_server.url, case)
    receiver.get_by_label("Why you decline").fill("Het gezin staat niet ingeschreven in Assen.")
    receiver.get_by_role("button", name="Decline the transfer").click()
    expect(receiver.get_by_text("The transfer has been declined.")).to_be_visible()

    sender.goto(f"{live_server.url}/jeugdigen/overdrachten/")
    checked(sender, "transfer-3-declined")
    expect(sender.get_by_text("Het gezin staat niet ingeschreven in Assen.")).to_be_visible()
    assert sender.goto(f"{live_server.url}{case.get_absolute_url()}").status == 200
    assert Jeugdige.objects.get(pk=case.pk).region == world.region_a
