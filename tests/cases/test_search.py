"""The search box in the header (issue 21 §1): reference, name (accents and word order do not
matter), BSN (exact, audited) and date of birth; only within the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.search import bsn_valid, normalise, parse
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
BSN = "111222333"


@pytest.fixture
def cases(world):
    emmen = make_jeugdige(
        world,
        given_name="Sanne",
        family_name="de Vries",
        bsn=BSN,
        date_of_birth=dt.date(2014, 3, 14),
    )
    borger = make_jeugdige(
        world,
        gemeente=world.borger,
        given_name="Zoë",
        family_name="Öztürk",
        bsn="123456782",
        date_of_birth=dt.date(2013, 7, 1),
    )
    return emmen, borger


def found(client, q):
    response = client.get(reverse("cases:search"), {"q": q})
    assert response.status_code == 200
    return [j.reference for j in response.context["result"].rows]


def test_parse_tells_bsn_date_and_text_apart():
    assert parse("111 222 333").kind == "bsn"
    assert parse("111222334").kind == "invalid_bsn"
    assert parse("14-03-2014").date == dt.date(2014, 3, 14)
    assert parse("1/7/2013").date == dt.date(2013, 7, 1)
    assert parse("31-02-2014").kind == "invalid_date"
    assert parse("de Vries").words == ("de", "vries")
    assert normalise("Zoë  Öztürk-Bakker") == "zoe ozturk bakker"
    assert bsn_valid(BSN) and not bsn_valid("000000000")


def test_the_lpa_finds_by_every_kind(world, client_for, cases):
    """Issue 21: search by BSN or date of birth found nothing, even for a registered BSN."""
    emmen, _borger = cases
    lpa = client_for("lpa_a")
    for q in (
        BSN,
        "111 222 333",
        "14-03-2014",
        emmen.reference,
        emmen.reference[-4:],
        "sanne",
        "de Vries Sanne",
        "Sänne de vries",
    ):
        assert found(lpa, q) == [emmen.reference], q


def test_accents_are_found_without_them(world, client_for, cases):
    _emmen, borger = cases
    assert found(client_for("kartrekker_a"), "zoe ozturk") == [borger.reference]
    assert found(client_for("kartrekker_a"), "Öztürk Zoë") == [borger.reference]


def test_a_search_stays_within_scope(world, client_for, cases):
    emmen, borger = cases
    # the LPA of A works for Emmen only: Borger-Odoorn's case is not found, not even by BSN
    assert found(client_for("lpa_a"), "123456782") == []
    assert found(client_for("lpa_a"), "Öztürk") == []
    assert sorted(found(client_for("kartrekker_a"), "2013")) == []  # a year is not a date
    assert found(client_for("kartrekker_a"), "01-07-2013") == [borger.reference]
    assert found(client_for("lpa_b"), BSN) == []
    assert found(client_for("lpa_b"), "Sanne") == []


@pytest.mark.parametrize("persona", ["landelijk", "beheerder"])
def test_national_roles_have_no_case_search(world, client_for, cases, persona):
    client = client_for(persona)
    assert client.get(reverse("cases:search"), {"q": BSN}).status_code == 404
    assert 'data-testid="header-search"' not in client.get(reverse("home")).content.decode()


def test_anonymous_is_sent_to_the_login(world, client_for):
    response = client_for("anonymous").get(reverse("cases:search"), {"q": BSN})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "lpa_b"])
def test_staff_have_the_box_in_the_header(world, client_for, persona):
    html = client_for(persona).get(reverse("home")).content.decode()
    assert 'data-testid="header-search"' in html
    assert f'action="{reverse("cases:search")}"' in html


def test_a_bsn_search_is_audited_without_the_bsn(world, client_for, cases):
    emmen, _borger = cases
    found(client_for("lpa_a"), BSN)
    event = AuditEvent.objects.get(event_type="cases.searched_by_bsn")
    assert event.jeugdige_reference == emmen.reference
    assert event.user == world.user("lpa_a")
    assert BSN not in str(event.data) and BSN not in event.object_label
    found(client_for("lpa_a"), "de Vries")
    other = AuditEvent.objects.get(event_type="cases.searched")
    assert "Vries" not in str(other.data)


def test_a_wrong_bsn_gets_a_clear_message(world, client_for, cases):
    response = client_for("lpa_a").get(reverse("cases:search"), {"q": "111222334"})
    assert response.status_code == 200
    assert "not a valid BSN" in response.content.decode()
    response = client_for("lpa_a").get(reverse("cases:search"), {"q": "31-02-2014"})
    assert "does not exist" in response.content.decode()
    hostile = client_for("lpa_a").get(reverse("cases:search"), {"q": "%' OR 1=1 --" * 20})
    assert hostile.status_code == 200


def test_the_case_list_finds_by_bsn_and_date_of_birth(world, client_for, cases):
    emmen, _borger = cases
    client = client_for("lpa_a")
    for q in (BSN, "14-03-2014"):
        page = client.get(reverse("cases:list"), {"q": q}).context["page"]
        assert [j.reference for j in page.object_list] == [emmen.reference], q
    assert AuditEvent.objects.filter(event_type="cases.searched_by_bsn").count() == 1


def test_the_search_reads_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("kartrekker_a")
    for i in range(3):
        make_jeugdige(world, given_name="Sanne", family_name=f"Jansen{i}")
    with django_assert_max_num_queries(15) as few:
        assert len(found(client, "sanne")) == 3
    for i in range(3, 40):
        make_jeugdige(world, given_name="Sanne", family_name=f"Jansen{i}")
    with django_assert_max_num_queries(15) as many:
        assert len(found(client, "sanne")) == 40
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_load_test_cases_are_found_by_name(world):
    """``make bench`` seeds its 100,000 cases with bulk_create, which does not call save():
    their search names were empty, so the search (and its benchmark) found none of them."""
    from cases.demo import seed_scale
    from cases.models import Jeugdige
    from cases.search import search_name_of

    assert seed_scale(40) == 40
    rows = list(Jeugdige.objects.values_list("given_name", "family_name", "search_name"))
    assert len(rows) == 40
    assert all(row[2] and row[2] == search_name_of(row[0], row[1]) for row in rows)
