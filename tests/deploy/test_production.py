"""The deployment the README documents, proved end to end (issue 10 §1): collectstatic under
production settings, gunicorn behind the TLS proxy's X-Forwarded-Proto header, PostgreSQL,
Redis and a real Celery worker; every role's main page, a report requested and downloaded as a
real PDF, and the static files served.

Found on the landed code: collectstatic failed on the vendored files' source-map comments, and
without collected files every page answered 500 while /health/ said ok.
"""

from __future__ import annotations

import io
import os
import re
import time

import pytest
from pypdf import PdfReader

from tests.celery_harness import database_url
from tests.conftest import need_services
from tests.reports import factories as f

from .production import Client, log_in, production_site, usable_in_production

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The main page of each role, and a text that proves it rendered for that person.
MAIN_PAGES = {
    "lpa_a": ["/", "/jeugdigen/werklijst/", "/jeugdigen/"],
    "kartrekker_a": ["/", "/rapportages/regio/VO2202/", "/jeugdigen/"],
    "landelijk": ["/", "/rapportages/landelijk/"],
    "beheerder": ["/", "/audit/", "/beheer/"],
}


@pytest.fixture
def site(world, tmp_path):
    need_services(postgres=True, redis=True)
    usable_in_production(*(u for u in world.users.values() if u is not None))
    with production_site(
        database_url=database_url(),
        broker_url=os.environ["CELERY_BROKER_URL"],
        workdir=tmp_path,
    ) as running:
        yield running


def wait_for_pdf(client: Client, pk: int, timeout: float = 120) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/rapportages/{pk}/download/")
        if response.status == 200:
            return response
        assert response.status == 404, response.status
        time.sleep(0.5)
    from reports.models import Report

    report = Report.objects.get(pk=pk)
    raise AssertionError(f"report {pk} stayed {report.status}: {report.error}")


def test_the_documented_production_deployment_serves(site, world):
    jeugdige = f.jeugdige(world.region_a, world.emmen, is_focus=True)
    clients = {}
    for persona, pages in MAIN_PAGES.items():
        client = clients[persona] = site.client()
        log_in(client, world.user(persona).email)
        for path in pages:
            response = client.get(path)
            assert response.status == 200, (persona, path, response.status, site.log_text())
            assert world.user(persona).get_short_name() in response.text, (persona, path)
            # HTTPS as the proxy said: HSTS on every page.
            assert "max-age=" in response.headers.get("Strict-Transport-Security", "")
    # The LPA sees her case on the case list.
    assert jeugdige.reference in clients["lpa_a"].get("/jeugdigen/").text

    # Static files: hashed names from the manifest, served by whitenoise with a long cache.
    page = clients["lpa_a"].get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(re.search(r"bootstrap\.min\.[0-9a-f]{12}\.css$", a) for a in assets), assets
    assert any(re.search(r"htmx\.min\.[0-9a-f]{12}\.js$", a) for a in assets), assets
    for asset in assets:
        response = clients["lpa_a"].get(asset)
        assert response.status == 200, asset
        assert len(response.body) > 0
        assert "immutable" in response.headers.get("Cache-Control", ""), asset

    # A report: requested through the dashboard's form, built by the worker, downloaded.
    kartrekker = clients["kartrekker_a"]
    response = kartrekker.post_form(
        "/rapportages/regio/VO2202/", "/rapportages/regio/VO2202/aanvragen/", {}
    )
    assert response.status == 302, (response.status, response.text[:1000])
    pk = int(re.search(r"/rapportages/(\d+)/", response.location).group(1))
    assert kartrekker.get(f"/rapportages/{pk}/").status == 200
    pdf = wait_for_pdf(kartrekker, pk)
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert jeugdige.reference in text

    # /health/ agrees with what we just saw.
    health = site.client().get("/health/")
    assert health.status == 200, health.text

    # Without the proxy's header the request came over plain HTTP: redirected to HTTPS.
    plain = Client(site.port, forwarded_proto=None).get("/account/login/")
    assert plain.status == 301 and plain.location.startswith("https://")
