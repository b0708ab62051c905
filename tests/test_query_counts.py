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
# (memberships with their gemeenten). The case list writes its audit event and the processing
# log's lines of its page's cases in one statement on PostgreSQL
# (wel.processing_log.save_with_lines), one INSERT each elsewhere, however many rows the page has.
LOG = 0 if connection.vendor == "postgresql" else 1
PAGES = [
    ("kartrekker_a", "cases:list", [], 10 + LOG, 9 + LOG),
    ("lpa_a", "cases:list", [], 10 + LOG, 9 + LOG),
    # the four sections in one UNION ALL (+3 where parts of a union cannot be ordered: SQLite)
    # and the cases to review (one query, cases.selectors.review_list)
    # (the audit event and the processing log's lines of the cases shown: as the case list),
    # the focus panel: the regions, then their open focus cases (counted and listed, one query)
    ("kartrekker_a", "cases:worklist", [], 12 + LOG, 11 + LOG),
    ("lpa_a", "cases:worklist", [], 12 + LOG, 11 + LOG),
    # figures: one query per table of the database (reports.metrics: interviews, obstacles,
    # family, activities each counted once with conditional counts)
    ("kartrekker_a", "reports:region_dashboard", ["region_a"], 15, 14),
    # the phase select: one query; the national obstacle agenda, part of the one release: one
    ("landelijk", "reports:national_dashboard", [], 15, 14),
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


# The case page: the same three auth queries and the scope, the case and its view's audit row,
# then one query per panel (betrokkenen, activities, contacts, timeline, field history, access
# log, interviews, obstacles, the family's invitations with their contributions). The access
# log's role labels name the viewer's own regions from the scope, without a query. The view's
# processing log line (wel.processing_log) is written in the audit row's statement on
# PostgreSQL (save_with_lines), one INSERT more elsewhere. The documents panel (issue 21 §5) is
# one query more: the case's documents with their files and uploaders, however many.
CASE_PAGE = 16 if connection.vendor == "postgresql" else 17
# With words of the family: whom a contribution wants at the conversation (+1) and the
# agreements answered after it (+1), each one query however many there are.
CASE_PAGE_WITH_FAMILY_WORDS = CASE_PAGE + 2


def _family_words(world, j, n: int) -> None:
    from cases import services as case_services
    from family import services as family

    lpa = world.user("lpa_a")
    for i in range(n):
        parent = case_services.betrokkene_add(
            jeugdige=j, data={"kind": "ouder_verzorger", "name": f"Ouder {i}"}, by=lpa
        )
        before = family.invitation_create(
            jeugdige=j,
            audience="parent",
            purpose="before",
            delivery="letter",
            recipient_name=f"Ouder {i}",
            by=lpa,
        ).invitation
        family.contribution_submit(
            invitation=before, data={"going_well": "Goed.", "attendees": [parent]}
        )
        held = rf.interview(j, lpa, TODAY - dt.timedelta(days=i))
        step = rf.next_step(held, TODAY + dt.timedelta(days=7))
        after = family.invitation_create(
            jeugdige=j,
            audience="parent",
            purpose="after",
            delivery="letter",
            recipient_name=f"Ouder {i}",
            interview=held,
            steps=[step],
            by=lpa,
        ).invitation
        family.shared_steps_answer(invitation=after, answers={})
        family.invitation_create(  # still open: no extra query
            jeugdige=j, audience="parent", purpose="before", delivery="letter",
            recipient_name="Nog open", by=lpa,
        )  # fmt: skip


def _document(j, lpa) -> None:
    from documents.services import document_upload
    from tests.documents.helpers import pdf_bytes

    document_upload(jeugdige=j, kind="besluit", title="Besluit", data=pdf_bytes(), by=lpa)


def _case_data(world, j, client_lpa, n: int) -> None:
    lpa = world.user("lpa_a")
    for i in range(n):
        rf.contact(j, TODAY - dt.timedelta(days=i), by=lpa)
        rf.activity(j)
        rf.obstacle(world.region_a, jeugdige=j)
        rf.interview(j, lpa, TODAY - dt.timedelta(days=i))
        _document(j, lpa)
        client_lpa.get(j.get_absolute_url())  # an access-log row by someone of the region


def test_case_page_query_count_is_fixed(world, client_for, django_assert_num_queries):
    j = make_jeugdige(world)
    kartrekker, lpa = client_for("kartrekker_a"), client_for("lpa_a")
    url = j.get_absolute_url()
    _case_data(world, j, lpa, 2)
    for _ in range(2):
        cache.clear()
        with django_assert_num_queries(CASE_PAGE):
            assert kartrekker.get(url).status_code == 200
        _case_data(world, j, lpa, 10)
    _family_words(world, j, 1)
    for _ in range(2):
        with django_assert_num_queries(CASE_PAGE_WITH_FAMILY_WORDS):
            page = kartrekker.get(url)
        assert page.status_code == 200
        assert "Ouder 0" in page.content.decode() and "Goed." in page.content.decode()
        _family_words(world, j, 3)
