"""No browser or proxy cache keeps personal data: every answer to a signed-in user says
Cache-Control: no-store (issue 10 §2, found missing everywhere). The URL walk
(tests/test_url_walk.py) checks it on every URL for every persona; these are the kinds named in
the issue, and the two answers that must stay cacheable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= cache


def test_case_page_list_export_and_pdf_are_not_stored(client_for, world):
    jeugdige = f.jeugdige(world.region_a, world.emmen)
    report = f.done_report(region=world.region_a)
    lpa, kartrekker = client_for("lpa_a"), client_for("kartrekker_a")
    answers = {
        "case page": lpa.get(reverse("cases:detail", args=[jeugdige.reference])),
        "case list": lpa.get(reverse("cases:list")),
        "export": lpa.get(reverse("cases:export")),
        "PDF": kartrekker.get(reverse("reports:download", args=[report.pk])),
    }
    for kind, response in answers.items():
        assert response.status_code == 200, kind
        assert no_store(response), (kind, response.get("Cache-Control"))


def test_static_files_stay_cacheable(client):
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
