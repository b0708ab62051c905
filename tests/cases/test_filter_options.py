"""The case list's option lists (municipality, assigned LPA): read as plain rows with SQL built
once per process (cases.filters.Options), they must be exactly the options the model querysets
give (their labels are the models' str()), for every persona's scope, and follow a change on the
next view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.filters import JeugdigeFilter
from tests.factories import MembershipFactory, UserFactory
from wel.models import Role

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _from_the_models(filterset, name: str) -> list[tuple[str, str]]:
    field = filterset.form.fields[name]
    return [("", str(field.empty_label))] + [(str(obj.pk), str(obj)) for obj in field.queryset]


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_a", "lpa_b"])
def test_options_are_the_models_own(world, client_for, persona):
    # An LPA without a name is shown by e-mail address; two with the same name both appear.
    for email, name in (("zonder.naam@wel.test", ""), ("twee@wel.test", "Lotte LPA-A")):
        MembershipFactory(
            user=UserFactory(email=email, full_name=name),
            region=world.region_a,
            role=Role.LPA,
        )
    html = client_for(persona).get(reverse("cases:list")).content.decode()
    filterset = JeugdigeFilter({}, user=world.user(persona))
    for name in ("gemeente", "assigned_lpa"):
        assert _options(html, name) == _from_the_models(filterset, name), name
    assert len(_options(html, "assigned_lpa")) > 1


def test_options_follow_a_change_on_the_next_view(world, client_for):
    client = client_for("kartrekker_a")
    client.get(reverse("cases:list"))  # the SQL is built and kept
    lpa = world.user("lpa_a")
    lpa.full_name = "Lotte Nieuwenaam"
    lpa.save(update_fields=["full_name"])
    newcomer = UserFactory(email="nieuw@wel.test", full_name="Nina Nieuw")
    MembershipFactory(user=newcomer, region=world.region_a, role=Role.LPA)
    world.region_a.gemeenten.remove(world.borger)
    html = client.get(reverse("cases:list")).content.decode()
    lpas = dict(_options(html, "assigned_lpa"))
    assert lpas[str(lpa.pk)] == "Lotte Nieuwenaam"
    assert lpas[str(newcomer.pk)] == "Nina Nieuw"
    assert str(world.borger.pk) not in dict(_options(html, "gemeente"))


def test_a_filter_set_that_is_only_applied_reads_no_options(world, django_assert_num_queries):
    filterset = JeugdigeFilter({"status": "aangemeld"}, user=world.user("kartrekker_a"))
    with django_assert_num_queries(1):
        list(filterset.qs)
