"""cases.rows writes the rows the case list and worklist templates wrote (issue 12: the rows
moved out of the template engine for speed, the page must not change).

The reference is the templates' own row markup as it stood, rendered by Django's template
engine with the model's own properties (``age``, ``contact_overdue``, ``renewal_overdue``) on a
frozen day; cases.rows must give the same HTML apart from whitespace between tags, for any
names (escaping), dates (missing, overdue or not, around the rules' boundaries), statuses,
grondslagen, focus flags and LPAs, in English and in Dutch.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import rows
from cases.models import Grondslag, Jeugdige, Status
from regions.models import Gemeente
from tests.html import normalise_html
from wel.models import User

OLD_CASE_LIST_ROWS = """{% load i18n cases_tags %}
  {% for j in page %}
  <tr>
    <td><a href="{{ j.get_absolute_url }}">{{ j.reference }}</a>{% if j.is_focus %} <span class="badge text-bg-warning" title="{% translate 'Focus case' %}">{% translate "focus" %}</span>{% endif %}</td>
    <td>{{ j.given_name }} {{ j.family_name }}</td>
    <td>{{ j.date_of_birth|date:"d-m-Y" }} <span class="text-body-secondary small">({{ j.age }})</span></td>
    <td>{{ j.gemeente.name }}</td>
    <td>{{ j.grondslag|grondslag_label }}</td>
    <td><span class="{{ j.status|status_badge }}">{{ j.status|status_label }}</span></td>
    <td>{% if j.next_contact_due %}{{ j.next_contact_due|date:"d-m-Y" }}{% if j.contact_overdue %} {% include "cases/_overdue.html" %}{% endif %}{% else %}–{% endif %}</td>
    <td>{{ j.renewal_due|date:"d-m-Y"|default:"–" }}{% if j.renewal_overdue %} {% include "cases/_overdue.html" %}{% endif %}</td>
    <td>{{ j.assigned_lpa|default:"–" }}</td>
  </tr>
  {% empty %}
  <tr><td colspan="9">{% translate "No jeugdigen match this filter." %}</td></tr>
  {% endfor %}"""  # noqa: E501

OLD_WORKLIST_ROWS = """{% load i18n cases_tags %}
  {% for j in cases %}
    <tr>
      <td><a href="{{ j.get_absolute_url }}">{{ j.reference }}</a></td>
      <td>{{ j.given_name }} {{ j.family_name }}</td>
      <td>{{ j.gemeente.name }}</td>
      <td><span class="{{ j.status|status_badge }}">{{ j.status|status_label }}</span></td>
      <td>{% if date_field == "next_contact_due" %}{{ j.next_contact_due|date:"d-m-Y" }}{% if j.contact_overdue %} {% include "cases/_overdue.html" %}{% endif %}{% elif date_field == "renewal_due" %}{{ j.renewal_due|date:"d-m-Y" }}{% if j.renewal_overdue %} {% include "cases/_overdue.html" %}{% endif %}{% else %}{{ j.last_contact_on|date:"d-m-Y"|default:_("never") }}{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="5" class="text-body-secondary">{% translate "Nothing here. Well done." %}</td></tr>
  {% endfor %}"""  # noqa: E501


TODAY = dt.date(2026, 11, 29)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
near = st.one_of(
    st.none(),
    st.dates(min_value=TODAY - dt.timedelta(days=800), max_value=TODAY + dt.timedelta(days=800)),
    st.sampled_from([TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1)]),
)


@st.composite
def cases(draw):
    lpa = draw(st.one_of(st.none(), st.builds(lambda n, e: (n, e), text, st.emails())))
    j = Jeugdige(
        reference=draw(st.from_regex(r"[A-Z]{3}-20[0-9]{2}-[0-9]{4,5}", fullmatch=True)),
        given_name=draw(text),
        family_name=draw(text),
        date_of_birth=draw(st.dates(min_value=dt.date(2004, 1, 1), max_value=TODAY)),
        grondslag=draw(st.sampled_from(Grondslag.values)),
        status=draw(st.sampled_from(Status.values)),
        is_focus=draw(st.booleans()),
        next_contact_due=draw(near),
        renewal_due=draw(near),
        last_contact_on=draw(near),
    )
    j.gemeente = Gemeente(pk=1, cbs_code="0114", name=draw(text) or "Emmen")
    if lpa is not None:
        j.assigned_lpa = User(pk=7, full_name=lpa[0], email=lpa[1])
    return j


@pytest.fixture(params=["en", "nl"])
def language(request):
    with translation.override(request.param):
        yield request.param


def _frozen_today():
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=st.lists(cases(), max_size=6))
def test_case_list_rows_are_the_templates_rows(language, page):
    with _frozen_today():
        expected = Template(OLD_CASE_LIST_ROWS).render(Context({"page": page}))
    assert normalise_html(rows.case_list_rows(page, today=TODAY)) == normalise_html(expected)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.lists(cases(), max_size=6),
    date_field=st.sampled_from(rows.WORKLIST_DATE_FIELDS),
)
def test_worklist_rows_are_the_templates_rows(language, page, date_field):
    with _frozen_today():
        expected = Template(OLD_WORKLIST_ROWS).render(
            Context({"cases": page, "date_field": date_field})
        )
    got = rows.worklist_rows(page, date_field=date_field, today=TODAY)
    assert normalise_html(got) == normalise_html(expected)


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(2026, 7, 1), "01-07-2026"),
        (dt.date(999, 12, 31), "31-12-0999"),
        (dt.date(2024, 2, 29), "29-02-2024"),
        (None, ""),
    ],
)
def test_nl_date(day, shown):
    assert rows.nl_date(day) == shown


def test_overdue_badge_follows_the_rules_boundary():
    """Contact due yesterday is overdue, due today is not (cases.rules.contact_overdue); the
    row must say so on the day it is judged, not on the machine's date."""
    j = Jeugdige(
        reference="EMM-2026-0001",
        given_name="A",
        family_name="B",
        date_of_birth=dt.date(2014, 1, 1),
        grondslag=Grondslag.VRIJSTELLING_5A,
        status=Status.IN_BEELD,
        next_contact_due=TODAY,
    )
    j.gemeente = Gemeente(pk=1, name="Emmen")
    on_the_day = rows.worklist_rows([j], date_field="next_contact_due", today=TODAY)
    day_after = rows.worklist_rows(
        [j], date_field="next_contact_due", today=TODAY + dt.timedelta(1)
    )
    assert "text-bg-danger" not in on_the_day
    assert "text-bg-danger" in day_after


@settings(max_examples=200, deadline=None)
@given(
    reference=st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="/"), min_size=1
    )
)
def test_detail_url_is_get_absolute_url(reference):
    """Any reference (the ``str`` converter refuses only "/"): the same URL as reverse()."""
    assert rows.detail_url_maker()(reference) == Jeugdige(reference=reference).get_absolute_url()


def test_unknown_worklist_column_is_refused():
    with pytest.raises(ValueError, match="not one of"):
        rows.worklist_rows([], date_field="created_at", today=TODAY)
