"""Queries per main page: exact, and the same whatever the amount of data (issue 12).

Every main page is pinned twice: *cold* (empty cache: the counts of cases.counts are computed)
and *warm* (the same request again: the counts are read under unchanged region tokens). Then ten
times the data is added and the cold and warm numbers must not move.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import make_jeugdige
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

# (persona, url name, args, cold, warm); each includes the query of django-otp's middleware
# that loads the session's verified second-factor device, and one query for the user's scope
# (memberships with their gemeenten).
PAGES = [
    ("kartrekker_a", "cases:list", [], 10, 9),
    ("lpa_a", "cases:list", [], 10, 9),
    # the four sections in one UNION ALL (+3 where parts of a union cannot be ordered: SQLite)
    ("kartrekker_a", "cases:worklist", [], 12, 11),
    ("lpa_a", "cases:worklist", [], 12, 11),
    # figures: one query per table of the database (reports.metrics: interviews, obstacles,
    # family, activities each counted once with conditional counts)
    ("kartrekker_a", "reports:region_dashboard", ["region_a"], 15, 14),
    ("landelijk", "reports:national_dashboard", [], 14, 13),  # the phase select: one query
]


def _grow(world, n: int) -> None:
    lpa = world.user("lpa_a")
    for i in range(n):
        j = make_jeugdige(
            world,
            given_name=f"Kind{i}",
            next_contact_due=TODAY - dt.timedelta(days=1 + i % 3),
            is_focus=i % 2 == 0,
            assigned_lpa=lpa if i % 3 == 0 else None,
        )
        rf.interview(j, lpa, TODAY - dt.timedelta(days=i))
        rf.obstacle(world.region_a)
        make_jeugdige(world, gemeente=world.assen, region=world.region_b, by=world.user("lpa_b"))


@pytest.mark.parametrize("persona,name,args,cold,warm", PAGES)
def test_main_page_query_counts(
    world, client_for, django_assert_num_queries, persona, name, args, cold, warm
):
    url = reverse(name, args=[getattr(world, a).code for a in args])
    if name == "cases:worklist" and not connection.features.supports_slicing_ordering_in_compound:
        cold, warm = cold + 3, warm + 3
    client = client_for(persona)
    _grow(world, 2)
    for _ in range(2):
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(warm):
            assert client.get(url).status_code == 200
        _grow(world, 20)
