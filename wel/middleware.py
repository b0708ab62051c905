"""Query strings (and the path) are checked once, here, before any view reads them.

A value with NUL or another control character, or longer than
:data:`~wel.validation.QUERY_VALUE_MAX_LENGTH`, is never a search or a filter a person typed: the
request is answered "400 Bad Request" with a page that says what to do, and no view runs (so
nothing is read, written or audited). Form fields are checked by the forms themselves
(:class:`wel.forms.WelFormMixin`), where the message can stand next to the field.
"""

from __future__ import annotations

from django.shortcuts import render

from . import validation


def _refusal(request):
    if validation.has_control_characters(request.path):
        return "control"  # /jeugdigen/%00/: a reference, a region code never has one
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if validation.has_control_characters(value):
                return "control"
            if len(value) > validation.QUERY_VALUE_MAX_LENGTH:
                return "length"
    return None


class QueryStringGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = _refusal(request)
        if reason is not None:
            return render(
                request,
                "400.html",
                {"reason": reason, "max_length": validation.QUERY_VALUE_MAX_LENGTH},
                status=400,
            )
        return self.get_response(request)
