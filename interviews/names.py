"""The interviews app's name source for the shared-text check (:mod:`wel.shared_text`): which
words of a text are the name of an interview's respondent (a parent, the young person, a
professional) that the author can see. One query on an expression index over
``LOWER(respondent_name)``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from wel.access import scope_for

from .models import Interview


def respondent_names_in_text(*, author, words: frozenset[str]) -> Iterable[str]:
    if not words or scope_for(author).case_q() == Q(pk__in=[]):
        return []
    return list(
        Interview.objects.visible_to(author)
        .order_by()
        .annotate(lname=Lower("respondent_name"))
        .filter(lname__in=sorted(words))
        .values_list("lname", flat=True)
        .distinct()
    )
