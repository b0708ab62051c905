"""wel.filters.WelFilterSet copies its filters without a deep copy (issue 12): two filter
sets of one page must still share no state, and the set must hold what django-filter's own
constructor gives it."""

from __future__ import annotations

import django_filters
import pytest
from django.http import QueryDict

from cases.filters import JeugdigeFilter
from cases.models import Jeugdige
from wel.filters import WelFilterSet

pytestmark = pytest.mark.django_db


def test_two_filter_sets_share_no_state(world):
    lpa_a, lpa_b = world.user("lpa_a"), world.user("lpa_b")
    first = JeugdigeFilter(
        QueryDict("status=in_beeld"), queryset=Jeugdige.objects.all(), user=lpa_a
    )
    second = JeugdigeFilter(QueryDict(""), queryset=Jeugdige.objects.all(), user=lpa_b)
    assert first.form.is_valid() and second.form.is_valid()
    for name in JeugdigeFilter.base_filters:
        one, other, base = (
            first.filters[name],
            second.filters[name],
            JeugdigeFilter.base_filters[name],
        )
        assert one is not other and one is not base
        assert one.extra is not other.extra and one.extra is not base.extra
        assert one.parent is first and other.parent is second
        if base.method is not None:  # method= filters call their own set's method
            assert one.filter.f is one and other.filter.f is other
        assert first.form.fields[name] is not second.form.fields[name]
        assert "_field" not in vars(base)  # the class's filters never build a field
    # each set's scoped choice list is its own: the LPA of region B sees region B's gemeenten
    first_gemeenten = set(first.form.fields["gemeente"].queryset)
    second_gemeenten = set(second.form.fields["gemeente"].queryset)
    assert first_gemeenten == {world.emmen}
    assert second_gemeenten == {world.assen}
    # the class's own filter keeps its empty list: nothing scoped leaked into it
    assert JeugdigeFilter.base_filters["gemeente"].extra["queryset"].query.is_empty()


def test_same_attributes_as_django_filters_own_constructor():
    """If django-filter's constructor sets something new, this fails (wel.filters copies it)."""

    class Plain(django_filters.FilterSet):
        status = django_filters.CharFilter()

        class Meta:
            model = Jeugdige
            fields: list[str] = []

    class Ours(WelFilterSet):
        status = django_filters.CharFilter()

        class Meta:
            model = Jeugdige
            fields: list[str] = []

    data = QueryDict("status=x")
    plain, ours = Plain(data, prefix="p"), Ours(data, prefix="p")
    assert set(vars(plain)) == set(vars(ours))
    for name in ("is_bound", "data", "request", "form_prefix"):
        assert getattr(plain, name) == getattr(ours, name)
    assert ours.queryset.model is Jeugdige
    assert ours.filters["status"].model is Jeugdige and ours.filters["status"].parent is ours
    assert list(ours.qs) == list(plain.qs)
