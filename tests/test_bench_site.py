"""The bench-only comparison pages (tests/bench_site) show the case list's own rows."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.bench_site.urls")
def test_admin_changelist_and_floor_show_the_case_lists_25_rows(world, client_for):
    region = world.region_a
    for i in range(30):
        make_jeugdige(world, given_name=f"Kind{i}")
    client = client_for("kartrekker_a")
    case_list = [j.reference for j in client.get("/jeugdigen/").context["page"]]
    assert len(case_list) == 25
    admin = client.get("/bench/admin/cases/jeugdige/")
    floor = client.get("/bench/floor/")
    assert admin.status_code == floor.status_code == 200
    prefix = region.reference_prefix
    in_admin = list(dict.fromkeys(re.findall(rf"({prefix}-\d{{4}}-\d+)", admin.text)))
    in_floor = list(dict.fromkeys(re.findall(rf"({prefix}-\d{{4}}-\d+)", floor.text)))
    assert in_admin == case_list
    assert in_floor == case_list
    assert "30 jeugdigen" in floor.text


def test_the_comparison_pages_are_not_in_the_products_urls(client_for):
    client = client_for("kartrekker_a")
    assert client.get("/bench/floor/").status_code == 404
    assert client.get("/bench/admin/cases/jeugdige/").status_code == 404
