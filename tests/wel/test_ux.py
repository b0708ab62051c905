"""Issue 11's flows and small things, without a browser: status select, closing reason,
filters' "All", the filter panel's count, language switch, favicon, accessibility statement."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.forms import CloseForm, transition_choices
from cases.models import Betrokkene, Status
from tests.cases.walk import build as build_cases

pytestmark = pytest.mark.django_db


def flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from ((value, v, lbl) for v, lbl in label)
        else:
            yield (None, value, label)


@pytest.mark.parametrize("status", Status.values)
def test_backward_moves_are_labelled_and_never_come_first(status):
    choices = transition_choices(status)
    options = list(flat(choices))
    order = list(Status.values)
    for group, value, label in options:
        if value and order.index(value) <= order.index(status):
            assert group == "Back a step" and str(label).startswith("Back to: "), (value, label)
        elif value:
            assert group == "Next step", (value, label)
    if options:
        first_group, first_value, _label = options[0]
        # the browser preselects the first option: a forward move, or nothing
        assert first_value == "" or first_group == "Next step"


def test_in_development_offers_no_preselected_move_back():
    first = transition_choices(Status.IN_ONTWIKKELING)[0]
    assert first[0] == ""


def test_closing_asks_for_a_reason_with_none_preselected():
    field = CloseForm().fields["reason"]
    assert list(field.choices)[0][0] == ""
    assert not CloseForm(data={"version": 1}).is_valid()


def test_filters_say_all_not_dashes(world, client_for):
    html = client_for("lpa_a").get(reverse("cases:list")).content.decode()
    assert "---------" not in html
    assert ">All</option>" in html
    html = client_for("landelijk").get(reverse("regions:list")).content.decode()
    assert "Unknown" not in html and "---------" not in html


def test_the_filter_panel_counts_active_filters(world, client_for):
    client = client_for("lpa_a")
    assert (
        "Filters (2 active)"
        in client.get(
            reverse("cases:list") + "?status=in_beeld&is_focus=1&sort=name"
        ).content.decode()
    )
    assert "Filters (1 active)" in client.get(reverse("cases:list") + "?q=x").content.decode()
    html = client.get(reverse("cases:list")).content.decode()
    assert "active)" not in html and "<summary>Filters</summary>" in html


def test_a_parent_without_organisation_shows_no_dangling_dot(world, client_for):
    build_cases(world)
    Betrokkene.objects.create(
        jeugdige=world.jeugdige_a,
        kind=Betrokkene.Kind.OUDER_VERZORGER,
        name="M. Emmen",
        role="moeder",
    )
    html = client_for("lpa_a").get(world.jeugdige_a.get_absolute_url()).content.decode()
    assert "· moeder" not in html and ">moeder</td>" in html


def test_the_case_page_has_a_skip_link_to_its_actions(world, client_for):
    build_cases(world)
    html = client_for("lpa_a").get(world.jeugdige_a.get_absolute_url()).content.decode()
    assert 'href="#case-actions"' in html and 'id="case-actions"' in html
    assert html.index('href="#case-actions"') < html.index('aria-label="Main navigation"')


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_accessibility_statement_is_public_and_in_every_footer(world, client, client_for):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Status B" in response.content.decode()
    for persona in ("lpa_a", "landelijk", "beheerder"):
        html = client_for(persona).get(reverse("home")).content.decode()
        assert f'href="{reverse("accessibility")}"' in html
    admin = client_for("beheerder").get("/beheer/").content.decode()
    assert f'href="{reverse("accessibility")}"' in admin


def test_page_titles_are_separated_from_the_site_name(world, client_for):
    html = client_for("lpa_a").get(reverse("cases:list")).content.decode()
    assert "<title>Jeugdigen · WEL in Ontwikkeling</title>" in html


def test_the_language_is_dutch_by_default_and_remembered_per_user(world, client, settings):
    settings.LANGUAGE_CODE = "nl"
    lpa = world.user("lpa_a")
    client.force_login(lpa)
    # a browser asking for English still gets Dutch: English only on request
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="nl"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/jeugdigen/"})
    assert response.status_code == 302 and response.url == "/jeugdigen/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    lpa.refresh_from_db()
    assert lpa.language == "en"
    client.cookies.clear()  # another device: the user's choice follows them
    client.force_login(lpa)
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_the_language_switch_refuses_other_hosts_and_codes(world, client, settings):
    settings.LANGUAGE_CODE = "nl"
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a"])
def test_the_region_dashboard_is_in_the_navigation(world, client_for, persona):
    html = client_for(persona).get(reverse("home")).content.decode()
    url = reverse("reports:region_dashboard", args=[world.region_a.code])
    assert f'<a class="nav-link" href="{url}">Region dashboard</a>' in html
    assert client_for(persona).get(url).status_code == 200


def test_interview_questions_follow_the_respondent(world):
    from interviews.forms import InterviewForm
    from wel.models import User

    young = InterviewForm(
        data={"respondent_kind": "young_person"}, interviewers=User.objects.none()
    )
    assert young.fields["child_needs"].label == "What do you need?"
    assert young["child_needs"].field.widget.attrs["data-question-young-person"] == (
        "What do you need?"
    )
    pro = InterviewForm(data={"respondent_kind": "professional"}, interviewers=User.objects.none())
    assert "your own role" in str(pro.fields["development_contributors"].label)
    parent = InterviewForm(interviewers=User.objects.none())
    assert parent.fields["child_needs"].label == "What does the child need?"
    assert parent.fields["parent_needs"].label == "What do you as parents need?"


def test_rollout_does_not_repeat_the_phase_name(world, client_for, settings):
    settings.LANGUAGE_CODE = "nl"
    html = client_for("landelijk").get(reverse("regions:rollout")).content.decode()
    assert "Fase 2" in html and "Fase 2: Fase 2" not in html


def test_the_case_access_log_names_fields_as_people_say_them():
    from cases.templatetags.cases_tags import audit_data

    assert (
        audit_data("assigned_lpa, bsn, date_of_birth")
        == "assigned leerplichtambtenaar, BSN, date of birth"
    )
    assert audit_data("dossier") == "dossier"
