"""The login page in a real browser: the demo flow a user meets first."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_shows_the_navigation_for_the_role(world, login_page, live_server):
    page = login_page(world.user("landelijk"))
    assert page.url.rstrip("/") == live_server.url
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Rollout")).to_be_visible()
    nav.get_by_role("link", name="Rollout").click()
    expect(page.get_by_role("heading", name="Rollout of the programme")).to_be_visible()


def test_wrong_password_shows_a_message_and_stays_on_login(world, login_page, live_server):
    page = login_page(world.user("lpa_a"), password="not-the-password")
    assert "/account/login/" in page.url
    expect(page.get_by_text("Please enter a correct")).to_be_visible()
