"""The case list without filters reads its page's rows with SQL built once per process
(cases.selectors.case_list_page_rows): the page must be the one the ORM's queryset gives, for
every persona, order and page, follow the count on the last page, and never keep a filter's
text (a name, a BSN) in the per-process SQL cache."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from cases import rows, selectors
from cases.models import ClosingReason, Jeugdige, Status
from tests.cases.factories import make_jeugdige
from tests.factories import UserFactory
from wel import sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """31 cases over two municipalities: assigned to a named LPA, to an unnamed one, to nobody;
    open and closed; focus or not."""
    unnamed = UserFactory(email="zonder.naam@wel.test", full_name="")
    lpa = world.user("lpa_a")
    made = []
    for i in range(31):
        j = make_jeugdige(
            world,
            gemeente=world.borger if i % 3 else world.emmen,
            given_name=f"Kind{i:02d}",
            family_name=f"Achternaam{30 - i:02d}",
            is_focus=i % 5 == 0,
        )
        made.append(j.pk)
    Jeugdige.objects.filter(pk__in=made[::4]).update(assigned_lpa=lpa)
    Jeugdige.objects.filter(pk__in=made[1::4]).update(assigned_lpa=unnamed)
    Jeugdige.objects.filter(pk__in=made[2::7]).update(
        status=Status.AFGESLOTEN, closing_reason=ClosingReason.VERHUISD
    )
    return made


def _orm_rows_html(user, params) -> str:
    """The rows as the ORM's queryset gives them (the path every filtered list takes)."""

    case_filter = selectors.jeugdigen_list(user=user, filters=params)
    page = Paginator(selectors.case_list_page(case_filter.qs), 25).get_page(params.get("page"))
    return rows.case_list_rows(list(page.object_list), today=timezone.localdate())


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_a"])
@pytest.mark.parametrize(
    "params",
    [{}, {"page": "2"}, {"sort": "name"}, {"sort": "-date_of_birth", "page": "2"},
     {"sort": "onzin"}, {"page": "99"}, {"page": "x"}],
)  # fmt: skip
def test_the_page_is_the_querysets_page(world, client_for, many, persona, params):
    response = client_for(persona).get(reverse("cases:list"), params)
    assert response.status_code == 200
    page = response.context["page"]
    assert all(isinstance(row, selectors.CaseListRow) for row in page.object_list)
    got = rows.case_list_rows(list(page.object_list), today=timezone.localdate())
    assert got == _orm_rows_html(world.user(persona), params)
    assert got in response.content.decode()


def test_the_last_page_follows_the_count(world, client_for, many):
    client = client_for("kartrekker_a")
    assert len(client.get(reverse("cases:list"), {"page": "2"}).context["page"]) == 6
    make_jeugdige(world, given_name="Nieuwkomer")
    make_jeugdige(world, given_name="Laatkomer")
    assert len(client.get(reverse("cases:list"), {"page": "2"}).context["page"]) == 8


def test_a_filters_text_is_not_kept(world, client_for, many):
    client = client_for("kartrekker_a")
    bsn = "999999990"
    for params in ({"q": bsn}, {"q": "Achternaam07"}, {"q": bsn, "sort": "name"}):
        response = client.get(reverse("cases:list"), params)
        assert response.status_code == 200
        assert not any(isinstance(row, selectors.CaseListRow) for row in response.context["page"])
    kept = repr(list(sql._SQL.items()))
    assert bsn not in kept and "Achternaam07" not in kept


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_a"])
@pytest.mark.parametrize("text", ["Achternaam", "kind0", "Kind06 Achternaam24", "emm"])
def test_the_search_shows_the_rows_the_models_give(world, many, persona, text):
    user = world.user(persona)
    result = selectors.search_cases(user=user, text=text)
    assert result.rows and all(isinstance(r, selectors.CaseListRow) for r in result.rows)
    models = list(
        Jeugdige.objects.filter(pk__in=[r.pk for r in result.rows]).select_related(
            "gemeente", "assigned_lpa"
        )
    )
    by_pk = {j.pk: j for j in models}
    today = timezone.localdate()
    assert rows.case_list_rows(result.rows, today=today) == rows.case_list_rows(
        [by_pk[r.pk] for r in result.rows], today=today
    )
