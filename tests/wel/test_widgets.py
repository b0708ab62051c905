"""wel.widgets.InlineSelect writes exactly the HTML Django's Select renders from templates."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.html import normalise_html
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


# -- wel.widgets.bootstrap_field: crispy's field markup without its templates ----------------
def _filtersets():
    import importlib

    from wel.filters import WelFilterSet

    for module in ("wel", "cases", "regions", "interviews", "reports"):
        importlib.import_module(f"{module}.filters")
    found, todo = [], list(WelFilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.django_db
@pytest.mark.parametrize("data", ["unbound", "valid", "garbage"])
def test_bootstrap_field_is_crispys_markup_for_every_filter_form(world, data):
    """Every filter panel of the product: unbound, bound with the first offered choice of each
    field, and bound with values no field accepts (so errors, ``is-invalid`` and the error
    block are compared too)."""
    import inspect

    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from wel.widgets import bootstrap_field

    user = world.user("kartrekker_a")
    classes = _filtersets()
    assert len(classes) >= 9  # every list page's filter panel
    compared = 0
    for cls in classes:
        kwargs = {"user": user} if "user" in inspect.signature(cls.__init__).parameters else {}
        queryset = cls._meta.model._default_manager.none()
        fields = cls(queryset=queryset, **kwargs).form.fields
        if data == "unbound":
            bound = None
        elif data == "valid":
            bound = {}
            for name, field in fields.items():
                choices = [c for c in getattr(field, "choices", []) if c[0] not in ("", None)]
                bound[name] = str(choices[0][0]) if choices else 'a <b> & "c"'
        else:
            bound = dict.fromkeys(fields, "<nope & 'x'>")
        errors_seen = 0
        crispy_form = cls(bound, queryset=queryset, **kwargs).form
        ours_form = cls(bound, queryset=queryset, **kwargs).form
        if bound is not None:  # validate, so that errors are rendered
            crispy_form.is_valid()
            ours_form.is_valid()
        for name in fields:
            expected = normalise_html(as_crispy_field(crispy_form[name]))
            got = normalise_html(bootstrap_field(ours_form[name]))
            assert got == expected, (cls.__name__, name, data)
            errors_seen += bool(ours_form[name].errors)
            compared += 1
        if data == "garbage":
            assert errors_seen, cls.__name__  # the error markup was really compared
    assert compared > 40


def test_bootstrap_field_hands_other_widgets_to_crispy():
    """Checkboxes, radios, multiple selects and files keep crispy's own rendering."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from wel.widgets import bootstrap_field

    class Other(forms.Form):
        box = forms.BooleanField(required=False)
        radio = forms.ChoiceField(choices=CHOICES[:3], widget=forms.RadioSelect)
        many = forms.MultipleChoiceField(choices=CHOICES[:3])
        upload = forms.FileField(help_text="CSV")

    for data in ({}, {"box": "on", "radio": "zz"}):
        for name in ("box", "radio", "many", "upload"):
            assert bootstrap_field(Other(data)[name]) == as_crispy_field(Other(data)[name])


def test_bootstrap_field_required_label_and_escaping():
    from wel.widgets import bootstrap_field

    class Form(forms.Form):
        name = forms.CharField(label="Naam & <toenaam>", help_text="<em>uit de code</em>")

    html = bootstrap_field(Form({"name": '"><script>'})["name"])
    assert 'class="form-label requiredField">Naam &amp; &lt;toenaam&gt;' in html
    assert '<span class="asteriskField">*</span>' in html
    assert "<em>uit de code</em>" in html  # help text is the code's own, as crispy's |safe
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


# -- the field markup remembered (wel.memo, issue 23) ----------------------------------------
class _Choice(forms.Form):
    colour = forms.ChoiceField(
        choices=[("", "---"), ("r", "Rood")], required=False, widget=InlineSelect
    )
    name = forms.CharField(required=True, max_length=5, help_text="Kort")


def _field(form, name):
    from wel.widgets import bootstrap_field

    return bootstrap_field(form[name])


@pytest.mark.parametrize(
    "change",
    ["value", "options", "errors", "label"],
)
def test_a_remembered_field_changes_with_what_it_is_made_of(change):
    from wel import memo

    memo.forget()
    before = _Choice({"colour": "r", "name": "Ab"})
    before.is_valid()
    first = _field(before, "colour") + _field(before, "name")
    after = _Choice({"colour": "r", "name": "Ab"})
    if change == "value":
        after = _Choice({"colour": "", "name": "Abc"})
    elif change == "options":
        after.fields["colour"].choices = [("", "---"), ("r", "Rood"), ("g", "Groen")]
    elif change == "errors":
        after = _Choice({"colour": "r", "name": "Te lang"})
    elif change == "label":
        after.fields["name"].label = "Naam"
    after.is_valid()
    second = _field(after, "colour") + _field(after, "name")
    assert second != first
    memo.forget()
    assert second == _field(after, "colour") + _field(after, "name")  # as made afresh


def test_the_same_field_is_made_once(monkeypatch):
    from wel import memo, widgets

    memo.forget()
    made = []
    real = widgets._bootstrap_field
    monkeypatch.setattr(widgets, "_bootstrap_field", lambda bf: made.append(1) or real(bf))
    for _ in range(3):
        form = _Choice({"colour": "r", "name": "Ab"})
        form.is_valid()
        _field(form, "colour")
    assert len(made) == 1
