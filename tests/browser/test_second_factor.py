"""The second factor and the session warning in a real browser (under the production CSP)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import TEST_TOTP_KEY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.second_factor_real,
]


def csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


def test_lpa_logs_in_with_password_and_code(world, login_page, live_server):
    page = login_page(world.user("lpa_a"))
    assert page.url.rstrip("/") == live_server.url
    page.goto(f"{live_server.url}{reverse('cases:list')}")
    assert "/account/" not in page.url


def test_enrolment_page_runs_its_scripts_under_the_csp(world, page, live_server):
    from wel.second_factor import totp_code

    errors = csp_errors(page)
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("E-mail").fill("kartrekker.a@wel.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/account/tweede-factor/" in page.url
    # The passkey script replaced its placeholder (with the button or the "cannot" text).
    page.wait_for_function("!document.getElementById('passkey-registration-placeholder')")
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_load_state()
    page.get_by_text("Cannot scan? Type this key instead").click()
    secret = page.locator("code").inner_text().replace(" ", "")
    assert len(secret) == 32
    import base64

    key = base64.b32decode(secret).hex()
    page.get_by_label("Code from the app").fill(totp_code(key))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    expect(page.get_by_text("shown only once")).to_be_visible()
    assert errors == []
    assert TEST_TOTP_KEY  # the fixture's key is not used here: the user enrolled themselves


def test_session_warning_and_stay_logged_in(world, login_page, live_server, settings):
    settings.WEL_SESSION_IDLE_MINUTES = 1
    settings.WEL_SESSION_WARNING_SECONDS = 57  # the warning shows about 3 seconds after load
    page = login_page(world.user("lpa_a"))
    errors = csp_errors(page)
    page.goto(f"{live_server.url}/")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=10_000)
    page.get_by_role("button", name="Stay logged in").click()
    warning.wait_for(state="hidden", timeout=5_000)
    assert errors == []
