"""Property tests (hypothesis): every form the product POSTs, driven with generated input.

The forms are found from the URL walker's registry (``tests/<app>/walk.py``): every route with a
POST is fuzzed, with the forms its page renders (read from the template context) or, for a
POST-only button, the form of the page that shows it. ``test_every_form_is_fuzzed`` fails when
a form class of the product is reached by no route, so a new form cannot be missed.

Each example starts from a plausible filled-in form and replaces one to three fields with
generated values (any text, NUL and control characters, 100,000 characters, dates from year 1
to 9999, huge numbers, invalid choices). The answer is never a 500, and when the answer is a
refusal (a form with errors, an error message, a 4xx) the database is exactly as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews.forms import NationalStatusForm, NextStepDoneForm
from tests.test_url_walk import BUILDERS, ROUTES
from wel.forms import SecondFactorTokenForm, WelFormMixin

PROJECT_APPS = ("wel", "regions", "cases", "interviews", "reports")
PERSONA_ORDER = ("kartrekker_a", "lpa_a", "landelijk", "beheerder", "lpa_b")

# POST-only routes: the page (route, context name) that renders their form, or the form class.
FORM_ELSEWHERE = {
    "cases:transition": ("cases:detail", "transition_form"),
    "interviews:obstacle_status": ("interviews:obstacle_detail", "status_form"),
    "interviews:next_step_done": NextStepDoneForm,
    "interviews:national_status": NationalStatusForm,
    "reports:request_region": ("reports:region_dashboard", "form"),
    "reports:request_phase": ("reports:national_dashboard", "phase_form"),
    # The walker's users have verified their second factor already, so the verify page sends
    # them on: its form is fuzzed on its own (wrong codes: tests/wel/test_second_factor.py).
    "second_factor_verify": SecondFactorTokenForm,
}
# Buttons without a form: fuzzed with the keys they read (and a stray one).
FORMLESS_KEYS = ("token", "next", "status", "x")

HOSTILE_TEXT = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\x1b[31m\x07\x7f",
        "x" * 100_000,
        "9" * 400,
        "-1",
        "😀\u202e\ufeff",
        "' OR 1=1 --",
        "0001-01-01",
        "9999-12-31",
        "",
    ]
)


def _post_routes() -> list[str]:
    return sorted(name for name, route in ROUTES.items() if route.post or route.post_data)


def _persona(route) -> str | None:
    return next((p for p in PERSONA_ORDER if route.post.get(p) in (200, 302)), None)


def _forms_in(response) -> list:
    found, seen = [], set()
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, forms.BaseForm | BaseFormSet) and id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
    return found


def _kwargs(name, world):
    route = ROUTES[name]
    return route.kwargs(world) if route.kwargs else None


def forms_of_route(name: str, world, client: Client) -> list:
    """The (unbound) forms and formsets a POST to ``name`` submits."""
    source = FORM_ELSEWHERE.get(name)
    if isinstance(source, type):
        return [source()]
    page = name if source is None else source[0]
    if ROUTES[page].get.get(_persona(ROUTES[name])) != 200:
        return []
    response = client.get(reverse(page, kwargs=_kwargs(page, world)))
    if source is not None:
        form = response.context.get(source[1]) if response.context else None
        return [form] if form is not None else []
    return _forms_in(response)


def _first_choice(field) -> str:
    for value, _label in field.choices:
        value = getattr(value, "value", value)
        if value not in ("", None):
            return str(value)
    return ""


def _baseline(field, bound_value):
    """A plausible value for one field, so that a mutated field is often the only fault."""
    if isinstance(field.widget, forms.HiddenInput) or bound_value not in (None, "", []):
        if isinstance(bound_value, list | tuple):
            return [str(getattr(v, "pk", v)) for v in bound_value]
        if isinstance(bound_value, dt.datetime):
            return bound_value.strftime("%Y-%m-%dT%H:%M")
        if isinstance(bound_value, dt.date):
            return bound_value.isoformat()
        return "" if bound_value is None else str(getattr(bound_value, "pk", bound_value))
    if not field.required:
        return ""
    if isinstance(field, forms.MultipleChoiceField):
        return [_first_choice(field)]
    if isinstance(field, forms.ChoiceField):
        return _first_choice(field)
    if isinstance(field, forms.DateTimeField):
        return dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
    if isinstance(field, forms.DateField):
        return dt.date.today().isoformat()
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return "1"
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.EmailField):
        return "ouder@example.nl"
    return "Tekst"


def _strategy(field):
    if isinstance(field, forms.DateTimeField):
        general = st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
    elif isinstance(field, forms.DateField):
        general = st.dates().map(lambda d: d.isoformat())
    elif isinstance(field, forms.IntegerField | forms.DecimalField):
        general = st.one_of(st.integers(-(10**20), 10**20), st.decimals(allow_nan=True)).map(str)
    elif isinstance(field, forms.ChoiceField):
        values = [str(getattr(v, "value", v)) for v, _label in field.choices] or [""]
        general = st.sampled_from(values)
    elif isinstance(field, forms.BooleanField):
        general = st.sampled_from(["on", "", "0"])
    else:
        general = st.text(max_size=300)
    return st.one_of(general, HOSTILE_TEXT)


def fields_of(form_or_formset) -> dict[str, tuple]:
    """html name → (field, baseline value) for a form or a formset (with its management form)."""
    out = {}
    if isinstance(form_or_formset, BaseFormSet):
        for item in [form_or_formset.management_form, *form_or_formset.forms]:
            out.update(fields_of(item))
        return out
    for bound in form_or_formset:
        if isinstance(bound.field, forms.FileField):
            continue
        out[bound.html_name] = (bound.field, _baseline(bound.field, bound.value()))
    return out


def snapshot() -> dict[str, str]:
    """A fingerprint of every row of the product's tables (the audit log and the processing log
    excepted: refusals are audited on purpose, and showing a form again with its errors is a
    processing of the child's data)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.model_name in (
            "auditevent",
            "processingrecord",
        ):
            continue
        values = list(model.objects.order_by("pk").values_list())
        rows[model._meta.label] = hashlib.sha256(repr(values).encode()).hexdigest()
    return rows


def refused(response) -> bool:
    if response.status_code != 302:
        return True  # a form shown again with its errors, or a 4xx
    # Only this request's messages: earlier ones wait in the session until a page shows them.
    queued = response.wsgi_request._messages._queued_messages
    return any(m.level == message_levels.ERROR for m in queued)


@pytest.fixture
def built_world(world):
    for builder in BUILDERS:
        builder(world)
    return world


@pytest.mark.parametrize("name", _post_routes())
def test_hostile_post(name, built_world):
    route = ROUTES[name]
    persona = _persona(route)
    if persona is None:
        pytest.skip(f"{name}: no persona may POST")
    client = Client()
    client.force_login(built_world.user(persona))
    url = reverse(name, kwargs=_kwargs(name, built_world))
    fields: dict[str, tuple] = {}
    for form in forms_of_route(name, built_world, client):
        fields.update(fields_of(form))
    if not fields:
        fields = {key: (forms.CharField(), "") for key in FORMLESS_KEYS}
    names = sorted(fields)
    baseline = {key: value for key, (_field, value) in fields.items()}

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        chosen = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=3))
        post = dict(baseline)
        for key in sorted(chosen):
            post[key] = data.draw(_strategy(fields[key][0]), label=key)
        before = snapshot()
        response = client.post(url, post)
        assert response.status_code < 500, (name, response.status_code)
        if refused(response):
            assert snapshot() == before, (name, "a refused request changed the database")

    check()


def _project_form_classes() -> set[type]:
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in ("cases", "interviews", "regions", "reports", "wel")
        and cls.__module__.endswith(".forms")
        and not cls.__name__.startswith("Wel")
    }


def test_every_form_inherits_the_input_rules():
    missing = sorted(
        c.__qualname__ for c in _project_form_classes() if not issubclass(c, WelFormMixin)
    )
    assert not missing, f"forms without wel.forms.WelFormMixin (WelForm/WelModelForm): {missing}"


def test_every_form_is_fuzzed(built_world):
    reached: set[type] = set()
    for name in _post_routes():
        persona = _persona(ROUTES[name])
        if persona is None:
            continue
        client = Client()
        client.force_login(built_world.user(persona))
        for form in forms_of_route(name, built_world, client):
            reached.add(type(form.forms[0] if isinstance(form, BaseFormSet) else form))
    # Formset forms and inherited forms count through their class.
    reached |= {base for cls in reached for base in cls.__mro__}
    # The second-factor check answers only a session that has not verified yet, which the
    # walker's personas have: tests/wel/test_second_factor.py drives it unverified.
    reached |= {SecondFactorTokenForm}
    missing = sorted(c.__qualname__ for c in _project_form_classes() if c not in reached)
    assert not missing, (
        f"forms that no POST route of the walker reaches: {missing}. Register the route in "
        "tests/<app>/walk.py or its form in FORM_ELSEWHERE."
    )
