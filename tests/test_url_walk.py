"""Walk every named URL of the project with every persona and check the answer against the
access policy recorded in the apps' ``tests/<app>/walk.py`` registries.

A URL pattern that is not registered fails the suite: whoever adds a view decides, in a test,
who may see it.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.walk import Route, hostile_params, hostile_queries

SKIP_NAMESPACES = {"admin"}
# 401: the API (a session is no API credential); the admin is tested on its own (beheerder only)
HOSTILE_OK = {200, 302, 400, 401, 403, 404, 405}


def registry() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    tests_dir = Path(__file__).parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if not info.ispkg or not (tests_dir / info.name / "walk.py").exists():
            continue
        module = importlib.import_module(f"tests.{info.name}.walk")
        routes.update(module.WALK)
        builder = getattr(module, "build", None)
        if builder is not None:
            BUILDERS.append(builder)
    return routes


BUILDERS: list = []
ROUTES = registry()


def url_names(resolver=None, namespace: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIP_NAMESPACES:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


ALL_NAMES = sorted(set(url_names()))


def test_every_url_is_registered_with_the_walker():
    missing = [n for n in ALL_NAMES if n not in ROUTES]
    assert not missing, (
        f"URLs without an access expectation: {missing}. Add them to tests/<app>/walk.py."
    )
    stale = [n for n in ROUTES if n not in ALL_NAMES]
    assert not stale, f"walk.py names URLs that no longer exist: {stale}"


@pytest.fixture
def built_world(world):
    for builder in BUILDERS:
        builder(world)
    return world


def _url(name: str, route: Route, world) -> str:
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    return url + (f"?{route.query}" if route.query else "")


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_walk(name, persona, built_world):
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} is not registered in a walk.py")
    url = _url(name, route, built_world)
    client = Client()
    user = built_world.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.get(url)
    if user is not None:  # personal data is never cached (issue 10 §2: found missing)
        assert "no-store" in response.get("Cache-Control", ""), (name, persona)
    if persona == "anonymous":
        if route.anonymous is not None:
            assert response.status_code == route.anonymous, (name, response.status_code)
        elif route.public:
            assert response.status_code in (200, 302, 405), (name, response.status_code)
        else:
            assert response.status_code == 302, (name, response.status_code)
            assert response.url.startswith(reverse("login")), (name, response.url)
    else:
        expected = route.get.get(persona, 200 if route.public else None)
        if route.public and persona not in route.get:
            assert response.status_code in (200, 302), (name, persona, response.status_code)
        else:
            assert response.status_code == expected, (name, persona, response.status_code)

    if route.post or route.post_data:
        data = route.post_data(built_world) if route.post_data else {}
        response = client.post(url, data)
        if user is not None and response.wsgi_request.user.is_authenticated:
            assert "no-store" in response.get("Cache-Control", ""), (name, "POST", persona)
        if persona == "anonymous":
            if not route.public:
                assert response.status_code == 302, (name, "POST", response.status_code)
                assert response.url.startswith(reverse("login"))
        elif persona in route.post:
            assert response.status_code == route.post[persona], (
                name,
                "POST",
                persona,
                response.status_code,
            )


HOSTILE_QUERIES = hostile_queries(hostile_params())


@pytest.mark.parametrize("name", ALL_NAMES)
def test_walk_hostile_query_strings(name, built_world):
    """Every URL, every persona, hostile query strings (NUL and control characters, 10,000
    characters, wrong types, dates in year 1 and 9999, unicode): never a 500.

    The test client re-raises a view's exception, so a 500 fails here with its traceback.
    """
    route = ROUTES[name]
    path = reverse(name, kwargs=route.kwargs(built_world) if route.kwargs else None)
    for persona in PERSONAS:
        user = built_world.user(persona)
        client = Client()
        if user is not None:
            client.force_login(user)
        # A persona refused at the door gets one query (the refusal must hold); the others all.
        allowed = route.public or route.get.get(persona) == 200
        for query in HOSTILE_QUERIES if allowed else HOSTILE_QUERIES[:1]:
            response = client.get(path, query)
            assert response.status_code in HOSTILE_OK, (name, persona, response.status_code)


HOSTILE_PATH_VALUES = ("\x00", "a\x1bb", "x" * 2_000, "😀\u202e", "EMM-2026-0001'--")


@pytest.mark.parametrize("name", [n for n in ALL_NAMES if ROUTES[n].kwargs is not None], ids=str)
def test_walk_hostile_path_arguments(name, built_world):
    """Every URL with arguments, each text argument replaced by hostile values, as a persona
    that may open it: a page, a 400 or a 404, never a 500. (Numeric and slug arguments cannot carry
    them: their converters refuse before any view.)"""
    route = ROUTES[name]
    kwargs = route.kwargs(built_world)
    persona = next((p for p in PERSONAS if route.get.get(p) == 200), "kartrekker_a")
    client = Client()
    client.force_login(built_world.user(persona))
    for key, value in kwargs.items():
        if not isinstance(value, str):
            continue
        for hostile in HOSTILE_PATH_VALUES:
            try:
                path = reverse(name, kwargs={**kwargs, key: hostile})
            except NoReverseMatch:
                continue  # the converter (slug, int) refuses it: the URL cannot exist
            response = client.get(path)
            assert response.status_code in HOSTILE_OK, (name, key, response.status_code)


# -- NEN 7513: a page that shows a case's personal data writes an audit event ----------------------
def _personal_data_shown(content: str) -> list[str]:
    """Names and BSNs of the world's jeugdigen, betrokkenen and interview respondents."""
    from cases.models import Betrokkene, Jeugdige
    from interviews.models import Interview

    markers = []
    for given, family, bsn in Jeugdige.objects.values_list("given_name", "family_name", "bsn"):
        markers += [f"{given} {family}", bsn]
    markers += Betrokkene.objects.values_list("name", flat=True)
    markers += Interview.objects.values_list("respondent_name", flat=True)
    return [m for m in set(markers) if m and len(m) > 3 and m in content]


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_walk_audits_personal_data_and_refusals(name, persona, built_world):
    """Every GET that shows a jeugdige's name or BSN wrote a success event for this user in
    that request; every refusal (403/404) wrote a "denied" event."""
    from wel.models import AuditEvent

    route = ROUTES[name]
    url = _url(name, route, built_world)
    client = Client()
    user = built_world.user(persona)
    client.force_login(user)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    events = AuditEvent.objects.filter(pk__gt=before, user=user)
    if response.status_code in (403, 404):
        assert events.filter(outcome=AuditEvent.Outcome.DENIED).exists(), (name, persona)
        return
    if response.status_code != 200:
        return
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    shown = _personal_data_shown(body)
    if shown:
        assert events.filter(outcome=AuditEvent.Outcome.SUCCESS).exclude(
            action__in=[AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT]
        ), f"{name} as {persona} showed {shown} but wrote no audit event"
