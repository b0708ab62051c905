"""interviews.rows writes the open next steps panel's rows as interviews/worklist_panel.html
wrote them through the template engine (issue 23 moved them out for speed; the page must not
change), and interviews.selectors.open_next_steps reads what the panel shows as the model did.

The reference is the template's own row markup as it stood, rendered by Django's template
engine with the model's own properties (``owner_label``, ``get_absolute_url``) and the
``{% csrf_token %}`` and ``{% url %}`` tags, for any descriptions, owners and references
(escaping), due dates and overdue flags, in English and in Dutch.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import ClosingReason, Jeugdige, Status
from interviews import rows
from interviews.models import Interview, NextStep
from interviews.selectors import OpenStep, open_next_steps
from tests.html import normalise_html
from tests.interviews.factories import InterviewFactory, NextStepFactory
from wel.models import User

OLD_ROWS = """{% load i18n %}{% for s in steps %}<tr>
        <td class="text-nowrap">{% if s.overdue %}<span class="badge text-bg-danger">{% translate "overdue" %}</span> {% endif %}{{ s.due_on|date:"d-m-Y" }}</td>
        <td class="text-nowrap"><a href="{{ s.interview.get_absolute_url }}">{{ s.interview.jeugdige.reference }}</a></td>
        <td>{{ s.description }}</td><td>{{ s.owner_label }}</td>
        <td class="text-nowrap"><form method="post" action="{% url 'interviews:next_step_done' s.pk %}">{% csrf_token %}<input type="hidden" name="done" value="1"><input type="hidden" name="next" value="{{ request.get_full_path }}"><button class="btn btn-sm btn-outline-success" type="submit">{% translate "Mark done" %}</button></form></td>
      </tr>{% endfor %}"""  # noqa: E501

TODAY = dt.date(2026, 11, 29)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def steps(draw):
    pk = draw(st.integers(1, 10**6))
    jeugdige = Jeugdige(
        reference=draw(st.from_regex(r"[A-Z]{3}-20[0-9]{2}-[0-9]{4,5}", fullmatch=True)),
        status=draw(st.sampled_from(Status.values)),
    )
    step = NextStep(
        pk=pk,
        interview=Interview(pk=draw(st.integers(1, 10**6)), jeugdige=jeugdige),
        description=draw(text),
        owner=draw(text),
        due_on=draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2032, 1, 1))),
    )
    name = draw(st.one_of(st.none(), text))
    if name is not None:
        step.owner_user = User(pk=7, full_name=name, email="x@wel.test")
    step.overdue = step.is_overdue_on(TODAY)
    light = OpenStep(
        pk=pk,
        interview_id=step.interview.pk,
        reference=jeugdige.reference,
        description=step.description,
        owner_label=step.owner_label,
        due_on=step.due_on,
        overdue=step.overdue,
    )
    return step, light


@pytest.fixture(params=["en", "nl"])
def language(request):
    with translation.override(request.param):
        yield request.param


# Django's own {% csrf_token %} calls format_html("") for "NOTPROVIDED" (deprecated in 5.x).
@pytest.mark.filterwarnings("ignore:Calling format_html.. without passing args")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=st.lists(steps(), max_size=5),
    path=st.sampled_from(["/jeugdigen/werklijst/", "/jeugdigen/werklijst/?a=1&b=<x>\"'"]),
    token=st.sampled_from(["", "NOTPROVIDED", "abcDEF123"]),
)
def test_next_step_rows_are_the_templates_rows(language, drawn, path, token):
    request = RequestFactory().get(path)
    expected = Template(OLD_ROWS).render(
        Context({"steps": [s for s, _ in drawn], "request": request, "csrf_token": token})
    )
    got = rows.next_step_rows(
        [light for _, light in drawn], csrf_token=token, next_path=request.get_full_path()
    )
    assert normalise_html(got) == normalise_html(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "status", "shown", "overdue"),
    [
        (TODAY - dt.timedelta(days=1), Status.AANGEMELD, True, True),  # due yesterday
        (TODAY, Status.AANGEMELD, True, False),  # due today: not yet overdue
        (TODAY + dt.timedelta(days=1), Status.AANGEMELD, True, False),
        (TODAY - dt.timedelta(days=1), Status.AFGESLOTEN, False, None),  # closed case: no one's
    ],
)
def test_open_next_steps_reads_what_the_model_says(world, case_a, due, status, shown, overdue):
    closing = ClosingReason.VERHUISD if status == Status.AFGESLOTEN else ""
    Jeugdige.objects.filter(pk=case_a.pk).update(status=status, closing_reason=closing)
    lpa = world.user("lpa_a")
    interview = InterviewFactory(jeugdige=case_a, interviewer=lpa, created_by=lpa)
    by_user = NextStepFactory(interview=interview, due_on=due, owner="", owner_user=lpa)
    by_text = NextStepFactory(interview=interview, due_on=due, owner="de moeder")
    NextStepFactory(interview=interview, due_on=due, done=True)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        got, total = open_next_steps(user=lpa)
    if not shown:
        assert (got, total) == ([], 0)
        return
    assert total == 2
    assert [(s.pk, s.owner_label, s.overdue) for s in got] == [
        (by_user.pk, lpa.full_name, overdue),
        (by_text.pk, "de moeder", overdue),
    ]
    assert {(s.reference, s.interview_id, s.description, s.due_on) for s in got} == {
        (case_a.reference, interview.pk, by_user.description, due)
    }
    # limited: the total still counts them all
    got, total = open_next_steps(user=lpa, limit=1)
    assert len(got) == 1 and total == 2
