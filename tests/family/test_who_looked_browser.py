""" "Wie heeft de gegevens bekeken" in a real browser at phone size (390 × 844), in Dutch: the
family enters the code, follows the link from the questions and sees the kartrekker's and the
LPA's views by organisation and role; axe-core finds nothing and nothing scrolls sideways.
Screenshot: var/screenshots/family/who-looked.png."""

from __future__ import annotations

import pytest

from tests.cases.factories import make_jeugdige
from tests.family.test_browser import _invite, checked, open_page  # noqa: F401 (fixture)
from wel import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_sees_who_looked_on_a_phone(world, open_page, live_server, settings):  # noqa: F811
    settings.LANGUAGE_CODE = "nl"
    jeugdige = make_jeugdige(world, given_name="Fenna", family_name="Bakkerveld")
    for persona in ("kartrekker_a", "lpa_a"):
        audit.record(
            audit.events.JEUGDIGE_VIEWED,
            user=world.user(persona),
            obj=jeugdige,
            jeugdige=jeugdige,
        )
    token, code = _invite(world, jeugdige, "parent")
    page = open_page()
    page.goto(f"{live_server.url}/uitnodiging/{token}/")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Wie heeft de gegevens bekeken?").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Wie heeft de gegevens van Fenna bekeken?").is_visible()
    rows = page.get_by_test_id("who-looked").locator("li")
    text = rows.all_inner_texts()
    assert any("regio Emmen/Borger-Odoorn" in t and "Heeft de gegevens bekeken" in t for t in text)
    assert any("gemeente Emmen" in t and "Leerplichtambtenaar" in t for t in text)
    body = page.inner_text("body")
    assert "Karel" not in body and "Lotte" not in body
    checked(page, "who-looked")
