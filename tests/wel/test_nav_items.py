"""The navigation's menu entries are rendered once per scope and language (wel_tags.nav_items):
they must still follow a change of role, region or language at once, and equal a fresh render."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wel.access import scope_for
from wel.models import Role
from wel.templatetags import wel_tags

pytestmark = pytest.mark.django_db


def _menu(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html[html.index('<ul class="navbar-nav me-auto">') : html.index("</ul>\n      <ul")]


def test_menu_follows_a_change_of_region_and_of_region_name(world, client_for):
    from tests.factories import MembershipFactory

    client = client_for("lpa_a")
    assert reverse("cases:import") in _menu(client)
    MembershipFactory(user=world.user("lpa_a"), region=world.region_b, role=Role.KARTREKKER)
    two_regions = _menu(client)  # the region dashboard becomes a list of the two regions
    assert world.region_b.name in two_regions
    world.region_b.name = "Regio Assen en omstreken"
    world.region_b.save()
    assert "Regio Assen en omstreken" in _menu(client)
    world.user("lpa_a").memberships.all().delete()
    assert reverse("cases:list") not in _menu(client)  # no longer works in a region


def test_menu_follows_the_language(world, client_for):
    client = client_for("kartrekker_a")
    client.post(reverse("set_language"), {"language": "nl"})
    dutch = _menu(client)
    client.post(reverse("set_language"), {"language": "en"})
    english = _menu(client)
    assert "Mijn werklijst" in dutch and "My worklist" in english


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "landelijk", "beheerder"])
def test_cached_menu_equals_a_fresh_render(world, persona):
    scope = scope_for(world.user(persona))
    wel_tags._nav_items_html.cache_clear()
    for language in ("en", "nl"):
        with translation.override(language):
            fresh = render_to_string("_partials/nav_items.html", {"scope": scope})
            assert wel_tags.nav_items({"scope": scope}) == fresh
            assert wel_tags.nav_items({"scope": scope}) == fresh  # from the cache
