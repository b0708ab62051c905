"""The API's lists cost a fixed number of queries, whatever the number of rows (the same
discipline as the pages, tests/test_query_counts.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from interviews.models import NextStep
from tests.cases.factories import make_jeugdige
from tests.interviews.factories import InterviewFactory

pytestmark = pytest.mark.django_db

# Per call: the access token (1) and its client with the service account (1), the client's
# scope (memberships with gemeenten, 1); then the list: count and page (2); for lists of
# children the audit event and the processing log's lines of the page (one statement on
# PostgreSQL, wel.processing_log.save_with_lines; one INSERT each elsewhere). The regions' and
# gemeenten's lists prefetch the other side (1), the conversations their next steps (1). The
# jeugdigen's total is kept under the regions' case tokens (cases.counts): the tokens (1) and,
# when a case changed since, the count (1) — here always, as the test adds cases in between.
# Savepoints are not counted.
EVENT = 1 if connection.vendor == "postgresql" else 2
LISTS = [
    ("/api/v1/jeugdigen", 6 + EVENT),
    ("/api/v1/vrijstellingen", 5 + EVENT),
    ("/api/v1/gesprekken", 6 + EVENT),
    ("/api/v1/vervolgstappen", 5 + EVENT),
    ("/api/v1/regios", 6),
    ("/api/v1/gemeenten", 6),
]


def _grow(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        jeugdige = make_jeugdige(world, given_name=f"Kind{i}", family_name="Groei")
        interview = InterviewFactory(jeugdige=jeugdige, interviewer=world.user("kartrekker_a"))
        NextStep.objects.create(
            interview=interview, description=f"Stap {i}", owner="LPA", due_on="2030-01-01"
        )


def _queries(caller, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path, **caller.headers())
    assert response.status_code == 200, response.content
    return len(
        [
            q
            for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]
    )


@pytest.mark.parametrize("path,pinned", LISTS)
def test_list_query_count_is_pinned_and_constant(api, world, path, pinned):
    caller = api("kartrekker_a")
    _grow(world, 1, 0)
    one = _queries(caller, path)
    _grow(world, 9, 1)
    ten = _queries(caller, path)
    assert one == ten, f"{path}: {one} queries with 1 row, {ten} with 10"
    assert ten == pinned, f"{path}: {ten} queries, pinned at {pinned}"


def test_the_jeugdigen_total_once_counted_costs_one_query_less(api, world):
    caller = api("kartrekker_a")
    _grow(world, 3, 0)
    first = _queries(caller, "/api/v1/jeugdigen")
    again = _queries(caller, "/api/v1/jeugdigen")
    assert (first, again) == (6 + EVENT, 5 + EVENT)
