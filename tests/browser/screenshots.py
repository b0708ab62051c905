"""Photograph every main page of every demo role at 390 px and 1366 px.

    .venv/bin/python tests/browser/screenshots.py http://127.0.0.1:8000

Needs `make demo` data and a running site. Writes var/screenshots/<role>/<size>/<page>.png and
prints each page's layout faults (sideways scrolling, cut-off table cells).
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from tests.browser.pages import LAYOUT_JS, SCREENSHOTS, SIZES, slug, visit_main_pages

PASSWORD = "wel-demo-2026"
ROLES = {
    "lpa": "lpa.emm@wel.example",
    "kartrekker": "kartrekker.emm@wel.example",
    "landelijk": "landelijk@wel.example",
    "beheerder": "beheerder@wel.example",
}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def main(base: str, roles: list[str]) -> int:
    faults = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for role in roles:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(base + "/account/login/")
                page.fill("input[name=username]", ROLES[role])
                page.fill("input[name=password]", PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state()
                folder = SCREENSHOTS / role / size
                folder.mkdir(parents=True, exist_ok=True)
                for url in visit_main_pages(page, base):
                    page.screenshot(path=folder / f"{slug(url)}.png", full_page=True)
                    for fault in page.evaluate(LAYOUT_JS):
                        faults += 1
                        print(f"{role} {size} {url}: {fault}")
                context.close()
        browser.close()
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:] or list(ROLES)))
