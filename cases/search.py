"""Find a case: one box for a reference, a name, a BSN or a date of birth (issue 21 §1).

:func:`parse` says what the text is; :func:`search_q` turns it into a ``Q`` on
:class:`cases.models.Jeugdige`. The caller always starts from
``Jeugdige.objects.visible_to(user)``: a search never reaches outside the user's scope.

- **BSN**: nine digits (spaces and dots allowed) that pass the 11-test, matched exactly on the
  ``bsn`` column (served by the unique index per region). Nine digits that fail the test are
  refused with a message, not searched. A BSN search is audited as its own event type.
- **Date of birth**: ``dd-mm-jjjj`` (also with ``/`` or ``.``, or one-digit day and month).
- **Name**: every word must occur in the case's ``search_name`` (given and family name,
  lower case, accents removed: :func:`normalise`), in any order — "de Vries Sanne", "Sanne
  de vries" and "Sänne" all find Sanne de Vries. The text is also tried as (part of) a
  reference, so "EMM-2026-0007" and "2026-0007" find that case.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

MAX_WORDS = 5
_BSN_SHAPE = re.compile(r"\d{9}")
_DATE_SHAPE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Query:
    kind: str  # "empty", "bsn", "invalid_bsn", "date_of_birth", "invalid_date", "text"
    text: str = ""
    bsn: str = ""
    date: dt.date | None = None
    words: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits a single space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).replace("_", " ").split())


def search_name_of(given_name: str, family_name: str) -> str:
    """What :attr:`Jeugdige.search_name` holds for these names."""
    return normalise(f"{given_name} {family_name}")[:300]


def bsn_valid(digits: str) -> bool:
    """The 11-test of a BSN (nine digits; weights 9..2 and -1)."""
    if not _BSN_SHAPE.fullmatch(digits) or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def parse(text: str) -> Query:
    text = (text or "").strip()[:100]
    if not text:
        return Query("empty")
    compact = re.sub(r"[\s.]", "", text)
    if _BSN_SHAPE.fullmatch(compact):
        return Query("bsn", text, bsn=compact) if bsn_valid(compact) else Query("invalid_bsn", text)
    date = _DATE_SHAPE.fullmatch(text)
    if date:
        day, month, year = (int(g) for g in date.groups())
        try:
            return Query("date_of_birth", text, date=dt.date(year, month, day))
        except ValueError:
            return Query("invalid_date", text)
    words = tuple(normalise(text).split()[:MAX_WORDS])
    return Query("text", text, words=words)


def search_q(query: Query) -> Q:
    """The cases a query finds (to be applied to a ``visible_to`` queryset)."""
    if query.kind == "bsn":
        return Q(bsn=query.bsn)
    if query.kind == "date_of_birth":
        return Q(date_of_birth=query.date)
    if query.kind != "text" or not (query.words or query.text):
        return Q(pk__in=[])
    names = Q()
    for word in query.words:
        names &= Q(search_name__contains=word)
    reference = Q(reference__icontains=query.text.replace(" ", ""))
    return (names | reference) if query.words else reference
