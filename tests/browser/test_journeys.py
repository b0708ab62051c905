"""Journeys of issue 11 in a real browser, with axe-core on every page reached: the landelijk
team from rollout to the phase PDF (no child's name in it), the beheerder managing a
membership, and the LPA logging a contact by keyboard only. (The LPA's import-to-close journey
is tests/cases/test_browser.py; the kartrekker's region PDF is tests/reports/test_browser.py.)
Screenshots: var/screenshots/journeys/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.pages import SCREENSHOTS
from tests.browser.test_layout import axe_violations, log_in
from tests.reports import factories as f
from wel.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "journeys"


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(width=1366, height=900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, bypass_csp=True, accept_downloads=True
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def checked(page, name: str) -> None:
    """Screenshot the page and assert axe-core finds no WCAG 2.1 A/AA violation on it."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)
    assert axe_violations(page) == [], page.url


def test_landelijk_team_from_rollout_to_a_phase_pdf_without_names(world, open_page, live_server):
    kid = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    page = open_page()
    log_in(page, live_server.url, world.user("landelijk"))
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Rollout").click()
    checked(page, "landelijk-1-rollout")
    nav.get_by_role("link", name="Dashboard").click()
    checked(page, "landelijk-2-dashboard")
    page.locator("select#id_phase").select_option(label="1. Pilot")
    page.get_by_role("button", name="Make the report").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=30_000)
    checked(page, "landelijk-3-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert world.region_a.name in text
    for personal in (kid.given_name, kid.family_name, kid.reference):
        assert personal not in text


def test_beheerder_gives_a_user_a_membership(world, open_page, live_server):
    page = open_page()
    log_in(page, live_server.url, world.user("beheerder"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Management"
    ).click()
    checked(page, "beheerder-1-index")
    page.get_by_role("link", name="Users").first.click()
    checked(page, "beheerder-2-users")
    page.get_by_role("link", name=world.user("lpa_b").email).click()
    checked(page, "beheerder-3-user")
    page.get_by_role("button", name=re.compile("Add another membership", re.I)).click()
    row = page.locator(".dynamic-memberships").last
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Emmen")
    page.locator(".select2-results__option", has_text=world.region_a.name).click()
    row.get_by_label("Role").select_option(Role.KARTREKKER)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    page.screenshot(path=FOLDER / "beheerder-4-after-save.png", full_page=True)
    page.get_by_text("was changed successfully").first.wait_for(timeout=10_000)
    checked(page, "beheerder-4-saved")
    assert Membership.objects.filter(
        user=world.user("lpa_b"), region=world.region_a, role=Role.KARTREKKER
    ).exists()


def test_lpa_logs_a_contact_by_keyboard_only(world, open_page, live_server):
    from tests.conftest import enrol_test_totp, fresh_totp_code

    kid = f.jeugdige(world.region_a, world.emmen)
    device = enrol_test_totp(world.user("lpa_a"))
    page = open_page()
    page.goto(f"{live_server.url}/account/login/")
    # the login form has the focus on its first field
    page.keyboard.type(world.user("lpa_a").email)
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    # the second step: the code field has the focus
    page.wait_for_url(re.compile(r".*/account/tweede-factor/controle/.*"))
    page.keyboard.type(fresh_totp_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{kid.get_absolute_url()}")
    checked(page, "keyboard-1-case")
    page.keyboard.press("Tab")  # skip to main content
    page.keyboard.press("Tab")  # skip to the actions for this case
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#case-actions"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add contact moment"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    checked(page, "keyboard-2-contact-form")
    # the form has the focus on its first field (the date, filled in: today)
    assert page.evaluate("document.activeElement.name") == "date"
    tabs = 0
    while page.evaluate("document.activeElement.name") != "kind" and tabs < 6:
        page.keyboard.press("Tab")
        tabs += 1
    page.keyboard.press("ArrowDown")  # the first kind of contact
    while page.evaluate("document.activeElement.name") != "summary" and tabs < 8:
        page.keyboard.press("Tab")
        tabs += 1
    page.keyboard.type("Gebeld met moeder; afspraak voor huisbezoek.")
    while page.evaluate("document.activeElement.type") != "submit" and tabs < 12:
        page.keyboard.press("Tab")
        tabs += 1
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{kid.get_absolute_url()}")
    expect(page.get_by_text("afspraak voor huisbezoek").first).to_be_visible()
    checked(page, "keyboard-3-logged")
    assert kid.contacten.count() == 1
