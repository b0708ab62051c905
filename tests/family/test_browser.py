"""Issue 13 in a real browser at phone size (390 × 844): a parent opens the link, enters the
code, answers and chooses who attends, and the LPA then sees it on the case; then the young
person. axe-core runs on every family page; none may scroll sideways.
Screenshots: var/screenshots/family/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.services import betrokkene_add
from family import services
from family.models import Contribution
from tests.browser.pages import SCREENSHOTS
from tests.browser.test_layout import axe_violations, log_in
from tests.cases.factories import make_jeugdige
from tests.conftest import enrol_test_totp, fresh_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "family"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(viewport=PHONE):
        # axe-core is injected as a script: the CSP rightly refuses it, so bypass it here.
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def checked(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _invite(world, jeugdige, audience):
    new = services.invitation_create(
        jeugdige=jeugdige,
        audience=audience,
        purpose="before",
        delivery="letter",
        recipient_name="Familie Bakker",
        by=world.user("lpa_a"),
    )
    return new.token, new.code


def _staff_page(open_page, live_server, user):
    staff = open_page({"width": 1366, "height": 900})
    device = enrol_test_totp(user)
    log_in(staff, live_server.url, user)
    if "/account/tweede-factor/controle/" in staff.url:  # the second step of the login
        staff.get_by_label("Code").fill(fresh_totp_code(device))
        staff.get_by_role("button", name="Continue").click()
        staff.wait_for_load_state()
    return staff


def test_a_parent_answers_on_a_phone_and_the_lpa_sees_it(world, open_page, live_server):
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")
    betrokkene_add(
        jeugdige=jeugdige,
        data={"kind": "school", "name": "Meester Jan", "organisation": "De Klimop"},
        by=world.user("lpa_a"),
    )
    # The LPA invites from the case page: a printed letter, the code shown once.
    staff = _staff_page(open_page, live_server, world.user("lpa_a"))
    staff.goto(f"{live_server.url}/jeugdigen/{jeugdige.reference}/")
    staff.get_by_role("link", name="Invite parents or young person").click()
    staff.wait_for_load_state()
    assert axe_violations(staff) == [], staff.url
    staff.get_by_label("Parent / verzorger").check()
    staff.get_by_label("Before the conversation").check()
    staff.get_by_label("Name of the recipient").fill("Familie Bakker")
    staff.get_by_label("As a printed letter").check()
    staff.get_by_role("button", name="Create invitation").click()
    staff.wait_for_load_state()
    FOLDER.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=FOLDER / "parent-0-lpa-letter.png", full_page=True)
    assert axe_violations(staff) == [], staff.url
    code = staff.get_by_test_id("family-code").inner_text().strip()
    link = staff.get_by_test_id("family-link").inner_text().strip()

    page = open_page()
    page.goto(link)
    assert "Fenna" in page.content() and "Bakkerveld" not in page.content()
    checked(page, "parent-1-code")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    checked(page, "parent-2-questions")
    page.get_by_label("What is going well?").fill("Fenna helpt elke ochtend op de boerderij.")
    page.get_by_label("What does your child need?").fill("Rust en een vaste begeleider.")
    page.get_by_label("What do you need as a parent?").fill("Eén aanspreekpunt.")
    page.get_by_label("Meester Jan (School)").check()
    page.get_by_label("The youth doctor").check()
    page.get_by_label("Yes, we take part in WEL in Ontwikkeling.").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert "Thank you" in page.content()
    checked(page, "parent-3-thanks")

    staff.goto(f"{live_server.url}/jeugdigen/{jeugdige.reference}/")
    panel = staff.locator("section[aria-labelledby=h-family]")
    assert "Fenna helpt elke ochtend op de boerderij." in panel.inner_text()
    assert "chosen by the parents" in panel.inner_text()
    staff.screenshot(path=FOLDER / "parent-4-lpa-case.png", full_page=True)
    assert axe_violations(staff) == []
    jeugdige.refresh_from_db()
    assert jeugdige.consent_date == timezone.localdate()


def test_the_young_person_answers_in_their_own_words(world, open_page, live_server):
    today = timezone.localdate()
    jeugdige = make_jeugdige(
        world, given_name="Sam", date_of_birth=today.replace(year=today.year - 15) - dt.timedelta(1)
    )
    token, code = _invite(world, jeugdige, "young_person")
    page = open_page()
    page.goto(f"{live_server.url}/uitnodiging/{token}/")
    checked(page, "young-1-code")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    checked(page, "young-2-questions")
    assert "What do you need as a parent?" not in page.content()
    page.get_by_label("What do you like doing?").fill("Filosofie en gamen.")
    page.get_by_label("What do you want to get better at?").fill("Wiskunde.")
    page.get_by_label("What do you need?").fill("Een goeie mentor.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    checked(page, "young-3-thanks")
    contribution = Contribution.objects.get(jeugdige=jeugdige)
    assert contribution.likes == "Filosofie en gamen." and contribution.needs == "Een goeie mentor."
    # The same link again: refused, naming nothing.
    page.goto(f"{live_server.url}/uitnodiging/{token}/")
    assert "This link does not work (any more)" in page.content() and "Sam" not in page.content()
