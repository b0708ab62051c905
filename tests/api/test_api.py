"""The API with real OAuth 2.0 tokens: scope per persona, problem+json, the version header,
writes through the services (audit, processing log), clients' lifecycle."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from cases.models import ContactMoment, Jeugdige
from tests.api.conftest import ALL_SCOPES, token_for
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent, ProcessingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    emmen = make_jeugdige(world, given_name="Anna", family_name="Emmen")
    borger = make_jeugdige(world, gemeente=world.borger, given_name="Bas", family_name="Borger")
    assen = make_jeugdige(
        world, region=world.region_b, gemeente=world.assen, given_name="Cor", by=world.user("lpa_b")
    )
    return {"emmen": emmen, "borger": borger, "assen": assen}


def get(caller, path, **params):
    return Client().get(path, params, **caller.headers())


def refs(response) -> set[str]:
    return {row["referentie"] for row in response.json()["resultaten"]}


# -- scope ------------------------------------------------------------------------------------
def test_each_client_lists_exactly_the_cases_of_its_scope(api, cases):
    assert refs(get(api("lpa_a"), "/api/v1/jeugdigen")) == {cases["emmen"].reference}
    assert refs(get(api("kartrekker_a"), "/api/v1/jeugdigen")) == {
        cases["emmen"].reference,
        cases["borger"].reference,
    }
    assert refs(get(api("lpa_b"), "/api/v1/jeugdigen")) == {cases["assen"].reference}
    # national roles see no case content: the case endpoints are not open to their role
    response = get(api("landelijk"), "/api/v1/jeugdigen")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_case_outside_the_scope_is_not_found_and_the_attempt_is_logged(api, cases):
    caller = api("lpa_a")
    response = get(caller, f"/api/v1/jeugdigen/{cases['borger'].reference}")
    assert response.status_code == 404
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == 404 and body["title"] and body["detail"]
    denied = AuditEvent.objects.get(user=caller.user, outcome=AuditEvent.Outcome.DENIED)
    assert denied.jeugdige_id == cases["borger"].pk


def test_reading_a_case_is_audited_with_the_client_as_actor_under_the_callers_trace(api, cases):
    caller = api("lpa_a")
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = Client().get(
        f"/api/v1/jeugdigen/{cases['emmen'].reference}",
        **caller.headers(HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01"),
    )
    assert response.status_code == 200
    assert response.json()["voornaam"] == "Anna"
    assert response["API-Version"] == "1.0.0"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(user=caller.user, event_type="jeugdige.viewed")
    assert event.jeugdige_id == cases["emmen"].pk
    line = ProcessingRecord.objects.get(audit_event_id=event.pk)
    assert line.trace_id == trace
    assert line.parent_span_id == "00f067aa0ba902b7"


def test_the_list_is_audited_like_the_case_list_page(api, cases):
    caller = api("kartrekker_a")
    get(caller, "/api/v1/jeugdigen")
    event = AuditEvent.objects.get(user=caller.user, event_type="case_list.viewed")
    assert event.detail["rows"] == 2
    assert (
        ProcessingRecord.objects.filter(audit_event_id=event.pk, jeugdige_id__isnull=False).count()
        == 2
    )


def test_filters_and_pages(api, cases):
    caller = api("kartrekker_a")
    assert refs(get(caller, "/api/v1/jeugdigen", gemeente=cases["borger"].gemeente.cbs_code)) == {
        cases["borger"].reference
    }
    page = get(caller, "/api/v1/jeugdigen", paginaGrootte=1).json()
    assert page["paginering"]["totaal"] == 2 and len(page["resultaten"]) == 1
    assert page["paginering"]["volgende"] and page["paginering"]["vorige"] is None
    beyond = get(caller, "/api/v1/jeugdigen", pagina=9).json()
    assert beyond["resultaten"] == []
    bad = get(caller, "/api/v1/jeugdigen", paginaGrootte=1000, status="nope")
    assert bad.status_code == 400
    names = {p["name"] for p in bad.json()["invalid-params"]}
    assert names == {"paginaGrootte"} or names == {"status"}


def test_the_scope_of_the_token_limits_the_calls(world, api, cases):
    reader = api("lpa_a", scopes=["regios:lezen"])
    response = get(reader, "/api/v1/jeugdigen")
    assert response.status_code == 403
    assert "jeugdigen:lezen" in response.json()["detail"]
    assert get(reader, "/api/v1/regios").status_code == 200


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(api):
    caller = api("lpa_a", scopes=["regios:lezen"])
    status, body = token_for(
        caller.credentials.client_id, caller.credentials.client_secret, "jeugdigen:lezen"
    )
    assert status == 400 and body["error"] == "invalid_scope"


def test_only_the_client_credentials_grant(api):
    caller = api("lpa_a")
    response = Client().post(
        "/api/v1/oauth/token",
        {
            "grant_type": "password",
            "username": caller.user.email,
            "password": "x",
            "client_id": caller.credentials.client_id,
            "client_secret": caller.credentials.client_secret,
        },
    )
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


# -- no session, no token ---------------------------------------------------------------------
def test_a_session_is_not_an_api_credential(client_for, cases):
    response = client_for("kartrekker_a").get("/api/v1/jeugdigen")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["API-Version"] == "1.0.0"


def test_a_wrong_token_is_401(db):
    response = Client().get("/api/v1/regios", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_trailing_slash_and_unknown_paths_are_404_problems(api):
    caller = api("lpa_a")
    for path in ("/api/v1/jeugdigen/", "/api/v1/regios/", "/api/v1/onbekend", "/api/v2/x"):
        response = get(caller, path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json", path
        assert response["API-Version"] == "1.0.0", path


def test_a_control_character_in_the_query_is_a_400_problem(api):
    response = get(api("lpa_a"), "/api/v1/jeugdigen", gemeente="\x00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_is_public_with_cors(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["API-Version"] == "1.0.0"
    document = response.json()
    assert document["info"]["version"] == "1.0.0"
    assert "/jeugdigen" in document["paths"]


# -- writes -----------------------------------------------------------------------------------
NEW = {
    "gemeente": "0114",
    "voornaam": "Daan",
    "achternaam": "Nieuw",
    "geboortedatum": "2014-03-02",
    "grondslag": "absoluut_verzuim",
}


def test_registering_a_case_goes_through_the_service(api, world):
    caller = api("lpa_a")
    response = Client().post(
        "/api/v1/jeugdigen", NEW, content_type="application/json", **caller.headers()
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    jeugdige = Jeugdige.objects.get(reference=body["referentie"])
    assert jeugdige.region == world.region_a and jeugdige.created_by == caller.user
    assert AuditEvent.objects.filter(
        user=caller.user, event_type="jeugdige.created", jeugdige_id=jeugdige.pk
    ).exists()
    assert jeugdige.timeline.filter(kind="created").exists()


def test_registering_outside_the_scope_is_refused(api):
    caller = api("lpa_a")  # Emmen only
    response = Client().post(
        "/api/v1/jeugdigen",
        {**NEW, "gemeente": "1681"},
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 403
    assert not Jeugdige.objects.filter(family_name="Nieuw").exists()
    response = Client().post(
        "/api/v1/jeugdigen",
        {**NEW, "gemeente": "0106"},  # Assen: another region
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["name"] == "gemeente"


def test_bad_input_is_400_with_dutch_reasons_per_field(api, settings):
    settings.LANGUAGE_CODE = "nl"
    caller = api("lpa_a")
    response = Client().post(
        "/api/v1/jeugdigen",
        {**NEW, "geboortedatum": "gisteren", "voornaam": "a\x00b"},
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Ongeldige invoer"
    reasons = {p["name"]: p["reason"] for p in body["invalid-params"]}
    assert set(reasons) == {"geboortedatum", "voornaam"}
    assert "formaat" in reasons["geboortedatum"].lower()
    assert "stuurtekens" in reasons["voornaam"].lower()


def test_a_rule_of_the_service_comes_back_per_field(api):
    caller = api("lpa_a")
    response = Client().post(
        "/api/v1/jeugdigen",
        {**NEW, "geboortedatum": "1990-01-01"},
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 400
    assert response.json()["invalid-params"]
    assert not Jeugdige.objects.filter(family_name="Nieuw").exists()


def test_update_with_version_and_conflict(api, cases):
    caller = api("lpa_a")
    jeugdige = cases["emmen"]
    url = f"/api/v1/jeugdigen/{jeugdige.reference}"
    response = Client().patch(
        url,
        {"notities": "Gebeld met school.", "versie": jeugdige.version},
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["versie"] == jeugdige.version + 1
    stale = Client().patch(
        url,
        {"notities": "Oud.", "versie": jeugdige.version},
        content_type="application/json",
        **caller.headers(),
    )
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    jeugdige.refresh_from_db()
    assert jeugdige.notes == "Gebeld met school."
    missing = Client().patch(
        url, {"notities": "x"}, content_type="application/json", **caller.headers()
    )
    assert missing.status_code == 400


def test_contact_moments(api, cases):
    caller = api("lpa_a")
    url = f"/api/v1/jeugdigen/{cases['emmen'].reference}/contactmomenten"
    response = Client().post(
        url,
        {"datum": "2026-01-05", "soort": "telefoon", "samenvatting": "Moeder gebeld."},
        content_type="application/json",
        **caller.headers(),
    )
    assert response.status_code == 201, response.json()
    assert ContactMoment.objects.filter(jeugdige=cases["emmen"]).count() == 1
    listed = get(caller, url).json()["resultaten"]
    assert [c["samenvatting"] for c in listed] == ["Moeder gebeld."]
    other = f"/api/v1/jeugdigen/{cases['borger'].reference}/contactmomenten"
    assert get(caller, other).status_code == 404
    refused = Client().post(
        other,
        {"datum": "2026-01-05", "soort": "telefoon", "samenvatting": "x"},
        content_type="application/json",
        **caller.headers(),
    )
    assert refused.status_code == 404
    assert not ContactMoment.objects.filter(jeugdige=cases["borger"]).exists()


def test_vrijstellingen_regions_gemeenten(api, cases, world):
    caller = api("kartrekker_a")
    rows = get(caller, "/api/v1/vrijstellingen").json()["resultaten"]
    assert {r["jeugdige"] for r in rows} <= {cases["emmen"].reference, cases["borger"].reference}
    assert [r["code"] for r in get(caller, "/api/v1/regios").json()["resultaten"]] == [
        world.region_a.code
    ]
    assert get(caller, f"/api/v1/regios/{world.region_b.code}").status_code == 404
    codes = {g["cbsCode"] for g in get(caller, "/api/v1/gemeenten").json()["resultaten"]}
    assert codes == {"0114", "1681"}
    national = api("landelijk")
    assert len(get(national, "/api/v1/regios").json()["resultaten"]) >= 2


def test_year_overview_and_protected_figures(api, cases, world):
    lpa = api("lpa_a")
    response = get(lpa, "/api/v1/leerplichttelling", gemeente="0114", schooljaar="2025-2026")
    assert response.status_code == 200, response.json()
    assert {r["sleutel"] for r in response.json()["rijen"]} >= {"absoluut_verzuim"}
    assert AuditEvent.objects.filter(user=lpa.user, event_type="year_overview.viewed").exists()
    assert get(lpa, "/api/v1/leerplichttelling", gemeente="1681").status_code == 404
    assert get(lpa, "/api/v1/leerplichttelling", gemeente="0114", schooljaar="x").status_code == 400
    assert get(lpa, "/api/v1/cijfers").status_code == 403
    national = api("landelijk")
    tables = get(national, "/api/v1/cijfers").json()
    assert {t["sleutel"] for t in tables} >= {"regions", "status"}
    assert get(national, "/api/v1/leerplichttelling", gemeente="0114").status_code == 403


# -- the client's lifecycle -------------------------------------------------------------------
def test_command_creates_rotates_and_revokes(world, capsys):
    call_command(
        "api_client",
        "create",
        "--name",
        "Leerplichtpakket Emmen",
        "--region",
        world.region_a.code,
        "--gemeente",
        "0114",
        "--scopes",
        "jeugdigen:lezen",
        "regios:lezen",
    )
    out = capsys.readouterr().out
    client_id = out.split("client_id: ")[1].split()[0]
    secret = out.split("client_secret: ")[1].split()[0]
    status, body = token_for(client_id, secret)
    assert status == 200 and set(body["scope"].split()) == {"jeugdigen:lezen", "regios:lezen"}
    token = body["access_token"]
    from api.models import ApiClient

    client = ApiClient.objects.get(application__client_id=client_id)
    assert not client.user.has_usable_password()

    call_command("api_client", "rotate", str(client.pk))
    new_secret = capsys.readouterr().out.split("client_secret: ")[1].split()[0]
    assert token_for(client_id, secret)[0] == 401
    old = Client().get("/api/v1/regios", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert old.status_code == 401
    status, body = token_for(client_id, new_secret)
    assert status == 200
    token = body["access_token"]

    call_command("api_client", "revoke", str(client.pk))
    assert Client().get("/api/v1/regios", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert token_for(client_id, new_secret)[0] == 401


def test_command_refuses_unknown_scope_and_gemeente(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "api_client",
            "create",
            "--name",
            "x",
            "--region",
            world.region_a.code,
            "--scopes",
            "alles",
        )
    with pytest.raises(CommandError):
        call_command(
            "api_client",
            "create",
            "--name",
            "x",
            "--region",
            world.region_a.code,
            "--gemeente",
            "0106",
            "--scopes",
            *ALL_SCOPES,
        )


def test_a_client_is_no_person_to_assign_a_case_to(api, world, cases):
    from cases.forms import lpas_for
    from cases.services import assignable_users

    caller = api("kartrekker_a")
    assert caller.user not in assignable_users(
        region_id=world.region_a.pk, gemeente_id=world.emmen.pk
    )
    assert caller.user not in lpas_for(world.user("kartrekker_a"))


def test_the_lists_total_is_the_exact_count_kept_under_the_case_tokens(
    world, api, cases, django_assert_num_queries
):
    """The total of the list of jeugdigen is counted once and kept under the regions' case
    tokens (cases.counts): the same question again reads it, a new case changes it at once,
    and a filter is its own question; a municipality filter (a join) is counted every time."""
    caller = api("kartrekker_a")

    def total(**params) -> int:
        return get(caller, "/api/v1/jeugdigen", **params).json()["paginering"]["totaal"]

    assert total() == 2
    assert total(status="aangemeld") == 2
    assert total(grondslag="absoluut_verzuim") == 0
    make_jeugdige(world, given_name="Nieuw", grondslag="absoluut_verzuim")
    assert total() == 3
    assert total(grondslag="absoluut_verzuim") == 1
    assert total(gemeente=world.borger.cbs_code) == 1
    assert total(gemeente=world.emmen.cbs_code) == 2
    assert total(gewijzigdSinds="2000-01-01") == 3
    assert total(gewijzigdSinds="2999-01-01") == 0
