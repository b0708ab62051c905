"""Schemathesis fuzzes every operation of /api/v1/openapi.json as every kind of client —
an LPA of some gemeenten, a kartrekker, an LPA of another region, the landelijk team, a
client with one read scope, and no token at all — with valid and invalid input, and checks:

- never a 500; every answer as documented (status, content type, body);
- no scope leak: no case reference, region or gemeente outside the client's scope in a body;
- no partial write: an answer that is not a success changed nothing.

Bounded (a few examples per operation, derandomised) so it runs in well under two minutes.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.models import ContactMoment, Jeugdige, TimelineEntry
from interviews.models import NextStep
from regions.models import Region
from tests.api.conftest import make_caller
from tests.cases.factories import make_jeugdige

pytestmark = [pytest.mark.django_db(transaction=False)]

# Examples per operation, client and mode: (valid input, invalid input); real objects' paths.
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 2}
FIXED_EXAMPLES = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


def _strings_under(data, keys) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys and isinstance(value, str):
                found.add(value)
            elif key in keys and isinstance(value, list):
                found |= {v for v in value if isinstance(v, str)}
            else:
                found |= _strings_under(value, keys)
    elif isinstance(data, list):
        for value in data:
            found |= _strings_under(value, keys)
    return found


def _state() -> tuple:
    return (
        Jeugdige.objects.count(),
        sum(Jeugdige.objects.values_list("version", flat=True)),
        ContactMoment.objects.count(),
        TimelineEntry.objects.count(),
        NextStep.objects.filter(done=True).count(),
    )


def _check_scope(user, body) -> None:
    references = _strings_under(body, {"referentie", "jeugdige"})
    if references:
        visible = set(
            Jeugdige.objects.visible_to(user)
            .filter(reference__in=references)
            .values_list("reference", flat=True)
        )
        assert references <= visible, f"scope leak: {references - visible}"
    regions = _strings_under(body, {"regio", "regios"})
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        regions.add(body["code"])
    if regions:
        visible = set(
            Region.objects.visible_to(user).filter(code__in=regions).values_list("code", flat=True)
        )
        assert regions <= visible, f"scope leak: regions {regions - visible}"


@contextmanager
def in_test_transaction():
    """The site as a WSGI application inside the test's transaction: like Django's test client
    (which reconnects the signal after each of its requests, so use no test client inside),
    the connection is not closed at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(world):
    from tests.interviews.factories import InterviewFactory

    emmen = make_jeugdige(world, given_name="Anna", family_name="Emmen")
    borger = make_jeugdige(world, gemeente=world.borger, given_name="Bas", family_name="Borger")
    interview = InterviewFactory(jeugdige=borger, interviewer=world.user("kartrekker_a"))
    step = NextStep.objects.create(
        interview=interview, description="School bellen", owner="LPA", due_on="2030-01-01"
    )
    return {"emmen": emmen, "borger": borger, "interview": interview, "step": step}


def _callers(world):
    callers = {p: make_caller(world, p) for p in ("lpa_a", "kartrekker_a", "lpa_b", "landelijk")}
    callers["reader"] = make_caller(world, "kartrekker_a", scopes=["regios:lezen"])
    return callers


def _fixed_paths(objects) -> list[dict]:
    """Path parameters of real objects of region A (Borger: outside lpa_a's gemeente)."""
    return [
        {},
        {
            "referentie": objects["borger"].reference,
            "id": objects["step"].pk,
            "code": "VO2202",
        },
        {
            "referentie": objects["emmen"].reference,
            "id": objects["interview"].pk,
            "code": "VO2201",
        },
    ]


def test_fuzz_every_operation_as_every_client(world, fuzz_world):
    callers = _callers(world)  # tokens through the test client, before the WSGI app
    with in_test_transaction() as app:
        _fuzz(app, callers, fuzz_world)


def _fuzz(app, callers, fuzz_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    tried = 0
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        for fixed in _fixed_paths(fuzz_world):
            path_parameters = {k: v for k, v in fixed.items() if k in names} or None
            if fixed and not path_parameters:
                continue
            modes = [GenerationMode.POSITIVE] if fixed else list(EXAMPLES)
            for mode in modes:
                strategy = operation.as_strategy(
                    generation_mode=mode, path_parameters=path_parameters
                )
                examples = FIXED_EXAMPLES if fixed else EXAMPLES[mode]
                for persona, caller in callers.items():
                    _run(strategy, app, caller, persona, mode, examples)
                    tried += 1
                if not fixed:
                    _run(strategy, app, None, "anonymous", mode, 1)
    assert tried > 150


def _run(strategy, app, caller, persona, mode, examples):
    headers = caller.headers() if caller else {}
    auth = {"Authorization": headers["HTTP_AUTHORIZATION"]} if caller else {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        before = _state()
        if case.headers:
            case.headers.pop("Authorization", None)
        response = case.call(app=app, headers=auth)
        checks = (
            CHECKS
            if mode == GenerationMode.NEGATIVE
            else [
                *CHECKS,
                response_schema_conformance,
            ]
        )
        case.validate_response(response, checks=checks)
        assert response.headers.get("api-version"), "no API-Version header"
        if response.status_code >= 400 or caller is None:
            assert _state() == before, f"partial write: {case.method} {case.path} {persona}"
        if response.status_code < 300 and caller is not None:
            body = json.loads(response.content or b"null")
            _check_scope(caller.user, body)
        if caller is None:
            assert response.status_code in (400, 401, 404, 405), response.status_code

    try:
        run()
    except Unsatisfiable:
        # An operation without input has no invalid request to make (negative mode).
        assert mode == GenerationMode.NEGATIVE
