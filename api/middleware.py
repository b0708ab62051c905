"""Every answer under ``/api/`` (NL API Design Rules):

- carries ``API-Version`` (the OpenAPI document's ``info.version``; /core/version-header);
- is ``application/problem+json`` when it is an error, whichever layer answered — the
  query-string guard's 400 page, Django's 404 for an unknown path (a trailing slash too:
  /core/no-trailing-slash), a 500 — so a client never has to parse an HTML page;
- is never stored by a cache (``no-store``: personal data of minors; the OpenAPI document too,
  so a new version is seen at once); the OpenAPI document is public and open to every origin
  (CORS ``*``, /core/publish-openapi).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import problems

PREFIX = "/api/"
OPENAPI_PATH = "/api/v1/openapi.json"

_DETAIL = {
    400: gettext_noop(
        "The request could not be read: a query value holds a control character or is too "
        "long. Remove it and try again."
    ),
    404: gettext_noop(
        "There is nothing here. Paths have no trailing slash; see /api/v1/openapi.json."
    ),
    405: gettext_noop("This method is not allowed here."),
    500: gettext_noop(
        "Something went wrong on our side. The error has been logged; try again later."
    ),
}


class ApiResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and "json" not in content_type:
            status = response.status_code
            response = problems.django_response(
                status,
                _(_DETAIL[status]) if status in _DETAIL else problems.title_for(status),
                instance=request.path[:255],
            )
        response["API-Version"] = settings.WEL_API_VERSION
        if request.path == OPENAPI_PATH:
            response["Access-Control-Allow-Origin"] = "*"
        add_never_cache_headers(response)
        return response
