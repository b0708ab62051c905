"""The access policy: scopes per persona and the querysets built from them."""

import pytest

from regions.models import Region
from wel.access import scope_for
from wel.models import Role


@pytest.fixture
def scopes(world):
    return {p: scope_for(u) for p, u in world.users.items()}


def test_anonymous_has_no_scope(scopes):
    s = scopes["anonymous"]
    assert not s.is_authenticated and not s.memberships and not s.is_national


def test_lpa_scope_lists_region_and_gemeenten(world, scopes):
    s = scopes["lpa_a"]
    assert s.region_ids == {world.region_a.pk}
    assert s.role_in(world.region_a.pk) == Role.LPA
    assert s.role_in(world.region_b.pk) is None
    assert s.may_work_on_cases_in(world.region_a.pk, world.emmen.pk)
    assert not s.may_work_on_cases_in(world.region_a.pk, world.borger.pk)
    assert not s.may_work_on_cases_in(world.region_b.pk, world.assen.pk)
    assert s.gemeente_ids_for_cases(world.region_a.pk) == {world.emmen.pk}


def test_kartrekker_covers_the_whole_region(world, scopes):
    s = scopes["kartrekker_a"]
    assert s.may_lead(world.region_a.pk)
    assert s.may_work_on_cases_in(world.region_a.pk, world.borger.pk)
    assert s.gemeente_ids_for_cases(world.region_a.pk) is None


@pytest.mark.parametrize("persona", ["landelijk", "beheerder"])
def test_national_roles_see_all_regions_but_no_cases(world, scopes, persona):
    s = scopes[persona]
    assert s.is_national
    assert set(Region.objects.visible_to(world.user(persona))) >= {world.region_a, world.region_b}
    # The case filter matches nothing for them.
    assert not Region.objects.filter(s.case_q("pk", "gemeenten")).exists()


def test_region_visibility_per_persona(world):
    assert list(Region.objects.visible_to(world.user("lpa_a"))) == [world.region_a]
    assert list(Region.objects.visible_to(world.user("lpa_b"))) == [world.region_b]
    assert not Region.objects.visible_to(None).exists()


def test_case_q_limits_an_lpa_to_their_gemeenten(world):
    """Applied to Region→gemeenten as a stand-in for a case's (region, gemeente)."""
    from django.db.models import Q

    s = scope_for(world.user("lpa_a"))
    q = s.case_q(region_field="region", gemeente_field="gemeente")
    assert q != Q()
    text = str(q)
    assert str(world.region_a.pk) in text and str(world.emmen.pk) in text
    assert str(world.borger.pk) not in text


def test_scope_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.user("lpa_a")
    with django_assert_num_queries(1):
        scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)


def test_an_inactive_user_has_no_scope(world):
    user = world.user("kartrekker_a")
    user.is_active = False
    assert not scope_for(user).is_authenticated
