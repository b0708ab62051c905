import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cases.models import Jeugdige, Status
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db


def test_derived_dates_follow_the_leerplichtwet():
    j = Jeugdige(date_of_birth=dt.date(2014, 3, 14))
    # leerplichtig from the first school day of the month after the 5th birthday (a Monday)
    assert j.leerplicht_start == dt.date(2019, 4, 1)
    # full leerplicht ends at the end of the school year in which the child turns 16
    assert j.leerplicht_end == dt.date(2030, 7, 31)
    assert j.kwalificatieplicht_end == dt.date(2032, 3, 14)


def test_derived_dates_edge_cases():
    # birthday in September: turns 16 in school year 2030/31
    assert Jeugdige(date_of_birth=dt.date(2014, 9, 2)).leerplicht_end == dt.date(2031, 7, 31)
    # first of the next month on a Saturday: the Monday after
    assert Jeugdige(date_of_birth=dt.date(2015, 10, 20)).leerplicht_start == dt.date(2020, 11, 2)
    # born 29 February
    assert Jeugdige(date_of_birth=dt.date(2012, 2, 29)).kwalificatieplicht_end == dt.date(
        2030, 3, 1
    )
    j = Jeugdige(date_of_birth=dt.date(2014, 3, 14))
    assert j.age_on(dt.date(2026, 3, 13)) == 11
    assert j.age_on(dt.date(2026, 3, 14)) == 12


def test_closed_case_needs_a_reason_in_the_database(world):
    j = make_jeugdige(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Jeugdige.objects.filter(pk=j.pk).update(status=Status.AFGESLOTEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Jeugdige.objects.filter(pk=j.pk).update(closing_reason="verhuisd")


def test_bsn_is_unique_per_region_in_the_database(world):
    a = make_jeugdige(world, bsn="111222333")
    other_region = make_jeugdige(
        world,
        region=world.region_b,
        gemeente=world.assen,
        bsn="111222333",
        by=world.user("lpa_b"),
    )
    assert other_region.bsn == a.bsn
    b = make_jeugdige(world, given_name="Other", bsn="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Jeugdige.objects.filter(pk=b.pk).update(bsn="111222333")
    # several without a BSN are fine
    make_jeugdige(world, given_name="Third", bsn="")


def test_visible_to_follows_the_access_policy(world):
    emmen = make_jeugdige(world)
    borger = make_jeugdige(world, gemeente=world.borger, given_name="Bas")
    seen = {
        p: set(Jeugdige.objects.visible_to(world.user(p)))
        for p in ("lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder")
    }
    assert seen["lpa_a"] == {emmen}
    assert seen["kartrekker_a"] == {emmen, borger}
    assert seen["lpa_b"] == seen["landelijk"] == seen["beheerder"] == set()
