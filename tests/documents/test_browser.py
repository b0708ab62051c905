"""Issue 21 §5–6 in a real browser: a document uploaded on the case page and downloaded (and
refused to an LPA of another region: 404), and letters printed — the PDF downloaded and its
text read with pypdf. axe-core runs on the pages. Screenshots: var/screenshots/documents/."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import SCREENSHOTS
from tests.browser.test_layout import axe_violations, log_in
from tests.cases.factories import make_jeugdige
from tests.documents.helpers import pdf_bytes, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "documents"
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(user, base):
        # axe-core is injected as a script: the CSP rightly refuses it, so bypass it here.
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        log_in(page, base, user)
        return page

    yield make
    for context in contexts:
        context.close()


def _shot(page, name):
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png", full_page=True)


def test_a_document_is_uploaded_downloaded_and_refused_to_another_region(
    world, open_page, live_server, tmp_path
):
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")
    original = pdf_bytes(pages=2)
    upload = tmp_path / "verklaring van de psycholoog.pdf"
    upload.write_bytes(original)

    page = open_page(world.user("lpa_a"), live_server.url)
    page.goto(f"{live_server.url}/jeugdigen/{jeugdige.reference}/")
    panel = page.locator("section[aria-labelledby=h-documents]")
    panel.get_by_label("Kind of document").select_option("deskundigenverklaring")
    panel.get_by_label("Title").fill("Verklaring psycholoog 2026")
    panel.get_by_label("File").set_input_files(str(upload))
    panel.get_by_role("button", name="Upload document").click()
    page.wait_for_load_state()
    assert "The document has been added." in page.content()
    panel = page.locator("section[aria-labelledby=h-documents]")
    assert "Verklaring psycholoog 2026" in panel.inner_text()
    _shot(page, "1-case-with-document")
    assert axe_violations(page) == [], page.url

    with page.expect_download() as info:
        panel.get_by_role("link", name="Verklaring psycholoog 2026").click()
    download = info.value
    assert download.suggested_filename == f"{jeugdige.reference}-verklaring-psycholoog-2026.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read() == original
    href = panel.get_by_test_id("document-link").get_attribute("href")

    # An LPA of another region: the same address is not found.
    other = open_page(world.user("lpa_b"), live_server.url)
    response = other.goto(f"{live_server.url}{href}")
    assert response.status == 404


def test_letters_are_printed_as_pdf(world, open_page, live_server):
    world.emmen.letter_address = "Raadhuisplein 1"
    world.emmen.letter_postcode = "7811 AP"
    world.emmen.letter_city = "Emmen"
    world.emmen.save()
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")
    page = open_page(world.user("lpa_a"), live_server.url)
    page.goto(f"{live_server.url}/jeugdigen/{jeugdige.reference}/")
    page.get_by_role("link", name="Letter: invitation to a conversation").click()
    page.wait_for_load_state()
    page.get_by_label("Letter for").select_option("parent")
    page.get_by_label("Name of the recipient").fill("Marieke Bakkerveld")
    page.locator("#id_date").fill("2027-01-12")
    page.locator("#id_time").fill("14:30")
    page.locator("#id_place").fill("Gemeentehuis Emmen")
    _shot(page, "2-letter-form")
    assert axe_violations(page) == [], page.url
    with page.expect_download() as info:
        page.get_by_role("button", name="Download letter (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"{jeugdige.reference}-uitnodiging-gesprek.pdf"
    with open(download.path(), "rb") as fh:
        text = re.sub(r"\s+", " ", pdf_text(fh.read()))
    assert "Gemeente Emmen" in text and "7811 AP Emmen" in text
    assert "Beste Marieke Bakkerveld," in text and "over Fenna" in text
    assert "12-01-2027 om 14:30" in text and "Lotte LPA-A" in text

    # The family invitation, made on the case and downloaded as a letter.
    page.goto(f"{live_server.url}/jeugdigen/{jeugdige.reference}/")
    page.get_by_role("link", name="Invite parents or young person").click()
    page.wait_for_load_state()
    page.get_by_label("Parent / verzorger").check()
    page.get_by_label("Before the conversation").check()
    page.get_by_label("Name of the recipient").fill("Marieke Bakkerveld")
    page.get_by_label("As a printed letter").check()
    page.get_by_role("button", name="Create invitation").click()
    page.wait_for_load_state()
    link = page.get_by_test_id("family-link").inner_text().strip()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download letter (PDF)").click()
    with open(info.value.path(), "rb") as fh:
        text = re.sub(r"\s+", " ", pdf_text(fh.read()))
    assert "Gemeente Emmen" in text and "Lotte LPA-A" in text
    assert link.rstrip("/").rsplit("/", 1)[-1] in text.replace(" ", "")
