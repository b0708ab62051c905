"""Errors as ``application/problem+json`` (RFC 9457, the NL API Design Rules' problem details):
``type``, ``title``, ``status``, ``detail``, ``instance`` and, for bad input, ``invalid-params``
with one entry per field (``name``, ``reason``, ``code``) in the client's language (Dutch by
default). Every error of the API goes through :func:`problem`: DRF's exceptions here, the
domain's ``ValidationError``/``PermissionDenied``/``Http404`` too, and whatever another layer
answered (see :mod:`api.middleware`)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from cases.services import ConcurrentEditError
from wel.forms import service_error_items

PROBLEM = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet acceptabel",
    409: "Conflict",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


def title_for(status: int) -> str:
    return TITLES.get(status, "Fout")


def body(status: int, detail: str, *, instance: str = "", invalid=None, code: str = "") -> dict:
    out = {
        "type": f"https://wel.example.nl/api/v1/problemen/{status}",
        "title": title_for(status),
        "status": status,
        "detail": str(detail),
    }
    if instance:
        out["instance"] = instance
    if code:
        out["code"] = code
    if invalid:
        out["invalid-params"] = invalid
    return out


def django_response(status: int, detail: str, *, instance: str = "", **kw) -> HttpResponse:
    """A problem as a plain Django response (for layers outside DRF)."""
    return HttpResponse(
        json.dumps(body(status, detail, instance=instance, **kw), ensure_ascii=False),
        status=status,
        content_type=PROBLEM,
    )


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as ``invalid-params``."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key in ("non_field_errors", "__all__"):
                name = prefix or "body"
            out += _flatten(value, name)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                out += _flatten(value, f"{prefix}[{i}]")
            else:
                out += _flatten(value, prefix)
    else:
        out.append(
            {
                "name": prefix or "body",
                "reason": str(detail),
                "code": getattr(detail, "code", "invalid") or "invalid",
            }
        )
    return out


def invalid_params(error: DjangoValidationError, field_names: dict[str, str]) -> list[dict]:
    """A domain ``ValidationError`` (a service's) as ``invalid-params``, model field names
    turned into the API's (``field_names``)."""
    out = []
    for field, e in service_error_items(error):
        name = "body" if field in (None, "__all__") else field_names.get(field, field)
        out.append({"name": name, "reason": " ".join(e.messages), "code": e.code or ""})
    return out


class DomainInvalid(exceptions.APIException):
    """A service refused the input: 400 with the service's messages per field."""

    status_code = 400

    def __init__(self, error: DjangoValidationError, field_names: dict[str, str]):
        self.invalid = invalid_params(error, field_names)
        self.code_ = getattr(error, "code", "") or ""
        super().__init__(detail=_("The input was refused. See invalid-params for each field."))


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "conflict"


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""
    invalid = None
    code = ""
    if isinstance(exc, ConcurrentEditError):
        exc = Conflict(detail=exc.messages[0])
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("There is nothing here, or it is outside your scope."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("You may not do this."))
    elif isinstance(exc, DjangoValidationError):
        exc = DomainInvalid(exc, {})
    if not isinstance(exc, exceptions.APIException):
        return None  # a real fault: Django's 500, turned into a problem by the middleware
    status = exc.status_code
    if isinstance(exc, DomainInvalid):
        invalid, code = exc.invalid, exc.code_
        detail = str(exc.detail)
    elif isinstance(exc, exceptions.ValidationError):
        invalid = _flatten(exc.detail)
        detail = _("The input was refused. See invalid-params for each field.")
    else:
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(
        body(status, str(detail), instance=instance, invalid=invalid, code=code),
        status=status,
        headers=headers,
        content_type=PROBLEM,
    )
