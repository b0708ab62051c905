"""Pages of a list: ``pagina`` (from 1) and ``paginaGrootte`` (1–100, default 25); the body
holds ``resultaten`` and ``paginering`` (total, page, size and the links to the neighbours).
The total is counted in the database (one query), the page read in another; a view whose
list is of jeugdigen alone may name its question (``count_key``), and the total is then the
exact count kept under the regions' case tokens (:mod:`cases.counts`), as the case list's."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

MAX_SIZE = 100


def _positive(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f"1 – {maximum}" if maximum else _("1 or more")
        raise ValidationError({name: [_("Give a whole number in %(range)s.") % {"range": limit}]})
    return value


class Pages(BasePagination):
    page_size = 25

    def paginate_queryset(self, queryset, request, view=None):
        size = _positive(request, "paginaGrootte", self.page_size, MAX_SIZE)
        number = _positive(request, "pagina", 1, 1_000_000)
        counted = getattr(view, "count_key", None)
        question = counted(request) if counted is not None else None
        if question is None:
            paginator = Paginator(queryset, size)
        else:
            from cases.counts import CountedPaginator

            region_ids, key = question
            paginator = CountedPaginator(queryset, size, region_ids=region_ids, count_key=key)
        try:
            self.page = paginator.page(number)
        except EmptyPage:
            self.page = None
            self.count, self.number, self.size = paginator.count, number, size
            self.request = request
            return []
        self.count, self.number, self.size = paginator.count, number, size
        self.request = request
        return list(self.page.object_list)

    def _link(self, number: int | None) -> str | None:
        if number is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "pagina", number)

    def get_paginated_response(self, data):
        has_next = self.page is not None and self.page.has_next()
        has_previous = self.number > 1
        return Response(
            {
                "resultaten": data,
                "paginering": {
                    "totaal": self.count,
                    "pagina": self.number,
                    "paginaGrootte": self.size,
                    "volgende": self._link(self.number + 1 if has_next else None),
                    "vorige": self._link(self.number - 1 if has_previous else None),
                },
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["resultaten", "paginering"],
            "properties": {
                "resultaten": schema,
                "paginering": {
                    "type": "object",
                    "required": ["totaal", "pagina", "paginaGrootte", "volgende", "vorige"],
                    "properties": {
                        "totaal": {"type": "integer", "minimum": 0},
                        "pagina": {"type": "integer", "minimum": 1},
                        "paginaGrootte": {"type": "integer", "minimum": 1},
                        "volgende": link,
                        "vorige": link,
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "pagina",
                "in": "query",
                "required": False,
                "description": "Het paginanummer, vanaf 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000000},
            },
            {
                "name": "paginaGrootte",
                "in": "query",
                "required": False,
                "description": "Het aantal resultaten per pagina (1–100, standaard 25).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE},
            },
        ]
