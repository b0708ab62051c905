"""A notification received and read, in a real browser at 390 and 1366 px: the kartrekker
hands a case over, the LPA sees the bell's count, opens the notice, lands on the case, and the
count is gone. axe-core on every page; screenshots in var/screenshots/notifications/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from tests.browser.pages import LAYOUT_JS, SCREENSHOTS, SIZES
from tests.browser.test_layout import axe_violations, log_in
from tests.cases.factories import make_jeugdige

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "notifications"


def checked(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)
    assert page.evaluate(LAYOUT_JS) == [], page.url
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_notification_received_and_read(world, browser, live_server, size):
    width, height = SIZES[size]
    lpa = world.user("lpa_a")
    case = make_jeugdige(world, given_name="Zoë", family_name="Bakkerstraat")
    case_services.jeugdige_handover(
        jeugdige=case, to=lpa, note="Graag oppakken.", by=world.user("kartrekker_a")
    )
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    try:
        page = context.new_page()
        log_in(page, live_server.url, lpa)
        bell = page.get_by_test_id("notification-bell")
        expect(bell).to_be_visible()  # beside the search, also on a phone without the menu
        expect(page.get_by_test_id("notification-count")).to_have_text("1 unread")
        checked(page, f"{size}-1-bell")
        bell.click()
        expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
        notice = page.get_by_test_id("notifications").get_by_role("listitem")
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text(f"Case {case.reference} has been assigned to you.")
        expect(notice).not_to_contain_text("Zoë")
        checked(page, f"{size}-2-list")
        notice.get_by_role("button", name=f"Open {case.reference}").click()
        page.wait_for_load_state()
        assert page.url.endswith(case.get_absolute_url())
        expect(page.get_by_test_id("notification-count")).to_have_count(0)
        page.get_by_test_id("notification-bell").click()
        expect(page.get_by_test_id("notifications")).not_to_contain_text("new")
        expect(page.get_by_test_id("read-all")).to_have_count(0)
        checked(page, f"{size}-3-read")
    finally:
        context.close()
