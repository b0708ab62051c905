"""Interviews: recording with next steps, the timeline, audit, access and the panels."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import TimelineEntry
from interviews.models import Interview, NextStep
from tests.interviews.factories import InterviewFactory, NextStepFactory, make_jeugdige
from wel.models import AuditEvent


def interview_post(world, **extra):
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    data = {
        "interview-respondent_kind": "parent",
        "interview-respondent_name": "Marieke Veldkamp",
        "interview-respondent_role": "moeder",
        "interview-held_on": timezone.localdate().isoformat(),
        "interview-interviewer": world.user("lpa_a").pk,
        "interview-attendees": "moeder, oma",
        "interview-attendees_chosen_by_parents": "on",
        "interview-consent_to_record": "on",
        "interview-view_on_situation": "Rust voor het gezin.",
        "interview-development_present": "Fenna helpt op de zorgboerderij.",
        "interview-development_contributors": "Een vaste begeleider.",
        "interview-development_possible": "Rekenen op de boerderij.",
        "interview-child_needs": "Voorspelbaarheid.",
        "interview-parent_needs": "Eén aanspreekpunt.",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-description": "Kennismaking zorgboerderij",
        "steps-0-owner_user": str(world.user("lpa_a").pk),
        "steps-0-due_on": due,
        "obstacles-TOTAL_FORMS": "2",
        "obstacles-INITIAL_FORMS": "0",
        "obstacles-MIN_NUM_FORMS": "0",
        "obstacles-MAX_NUM_FORMS": "1000",
        "obstacles-0-level": "local",
        "obstacles-1-level": "local",
    }
    data.update(extra)
    return data


def test_lpa_records_an_interview_with_a_next_step(world, client_for, case_a):
    client = client_for("lpa_a")
    url = reverse("interviews:create", kwargs={"reference": case_a.reference})
    response = client.post(url, interview_post(world))
    assert response.status_code == 302, response.context["form"].errors
    interview = Interview.objects.get()
    assert interview.jeugdige == case_a and interview.created_by == world.user("lpa_a")
    assert interview.development_contributors == "Een vaste begeleider."
    step = NextStep.objects.get()
    assert (step.interview, step.owner_user, step.done) == (interview, world.user("lpa_a"), False)
    kinds = list(case_a.timeline.values_list("kind", flat=True))
    assert TimelineEntry.Kind.INTERVIEW in kinds and TimelineEntry.Kind.NEXT_STEP in kinds
    assert case_a.timeline.filter(text__contains="Kennismaking zorgboerderij").exists()
    event = AuditEvent.objects.get(action="create", object_type="interviews.interview")
    assert event.jeugdige_reference == case_a.reference
    assert "Veldkamp" not in event.object_label + event.data


def test_obstacles_seen_become_belemmerende_factoren(world, client_for, case_a):
    from interviews.models import BelemmerendeFactor

    data = interview_post(
        world,
        **{
            "obstacles-0-category": "transport",
            "obstacles-0-description": "Geen vervoer naar de zorgboerderij.",
            "obstacles-0-level": "regional",
        },
    )
    response = client_for("lpa_a").post(
        reverse("interviews:create", kwargs={"reference": case_a.reference}), data
    )
    assert response.status_code == 302
    factor = BelemmerendeFactor.objects.get()
    assert factor.interview == Interview.objects.get()
    assert (factor.jeugdige, factor.region, factor.level) == (case_a, world.region_a, "regional")
    assert factor.source == "interview" and factor.status == "gesignaleerd"


def test_a_half_filled_obstacle_row_saves_nothing(world, client_for, case_a):
    data = interview_post(world, **{"obstacles-0-category": "transport"})
    response = client_for("lpa_a").post(
        reverse("interviews:create", kwargs={"reference": case_a.reference}), data
    )
    assert response.status_code == 200
    assert not Interview.objects.exists()


def test_consent_is_required(world, client_for, case_a):
    data = interview_post(world)
    del data["interview-consent_to_record"]
    response = client_for("lpa_a").post(
        reverse("interviews:create", kwargs={"reference": case_a.reference}), data
    )
    assert response.status_code == 200
    assert "consent" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_bad_next_step_saves_nothing(world, client_for, case_a):
    data = interview_post(world, **{"steps-0-due_on": "not a date"})
    response = client_for("lpa_a").post(
        reverse("interviews:create", kwargs={"reference": case_a.reference}), data
    )
    assert response.status_code == 200
    assert not Interview.objects.exists() and not NextStep.objects.exists()


def test_reading_an_interview_is_audited(world, client_for, interview_a):
    response = client_for("kartrekker_a").get(interview_a.get_absolute_url())
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="interviews.interview")
    assert event.jeugdige_id == interview_a.jeugdige_id
    assert event.user == world.user("kartrekker_a")


def test_free_text_is_escaped(world, client_for, case_a):
    interview = InterviewFactory(
        jeugdige=case_a, interviewer=world.user("lpa_a"), child_needs="<script>alert(1)</script>"
    )
    page = client_for("lpa_a").get(interview.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "persona,status",
    [("lpa_a", 404), ("kartrekker_a", 200), ("lpa_b", 404), ("landelijk", 403), ("beheerder", 403)],
)
def test_interview_of_a_case_outside_the_lpas_gemeenten(world, client_for, persona, status):
    borger = make_jeugdige(world.region_a, world.borger)
    interview = InterviewFactory(jeugdige=borger, interviewer=world.user("kartrekker_a"))
    assert client_for(persona).get(interview.get_absolute_url()).status_code == status


def test_list_filters(world, client_for, case_a):
    lpa, kartrekker = world.user("lpa_a"), world.user("kartrekker_a")
    borger = make_jeugdige(world.region_a, world.borger)
    InterviewFactory(jeugdige=case_a, interviewer=lpa, respondent_kind="parent")
    InterviewFactory(
        jeugdige=case_a,
        interviewer=kartrekker,
        respondent_kind="professional",
        held_on=dt.date(2025, 1, 10),
    )
    InterviewFactory(jeugdige=borger, interviewer=kartrekker, respondent_kind="young_person")
    client = client_for("kartrekker_a")
    url = reverse("interviews:list")

    def count(**params):
        return client.get(url, params).context["page"].paginator.count

    assert count() == 3
    assert count(respondent_kind="young_person") == 1
    assert count(gemeente=world.emmen.pk) == 2
    assert count(interviewer=lpa.pk) == 1
    assert count(held_from="2025-01-01", held_to="2025-12-31") == 1
    assert client_for("lpa_a").get(url).context["page"].paginator.count == 2


def test_interview_list_query_count(world, client_for, case_a, django_assert_max_num_queries):
    for _ in range(20):
        interview = InterviewFactory(jeugdige=case_a, interviewer=world.user("lpa_a"))
        NextStepFactory(interview=interview)
    client = client_for("kartrekker_a")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("interviews:list")).status_code == 200


def test_interview_list_counts_only_open_next_steps(world, client_for, case_a):
    lpa = world.user("lpa_a")
    none = InterviewFactory(jeugdige=case_a, interviewer=lpa, held_on=dt.date(2026, 1, 1))
    some = InterviewFactory(jeugdige=case_a, interviewer=lpa, held_on=dt.date(2026, 2, 1))
    NextStepFactory(interview=some)
    NextStepFactory(interview=some)
    NextStepFactory(interview=some, done=True)
    closed = InterviewFactory(jeugdige=case_a, interviewer=lpa, held_on=dt.date(2026, 3, 1))
    NextStepFactory(interview=closed, done=True)
    response = client_for("kartrekker_a").get(reverse("interviews:list"))
    shown = {i.pk: i.open_steps for i in response.context["page"]}
    assert shown == {none.pk: 0, some.pk: 2, closed.pk: 0}
    assert response.context["page"].paginator.count == 3


def test_next_step_done_writes_the_timeline(world, client_for, interview_a):
    step = NextStepFactory(interview=interview_a)
    client = client_for("lpa_a")
    url = reverse("interviews:next_step_done", kwargs={"pk": step.pk})
    assert client.get(url).status_code == 405
    assert client.post(url, {"done": "1", "next": "//evil.example/"}).status_code == 302
    step.refresh_from_db()
    assert step.done and step.done_at
    assert interview_a.jeugdige.timeline.filter(text__startswith="Next step done").exists()


def test_share_as_learning_prefills_without_names(world, client_for, case_a):
    interview = InterviewFactory(
        jeugdige=case_a,
        interviewer=world.user("lpa_a"),
        respondent_name="Marieke Veldkamp",
        development_present="Fenna Veldkamp (EMM-2026-0042) werkt graag met dieren.",
        development_contributors="Marieke zag dat Fenna rustig werd van de vaste begeleider.",
    )
    response = client_for("lpa_a").get(reverse("interviews:share", kwargs={"pk": interview.pk}))
    assert response.status_code == 200
    form = response.context["form"]
    prefill = " ".join(str(v) for v in form.initial.values())
    for name in ("Fenna", "Veldkamp", "Marieke", case_a.reference, "EMM-2026-0042"):
        assert name not in prefill, name
    assert "vaste begeleider" in form.initial["lesson"]
    page = response.content.decode()
    assert "Check before you publish" in page
    assert 'action="/regio/lessen/nieuw/"' in page


def test_case_panel_shows_only_what_the_viewer_may_see(world, interview_a, obstacle_a):
    template = Template("{% include 'interviews/_case_panel.html' %}")

    def render(persona):
        request = RequestFactory().get("/")
        request.user = world.user(persona)
        return template.render(Context({"jeugdige": interview_a.jeugdige, "request": request}))

    html = render("lpa_a")
    assert interview_a.get_absolute_url() in html
    assert obstacle_a.get_absolute_url() in html
    assert (
        reverse("interviews:create", kwargs={"reference": interview_a.jeugdige.reference}) in html
    )
    other = render("lpa_b")
    assert interview_a.get_absolute_url() not in other


def test_worklist_panel_lists_open_steps_soonest_first(world, interview_a):
    late = NextStepFactory(interview=interview_a, description="Later", due_on=dt.date(2030, 1, 1))
    soon = NextStepFactory(
        interview=interview_a, description="Eerder", due_on=timezone.localdate() - dt.timedelta(1)
    )
    NextStepFactory(interview=interview_a, description="Al gedaan", done=True)
    request = RequestFactory().get("/jeugdigen/werklijst/")
    request.user = world.user("lpa_a")
    html = Template("{% include 'interviews/_worklist_panel.html' %}").render(
        Context({"request": request, "user": request.user})
    )
    assert html.index(soon.description) < html.index(late.description)
    assert "Al gedaan" not in html and "overdue" in html
    request.user = world.user("lpa_b")
    other = Template("{% include 'interviews/_worklist_panel.html' %}").render(
        Context({"request": request, "user": request.user})
    )
    assert "Eerder" not in other


# -- issue 21: the form asks the questions of the respondent chosen ------------------------------
PARENTS_QUESTION = "What do you as parents need?"
YOUNG_QUESTION = "What do you need?"


def shown_questions(html: str) -> str:
    """The labels and headings the user reads (the data attributes hold every wording)."""
    import re

    return " ".join(re.sub(r"\s+", " ", m) for m in re.findall(r">([^<>]+)<", html))


def test_the_form_for_a_young_person_asks_the_young_person(world, client_for, case_a):
    """Issue 21: with respondent "jongere" the form still showed the parents' questions."""
    client = client_for("lpa_a")
    url = reverse("interviews:create", kwargs={"reference": case_a.reference})
    html = client.get(url + "?respondent=young_person").content.decode()
    assert YOUNG_QUESTION in shown_questions(html)
    assert PARENTS_QUESTION not in shown_questions(html)
    assert '<option value="young_person" selected>' in html
    # the date is prefilled like a contact moment's
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_switching_the_respondent_without_js_keeps_the_answers(world, client_for, case_a):
    client = client_for("lpa_a")
    url = reverse("interviews:create", kwargs={"reference": case_a.reference})
    data = interview_post(world, **{"interview-respondent_kind": "young_person"})
    data["switch_respondent"] = "1"
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert YOUNG_QUESTION in shown_questions(html)
    assert PARENTS_QUESTION not in shown_questions(html)
    assert "Eén aanspreekpunt." in html and "Kennismaking zorgboerderij" in html
    assert "is-invalid" not in html
    assert not Interview.objects.exists()


def test_the_respondent_switch_script_finds_the_prefixed_field():
    """The form has a prefix: the select is "interview-respondent_kind". wel.js looked for
    name=respondent_kind and never swapped the questions."""
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "static/js/wel.js").read_text()
    assert "select[name$=respondent_kind]" in script


def test_a_saved_young_persons_interview_shows_what_was_asked(world, client_for, case_a):
    client = client_for("lpa_a")
    url = reverse("interviews:create", kwargs={"reference": case_a.reference})
    response = client.post(
        url, interview_post(world, **{"interview-respondent_kind": "young_person"})
    )
    html = shown_questions(client.get(response["Location"]).content.decode())
    assert YOUNG_QUESTION in html and PARENTS_QUESTION not in html
    edit = client.get(reverse("interviews:update", args=[Interview.objects.get().pk]))
    assert YOUNG_QUESTION in shown_questions(edit.content.decode())
    assert PARENTS_QUESTION not in shown_questions(edit.content.decode())


def test_the_next_step_owner_is_a_colleague_on_the_case(world, client_for, case_a):
    """Issue 21: the owner is a user whose scope covers the case, not free text; the form
    offers only those, and the service refuses anyone else."""
    url = reverse("interviews:create", kwargs={"reference": case_a.reference})
    response = client_for("kartrekker_a").get(url)
    offered = set(response.context["steps"].forms[0].fields["owner_user"].queryset)
    assert offered == {world.user("lpa_a"), world.user("kartrekker_a")}
    refused = interview_post(world, **{"steps-0-owner_user": str(world.user("lpa_b").pk)})
    response = client_for("kartrekker_a").post(url, refused)
    assert response.status_code == 200
    assert not NextStep.objects.exists()
    response = client_for("kartrekker_a").post(url, interview_post(world))
    assert response.status_code == 302
    page = client_for("lpa_a").get(NextStep.objects.get().interview.get_absolute_url())
    assert world.user("lpa_a").full_name in page.content.decode()
