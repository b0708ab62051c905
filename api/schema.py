"""The OpenAPI document (drf-spectacular) as the NL API Design Rules want it (the Logius
ruleset in api/linter/, docs/api.md): every success answer names its ``API-Version`` header;
every error answer is ``application/problem+json`` with ``status``, ``title`` and ``detail``;
every operation that takes input can answer 400; the OAuth 2.0 client credentials flow and the
scope each operation needs are declared."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSION_HEADER = {"$ref": "#/components/headers/API-Version"}
ERRORS = {
    "400": "Ongeldige invoer: zie invalid-params.",
    "401": "Geen of een ongeldig toegangstoken.",
    "403": "De client mist de scope of de rol voor deze aanroep.",
    "404": "Bestaat niet of valt buiten de scope van de client.",
    "409": "Iemand anders wijzigde de jeugdige na de gelezen versie.",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een fout volgens RFC 9457 (problem details).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "invalid-params": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "reason": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
}


class AutoSchema(SpectacularAutoSchema):
    pass


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiClientAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token",
                    "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        needed = getattr(auto_schema.view, "required_scopes", {}).get(auto_schema.method)
        return {self.name: [needed] if needed else []}


def postprocess(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["headers"] = {
        "API-Version": {
            "description": "De volledige versie van de API.",
            "schema": {"type": "string", "example": settings.WEL_API_VERSION},
            "required": True,
        }
    }
    result["servers"] = settings.SPECTACULAR_SETTINGS["SERVERS"]
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code.startswith(("2", "3")):
                    response.setdefault("headers", {})["API-Version"] = VERSION_HEADER
            codes = ["401", "403", "404"]
            if method in ("post", "patch", "put") or operation.get("parameters"):
                codes.insert(0, "400")
            if method == "patch" and operation.get("operationId") == "jeugdigeWijzigen":
                codes.append("409")
            for code in codes:
                responses[code] = {
                    "description": ERRORS[code],
                    "headers": {"API-Version": VERSION_HEADER},
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                }
    return result
