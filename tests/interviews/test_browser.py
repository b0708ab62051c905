"""The issue's story in a real browser: an LPA records an interview with a next step and raises
an obstacle; the kartrekker escalates it; the landelijk team sees it on the national agenda
without the child's details; an LPA signs up for a training session."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import BelemmerendeFactor, Interview, Level
from regions.models import TrainingRegistration
from tests.interviews.factories import TrainingSessionFactory, make_jeugdige

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Vervoer naar dagbesteding valt buiten de regeling leerlingenvervoer."
SECRET = "Noor Hoekstra kan niet naar de zorgboerderij omdat niemand het vervoer betaalt."


def switch_user(page, login_page, user):
    page.context.clear_cookies()
    return login_page(user)


def test_interview_obstacle_escalation_national_agenda_and_training(world, login_page, live_server):
    case = make_jeugdige(world.region_a, world.emmen, given_name="Noor", family_name="Hoekstra")
    session = TrainingSessionFactory(capacity=1, place="Zwolle, Provinciehuis")

    # The LPA records an interview from the case page, with a next step.
    page = login_page(world.user("lpa_a"))
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("link", name="Record an interview").click()
    page.select_option("select[name=interview-respondent_kind]", "parent")
    page.fill("input[name=interview-respondent_role]", "moeder")
    page.fill("input[name=interview-held_on]", timezone.localdate().isoformat())
    page.check("input[name=interview-consent_to_record]")
    page.fill("textarea[name=interview-development_present]", "Werkt drie ochtenden met dieren.")
    page.fill("textarea[name=interview-development_contributors]", "Een vaste begeleider.")
    page.fill("textarea[name=interview-parent_needs]", "Hulp bij het vervoer.")
    page.fill("input[name=steps-0-description]", "Vervoer aanvragen bij de gemeente")
    page.select_option("select[name=steps-0-owner_user]", str(world.user("lpa_a").pk))
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page.fill("input[name=steps-0-due_on]", due)
    page.get_by_role("button", name="Save interview").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Interview with a parent / carer")).to_be_visible()
    expect(page.get_by_text("Vervoer aanvragen bij de gemeente")).to_be_visible()
    interview = Interview.objects.get()
    assert interview.next_steps.count() == 1
    assert case.timeline.filter(kind="next_step").exists()

    # ... and raises an obstacle from it.
    page.get_by_role("link", name="Raise a belemmerende factor").click()
    page.select_option("select[name=category]", "transport")
    page.fill("textarea[name=description]", SECRET)
    page.select_option("select[name=level]", "regional")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    factor = BelemmerendeFactor.objects.get()
    assert factor.interview == interview and factor.jeugdige == case

    # The kartrekker escalates it to the national level with a shareable summary.
    page = switch_user(page, login_page, world.user("kartrekker_a"))
    page.goto(live_server.url + "/gesprekken/belemmeringen/")
    page.get_by_role("link", name="transport").first.click()
    page.get_by_role("link", name="Escalate to national").click()
    page.fill("textarea[name=shareable_summary]", "Noor heeft geen vervoer.")
    page.get_by_role("button", name="Escalate to national").click()
    expect(page.get_by_text("could identify a child")).to_be_visible()
    page.fill("textarea[name=shareable_summary]", SUMMARY)
    page.get_by_role("button", name="Escalate to national").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The obstacle is now on the national agenda.")).to_be_visible()
    factor.refresh_from_db()
    assert factor.level == Level.NATIONAL

    # The landelijk team sees it on the national agenda, without the child's details.
    page = switch_user(page, login_page, world.user("landelijk"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="National agenda"
    ).click()
    page.wait_for_load_state()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    html = page.content()
    for secret in ("Noor", "Hoekstra", case.reference, SECRET, "zorgboerderij omdat"):
        assert secret not in html, secret

    # An LPA signs up for the training.
    page = switch_user(page, login_page, world.user("lpa_a"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Training"
    ).click()
    page.get_by_role("link", name="Hoe voer je een gesprek over ontwikkelmogelijkheden?").click()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    expect(page.get_by_text("You are signed up for this session.").first).to_be_visible()
    registration = TrainingRegistration.objects.get(session=session)
    assert registration.user == world.user("lpa_a")
    assert registration.status == TrainingRegistration.Status.REGISTERED


def test_kartrekker_records_a_moreel_beraad_and_shares_it_as_a_learning(
    world, login_page, live_server
):
    page = login_page(world.user("kartrekker_a"))
    page.goto(live_server.url + "/gesprekken/beraad/")
    page.get_by_role("link", name="Record a moreel beraad").click()
    # The form page loaded whole before typing (under load the first fields were typed while
    # it was still loading, and the facilitator came back empty).
    expect(page.get_by_role("heading", name="Record a moreel beraad", exact=False)).to_be_visible()
    page.wait_for_load_state("load")
    page.fill("input[name=beraad-held_on]", timezone.localdate().isoformat())
    page.fill("input[name=beraad-facilitator]", "Gedragswerk")
    expect(page.locator("input[name=beraad-facilitator]")).to_have_value("Gedragswerk")
    page.select_option("select[name=beraad-method]", "dilemma")
    page.fill("textarea[name=beraad-participants]", "LPA – Emmen\nConsulent – SWV")
    page.fill("textarea[name=beraad-case_description]", "Een jongere van 13 met een 5a.")
    page.fill("textarea[name=beraad-dilemma]", "Aandringen of erkennen?")
    page.fill("textarea[name=beraad-option_a]", "Aandringen op onderwijs.")
    page.fill("textarea[name=beraad-option_b]", "De zorgboerderij erkennen.")
    page.fill("textarea[name=beraad-conclusion]", "Erkennen en kleine stappen zetten.")
    page.fill("input[name=actions-0-description]", "Terugkoppeling aan ouders")
    page.fill("input[name=actions-0-owner]", "LPA")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The moreel beraad has been saved.")).to_be_visible()

    page.get_by_role("link", name="Share as learning").click()
    expect(page.get_by_text("Check before you publish.")).to_be_visible()
    assert page.input_value("textarea[name=lesson]") == "Erkennen en kleine stappen zetten."
    page.fill("input[name=title]", "Erkennen opent deuren")
    page.check("input[name=publish]")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("tick the box before publishing")).to_be_visible()
    page.check("input[name=checked_identifying]")
    page.check("input[name=publish]")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Erkennen opent deuren")).to_be_visible()

    page.context.clear_cookies()
    page = login_page(world.user("landelijk"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Learnings"
    ).click()
    expect(page.get_by_role("link", name="Erkennen opent deuren")).to_be_visible()
