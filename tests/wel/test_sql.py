"""wel.sql: ``AnyOf`` finds what ``__in`` finds, on PostgreSQL with one array parameter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Jeugdige
from tests.cases.factories import make_jeugdige
from wel.sql import AnyOf

pytestmark = pytest.mark.django_db

BSNS = ("111222333", "123456782", "")


@pytest.fixture
def three(world):
    return [
        make_jeugdige(world, bsn=bsn, date_of_birth=dt.date(2013, 1, 1 + n))
        for n, bsn in enumerate(BSNS)
    ]


def _refs(queryset) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


# The fixture only reads: its three cases serve every example.
@given(
    bsns=st.lists(st.sampled_from([*BSNS, "999999999", None]), max_size=6),
    days=st.lists(st.integers(0, 4), max_size=4),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_of_finds_what_in_finds(three, bsns, days):
    dates = [dt.date(2013, 1, 1 + d) for d in days]
    for field, values in (("bsn", bsns), ("date_of_birth", dates)):
        expected = _refs(Jeugdige.objects.filter(**{f"{field}__in": values}))
        assert _refs(Jeugdige.objects.filter(AnyOf(F(field), values))) == expected
        # also negated and combined, as the importer and services use it
        assert _refs(Jeugdige.objects.exclude(AnyOf(F(field), values))) == _refs(
            Jeugdige.objects.exclude(**{f"{field}__in": values})
        )


def test_on_postgresql_the_values_are_one_parameter(three):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL writes = ANY(%s); elsewhere __in's own SQL")
    values = [f"{n:09d}" for n in range(5000)] + [BSNS[0]]
    with CaptureQueriesContext(connection) as queries:
        assert _refs(Jeugdige.objects.filter(AnyOf(F("bsn"), values))) == {three[0].reference}
    (query,) = queries.captured_queries
    # (Django's capture shows the SQL with the parameter written in: one ARRAY[…])
    assert "= ANY(ARRAY[" in query["sql"] and " IN (" not in query["sql"]


def test_rows_of_an_empty_question_are_none_without_a_query(world, django_assert_num_queries):
    """A filter on an empty list: Django knows the answer before asking (EmptyResultSet); the
    queryset answers no rows, and so does wel.sql.rows, whose SQL could not be built."""
    from wel.sql import rows

    make_jeugdige(world)
    with django_assert_num_queries(0):
        assert rows(("test.empty",), lambda: Jeugdige.objects.filter(pk__in=[]).values("pk")) == []
    assert list(Jeugdige.objects.filter(pk__in=[]).values("pk")) == []
    with django_assert_num_queries(1):
        found = rows(("test.all",), lambda: Jeugdige.objects.values("reference"))
    assert found == list(Jeugdige.objects.values("reference"))
