"""The cases app's name source for the shared-text check (:mod:`wel.shared_text`): which words
of a text are the given name, family name or full name of a jeugdige, or the name of a
betrokkene, that the author can see.

One query (a UNION of three index lookups): the text's words are compared with
``LOWER(given_name)``, ``LOWER(family_name)`` and ``LOWER(betrokkene.name)``, each backed by an
expression index, so the cost follows the length of the text, not the number of cases.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from wel.access import scope_for

from .models import Betrokkene, Jeugdige


def names_in_text(*, author, words: frozenset[str]) -> Iterable[str]:
    """The lower-cased names among ``words`` of people whose case ``author`` can see."""
    scope = scope_for(author)
    case_q = scope.case_q("region", "gemeente")
    if not words or case_q == Q(pk__in=[]):
        return []
    wanted = sorted(words)
    jeugdigen = Jeugdige.objects.filter(case_q).order_by()
    given = jeugdigen.annotate(name=Lower("given_name")).filter(name__in=wanted).values_list("name")
    family = (
        jeugdigen.annotate(name=Lower("family_name")).filter(name__in=wanted).values_list("name")
    )
    betrokkenen = (
        Betrokkene.objects.filter(scope.case_q("jeugdige__region", "jeugdige__gemeente"))
        .order_by()
        .annotate(lname=Lower("name"))
        .filter(lname__in=wanted)
        .values_list("lname")
    )
    return [row[0] for row in given.union(family, betrokkenen)]
