"""Every main page of every role, in a real browser at 390 px and 1366 px: no page scrolls
sideways, no table cell is cut off, and axe-core (WCAG 2.1 A/AA) finds nothing.

Screenshots of each page go to var/screenshots/<role>/<size>/ (a CI artifact, see README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import LAYOUT_JS, SCREENSHOTS, SIZES, slug, visit_main_pages
from tests.test_url_walk import BUILDERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_RUN = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`
  );
}
"""
ROLES = ("lpa_a", "kartrekker_a", "landelijk", "beheerder")
# Pages a role reaches that the navigation walk does not: the beheer forms.
EXTRA = {"beheerder": ("/beheer/wel/user/", "/beheer/wel/user/add/")}


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def log_in(page, base: str, user) -> None:
    """Through the real login form and, for roles that need it, the second-factor step (a TOTP
    device with the tests' known key); fails when the user does not end up signed in."""
    from tests.conftest import enrol_test_totp, fresh_totp_code

    device = enrol_test_totp(user)
    page.goto(f"{base}/account/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/account/tweede-factor/controle/" in page.url:
        page.locator("input[name=token]").fill(fresh_totp_code(device))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "/account/" not in page.url, page.url  # signed in, not stuck at a login step


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", ROLES)
def test_every_main_page_fits_and_passes_axe(world, browser, live_server, settings, persona, size):
    settings.LANGUAGE_CODE = "nl"  # what users see: the product's default language
    for builder in BUILDERS:
        builder(world)
    width, height = SIZES[size]
    # axe-core is injected as a script: our CSP rightly refuses it, so this context bypasses CSP.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, world.user(persona))
    folder = SCREENSHOTS / persona / size
    folder.mkdir(parents=True, exist_ok=True)
    faults = []
    pages = []
    for url in visit_main_pages(page, live_server.url, extra=EXTRA.get(persona, ())):
        pages.append(url)
        page.screenshot(path=folder / f"{slug(url)}.png", full_page=True)
        faults += [f"{url}: {fault}" for fault in page.evaluate(LAYOUT_JS)]
        faults += [f"{url}: axe {v}" for v in axe_violations(page)]
    context.close()
    assert len(pages) >= 6, pages
    assert not faults, "\n".join(faults[:40])
