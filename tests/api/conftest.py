"""API clients for the personas of the world: each a service account with the persona's
organisation and role, and every scope (the scopes are tested on their own)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client

from api import services
from wel.models import Role

ALL_SCOPES = sorted(settings.OAUTH2_PROVIDER["SCOPES"])
API_PERSONAS = ("lpa_a", "kartrekker_a", "lpa_b", "landelijk")


@dataclass
class ApiCaller:
    credentials: services.Credentials
    token: str

    @property
    def user(self):
        return self.credentials.client.user

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}


def token_for(client_id: str, secret: str, scope: str = "") -> tuple[int, dict]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    response = Client().post("/api/v1/oauth/token", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    return response.status_code, response.json()


def make_caller(world, persona: str, scopes=ALL_SCOPES) -> ApiCaller:
    kw = {
        "lpa_a": {"region_code": world.region_a.code, "gemeente_codes": [world.emmen.cbs_code]},
        "kartrekker_a": {"region_code": world.region_a.code, "role": Role.KARTREKKER},
        "lpa_b": {"region_code": world.region_b.code},
        "landelijk": {"national_role": "landelijk_team"},
    }[persona]
    credentials = services.client_create(name=f"client {persona}", scopes=list(scopes), **kw)
    status, body = token_for(credentials.client_id, credentials.client_secret)
    assert status == 200, body
    return ApiCaller(credentials=credentials, token=body["access_token"])


@pytest.fixture
def api(world):
    """``api("lpa_a")``: an API caller with that persona's scope (made once per test)."""
    made: dict[str, ApiCaller] = {}

    def get(persona: str, scopes=ALL_SCOPES) -> ApiCaller:
        key = f"{persona}:{' '.join(scopes)}"
        if key not in made:
            made[key] = make_caller(world, persona, scopes)
        return made[key]

    return get
