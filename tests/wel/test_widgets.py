"""wel.widgets.InlineSelect writes exactly the HTML Django's Select renders from templates."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from wel.widgets import InlineSelect

CHOICES = [
    ("", "All"),
    ("a", "Plain"),
    ("<b>", 'Quotes " and <tags> & ampersands'),
    (3, "A number"),
    ("Group & co", [("g1", "In a group"), ("g2", "Also <in>")]),
    ("safe", mark_safe("<em>already safe</em>")),
]


@pytest.mark.parametrize("value", [None, "", "a", "<b>", "3", 3, "g2", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "form-select", "id": "id_x"},
        {"class": "form-select is-invalid", "aria-describedby": "x_help", "disabled": True},
        {"data-x": 'a"b', "hidden": False, "required": True},
    ],
)
def test_same_html_as_django_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("x", value, attrs)
    assert InlineSelect(choices=CHOICES).render("x", value, attrs) == expected


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    choices=st.lists(st.tuples(text, text), max_size=6),
    value=st.one_of(st.none(), text),
    name=text,
)
def test_same_html_for_any_choices(choices, value, name):
    expected = forms.Select(choices=choices).render(name, value)
    assert InlineSelect(choices=choices).render(name, value) == expected


def test_renders_no_template_per_option(monkeypatch):
    """The point of the widget: rendering 200 options loads no option template."""
    from django.forms import renderers

    rendered = []
    original = renderers.BaseRenderer.render

    def spy(self, template_name, context, request=None):
        rendered.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(renderers.BaseRenderer, "render", spy)
    choices = [(str(i), f"Option {i}") for i in range(200)]
    InlineSelect(choices=choices).render("x", "5")
    assert rendered == []
    forms.Select(choices=choices).render("x", "5")
    assert rendered == ["django/forms/widgets/select.html"]  # which includes 200 option templates


def test_in_a_crispy_field():
    """Through crispy-forms (as the filter panel renders it) the markup is the same too."""

    class Plain(forms.Form):
        x = forms.ChoiceField(choices=CHOICES, required=False)

    class Inline(forms.Form):
        x = forms.ChoiceField(choices=CHOICES, required=False, widget=InlineSelect)

    template = Template("{% load crispy_forms_tags %}{{ form.x|as_crispy_field }}")
    for data in ({}, {"x": "g2"}, {"x": "nope"}):
        plain = template.render(Context({"form": Plain(data)}))
        inline = template.render(Context({"form": Inline(data)}))
        assert plain == inline
