"""The issue's story in a real browser: the kartrekker opens the dashboard, requests the
region report, watches it and downloads the PDF; the landelijk team makes a phase report.
(Tasks run in-process here; tests/reports/test_celery.py covers the real worker.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kartrekker_requests_and_downloads_the_region_report(world, login_page, live_server):
    kid = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    page = login_page(world.user("kartrekker_a"))
    page.get_by_role("link", name=f"Dashboard {world.region_a.name}").click()
    expect(page.get_by_role("heading", name="Jeugdigen by grondslag")).to_be_visible()
    assert page.locator("svg.wel-chart title").first.text_content()  # charts carry a title
    page.get_by_role("button", name="Make the progress report (PDF)").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    path = download.value.path()
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert kid.reference in text and kid.family_name not in text


def test_landelijk_team_makes_a_phase_report(world, login_page, live_server):
    page = login_page(world.user("landelijk"))
    page.goto(f"{live_server.url}/rapportages/landelijk/")
    expect(page.get_by_role("heading", name="National dashboard")).to_be_visible()
    expect(page.get_by_role("link", name=world.region_a.name)).to_be_visible()
    page.locator("select#id_phase").select_option(label="1. Pilot")
    page.get_by_role("button", name="Make the report").click()
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=30_000)
    expect(page.get_by_text("ready")).to_be_visible()
