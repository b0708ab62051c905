"""Factories for the cases app. ``make_jeugdige`` goes through the service (reference, history,
timeline); the factory writes rows directly for volume."""

from __future__ import annotations

import datetime as dt

import factory

from cases import services
from cases.models import Grondslag, Jeugdige

VALID_BSNS = ["111222333", "123456782", "999999990", "100000009", "233445566"]


def make_jeugdige(world, *, gemeente=None, region=None, by=None, **data) -> Jeugdige:
    """A case in region A (Emmen unless ``gemeente`` says otherwise), made by the service."""
    region = region or world.region_a
    gemeente = gemeente or world.emmen
    fields = {
        "given_name": "Sanne",
        "family_name": "de Vries",
        "date_of_birth": dt.date(2014, 3, 14),
        "grondslag": Grondslag.VRIJSTELLING_5A,
    } | data
    return services.jeugdige_create(
        region=region,
        gemeente=gemeente,
        by=by or world.user("kartrekker_a"),
        data=fields,
        allow_duplicate=True,
    )


class JeugdigeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jeugdige

    reference = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.Faker("date_between", start_date="-17y", end_date="-5y")
    grondslag = Grondslag.VRIJSTELLING_5A
