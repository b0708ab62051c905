"""factory-boy factories for the core and regions; apps add theirs in tests/<app>/factories.py."""

import factory

from regions.models import Gemeente, Phase, Region
from wel.models import Membership, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@wel.test")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password("correct-horse-battery")


def phase(number: int = 1) -> Phase:
    return Phase.objects.get(number=number)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Testregio {n}")
    reference_prefix = factory.Sequence(lambda n: "T" + chr(65 + n // 26 % 26) + chr(65 + n % 26))
    phase = factory.LazyFunction(lambda: phase(1))
    joined_on = factory.Faker("date_between", start_date="-1y", end_date="today")

    @factory.post_generation
    def gemeenten(self, create, extracted, **kwargs):
        if create and extracted:
            self.gemeenten.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    role = Membership._meta.get_field("role").choices[0][0]

    @factory.post_generation
    def gemeenten(self, create, extracted, **kwargs):
        if create and extracted:
            self.gemeenten.set(extracted)


def gemeente(cbs_code: str) -> Gemeente:
    return Gemeente.objects.get(cbs_code=cbs_code)
