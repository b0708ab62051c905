"""The demo programme agrees with itself: "Step since" matches the timeline, and a region
that has not joined yet has no cases."""

import io

import pytest

from cases import demo
from cases.models import Jeugdige, TimelineEntry
from tests.factories import MembershipFactory
from wel.models import Role

pytestmark = pytest.mark.django_db


def test_demo_cases_agree_with_their_timeline_and_regions_not_joined_have_none(world):
    world.region_b.joined_on = None
    world.region_b.save()
    MembershipFactory(user=world.user("lpa_b"), region=world.region_b, role=Role.KARTREKKER)
    demo._seed(stdout=io.StringIO(), scale=0)
    assert not Jeugdige.objects.filter(region=world.region_b).exists()
    cases = Jeugdige.objects.filter(region=world.region_a)
    assert cases.exists()
    checked = 0
    for case in cases:
        last = (
            TimelineEntry.objects.filter(jeugdige=case, kind=TimelineEntry.Kind.STATUS)
            .order_by("-at")
            .first()
        )
        if last is not None:
            assert case.status_changed_at == last.at, case.reference
            checked += 1
    assert checked >= 3
