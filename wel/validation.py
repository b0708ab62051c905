"""What input the product accepts at all: one place for the rules every form, filter, query
string and service shares.

- **Text** never carries NUL or other control characters (only tab, line feed and carriage
  return), and never exceeds its column: PostgreSQL refuses NUL in text and values longer than a
  ``varchar``, and either would surface as a 500 after part of a request was done.
- **Dates** are *plausible* for what they describe (:class:`DateRule`). Python's dates run from
  year 1 to 9999; a date near either end overflows the moment a period or an age is computed
  from it, and a report for year 9999 can never be built. The rules per field are listed in
  ``docs/architecture.md`` ("Input: what is accepted at all").

The form side lives in :mod:`wel.forms` (``WelFormMixin``), the query-string side in
:mod:`wel.middleware`; services call :meth:`DateRule.check` (or the model's ``full_clean``, which
runs the same validators declared on the model fields).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# C0 control characters except tab, line feed and carriage return; DEL; the C1 block.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A text field without a column length (TextField, or a form field of no model) takes at most
# this many characters: a long interview answer is a few thousand.
TEXT_MAX_LENGTH = 20_000

# A query-string value (a search, a filter, a date) is never longer than this.
QUERY_VALUE_MAX_LENGTH = 1_000

# Integers a form accepts when the model says nothing narrower (PostgreSQL ``integer``).
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1

# The first year of the programme WEL in Ontwikkeling (phase 1 started in September 2025).
PROGRAMME_FIRST_YEAR = 2025

# Records of this product describe events from this date on (nothing older is registered).
EARLIEST_EVENT = dt.date(2000, 1, 1)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuse NUL and other control characters (tab, line feed and carriage return are text)."""

    message = _(
        "This text contains an invisible control character (for example from a copy-paste). "
        "Type the text again or remove the character."
    )
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ProhibitControlCharactersValidator)


@dataclass(frozen=True)
class _Range:
    earliest: dt.date
    latest: dt.date


@deconstructible
class DateRule:
    """A plausible date range for one kind of date, relative to today (``timezone.localdate``).

    ``kind`` is one of:

    - ``"date_of_birth"``: within the last 30 years and not in the future. The Leerplichtwet
      concerns children from 5 to 18 (kwalificatieplicht); 30 years leaves room for late
      registrations and for records kept until their retention ends.
    - ``"event"``: something that happened (an interview, a moreel beraad, a contact moment, a
      notice, a statement, consent, the start of an activity): not before 1 January 2000 and not
      more than 7 days in the future (a record entered the evening before).
    - ``"planned"``: a date in a plan (renewal, next contact, an exemption's end, a due date, an
      activity's end, a training): not before 1 January 2000 and at most 20 years ahead (an
      exemption for the whole leerplicht period of a five-year-old runs about 13 years).
    - ``"programme"``: a report or dashboard period, or a region joining: within the programme's
      years, from 1 January of :data:`PROGRAMME_FIRST_YEAR` to 31 December of next year.
    - ``"search"``: a date typed into a list filter: 1 January 1900 to 31 December 2100, wide
      enough for every record and far from the ends of the calendar.
    """

    FUTURE_MARGIN_DAYS = 7
    KINDS = ("date_of_birth", "event", "planned", "programme", "search")

    def __init__(self, kind: str):
        if kind not in self.KINDS:
            raise ValueError(f"unknown date rule {kind!r}; choose one of {self.KINDS}")
        self.kind = kind

    def range(self, today: dt.date | None = None) -> _Range:
        today = today or timezone.localdate()
        if self.kind == "date_of_birth":
            return _Range(_years_before(today, 30), today)
        if self.kind == "event":
            return _Range(EARLIEST_EVENT, today + dt.timedelta(days=self.FUTURE_MARGIN_DAYS))
        if self.kind == "planned":
            return _Range(EARLIEST_EVENT, _years_before(today, -20))
        if self.kind == "programme":
            return _Range(dt.date(PROGRAMME_FIRST_YEAR, 1, 1), dt.date(today.year + 1, 12, 31))
        return _Range(dt.date(1900, 1, 1), dt.date(2100, 12, 31))

    def check(self, value: dt.date | dt.datetime | None, *, today: dt.date | None = None) -> None:
        """Raise ``ValidationError`` (code ``implausible_date``) when ``value`` is outside."""
        if value is None:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        bounds = self.range(today)
        if bounds.earliest <= day <= bounds.latest:
            return
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {
                "earliest": date_format(bounds.earliest, "d-m-Y"),
                "latest": date_format(bounds.latest, "d-m-Y"),
            },
            code="implausible_date",
        )

    __call__ = check

    def __eq__(self, other) -> bool:
        return isinstance(other, DateRule) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(("DateRule", self.kind))

    def __repr__(self) -> str:
        return f"DateRule({self.kind!r})"


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


DATE_OF_BIRTH = DateRule("date_of_birth")
EVENT = DateRule("event")
PLANNED = DateRule("planned")
PROGRAMME = DateRule("programme")
SEARCH = DateRule("search")


def date_rule_of(validators) -> DateRule | None:
    return next((v for v in validators if isinstance(v, DateRule)), None)
