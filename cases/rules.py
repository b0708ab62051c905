"""Every Leerplichtwet and programme rule, in one place.

Pure functions of dates and values: no database, no clock (the caller passes the day), no
models. Where the database must filter on a rule, the ORM side (a ``Q`` or a cutoff date) is
built here from the same constants, so the Python and SQL sides cannot disagree; the tests in
``tests/cases/test_rules.py`` check each pair against each other at every boundary.

Sources: Leerplichtwet 1969 (BWBR0002628, "Lpw" below) and the programme's own agreements
(WEL in Ontwikkeling). docs/cases.md lists every rule with its source.

Values of model choices are repeated here as plain strings (``GRONDSLAG_5A``, ``CLOSED`` …)
because the models import this module; a test checks they equal the models' choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q

# -- constants (one place for every number a rule uses) ------------------------------------------
SCHOOL_YEAR_FIRST_MONTH = 8  # Lpw art. 1: a school year runs from 1 August to 31 July
RENEWAL_MONTH, RENEWAL_DAY = 7, 1  # Lpw art. 7: a yearly 5a exemption is renewed before 1 July
LEERPLICHT_START_AGE = 5  # Lpw art. 3 lid 1
FULL_LEERPLICHT_END_AGE = 16  # Lpw art. 4 lid 1
KWALIFICATIEPLICHT_END_AGE = 18  # Lpw art. 4a
RENEWAL_SOON_DAYS = 60  # programme: renewals shown as "due soon" this many days ahead
NO_CONTACT_MONTHS = 6  # programme: "no contact for six months" (calendar months)

# Choice values of the models (checked against them by a test).
GRONDSLAG_5A = "vrijstelling_5a"
WHOLE_PERIOD = "whole_period"
CLOSED = "afgesloten"
OBSTACLE_CLOSED_STATUSES = ("opgelost", "niet_oplosbaar")


def _q(prefix: str, **lookups) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


# -- calendar --------------------------------------------------------------------------------
def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (or earlier, for negative ``years``).

    29 February becomes **1 March** in a year without 29 February: someone born on 29 February
    turns a year older on 1 March in other years. Dutch law has no article that says this in
    so many words (BW art. 1:2 is about the unborn child, not about this); it is the reading
    Dutch practice follows ("juridisch pas op 1 maart een jaar ouder"): the year of life is only
    complete once the whole of 28 February has passed. Every age, birthday and derived date in
    the product goes through this one function.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return dt.date(day.year + years, 3, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later; a day the month lacks becomes its last
    day (31 August + 6 months = 28/29 February). dateutil's ``relativedelta`` arithmetic."""
    return day + relativedelta(months=months)


def school_year_start(day: dt.date) -> dt.date:
    """1 August of the school year that contains ``day`` (Lpw art. 1: 1 August – 31 July)."""
    year = day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1
    return dt.date(year, SCHOOL_YEAR_FIRST_MONTH, 1)


def school_year_end(day: dt.date) -> dt.date:
    """31 July of the school year that contains ``day`` (Lpw art. 1: 1 August – 31 July)."""
    return dt.date(school_year_start(day).year + 1, 7, 31)


# -- age -------------------------------------------------------------------------------------
def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``: a year older on the birthday itself, and someone born on
    29 February on 1 March in other years (see :func:`add_years`)."""
    age = on.year - date_of_birth.year
    return age if add_years(date_of_birth, age) <= on else age - 1


def born_on_or_before(on: dt.date, years: int) -> dt.date:
    """The database side of :func:`age_on`: ``age_on(dob, on) >= years`` exactly when
    ``dob <= born_on_or_before(on, years)``.

    The latest date of birth whose ``years``-th birthday falls on or before ``on``. On a
    29 February ``on`` with ``years`` not a multiple of four that is 28 February (someone born
    on 1 March turns ``years`` only on 1 March).
    """
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # on is 29 February, the target year has none
        return dt.date(on.year - years, 2, 28)


@dataclass(frozen=True)
class AgeBand:
    """Ages ``low`` up to, not including, ``high`` (``None``: no upper bound)."""

    key: str
    low: int
    high: int | None

    @property
    def label(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}–{self.high - 1}"


# Programme's reporting bands: before leerplicht, primary age, secondary age under the full
# leerplicht, kwalificatieplicht, adult (Lpw art. 3, 4, 4a).
AGE_BANDS = (
    AgeBand("0-4", 0, LEERPLICHT_START_AGE),
    AgeBand("5-11", LEERPLICHT_START_AGE, 12),
    AgeBand("12-15", 12, FULL_LEERPLICHT_END_AGE),
    AgeBand("16-17", FULL_LEERPLICHT_END_AGE, KWALIFICATIEPLICHT_END_AGE),
    AgeBand(f"{KWALIFICATIEPLICHT_END_AGE}+", KWALIFICATIEPLICHT_END_AGE, None),
)
AGE_BAND_KEYS = tuple(b.key for b in AGE_BANDS)


def age_band(date_of_birth: dt.date, on: dt.date) -> str:
    """The key of the band (:data:`AGE_BANDS`) the age on ``on`` falls in (a negative age,
    a date of birth after ``on``, counts as the first band)."""
    age = age_on(date_of_birth, on)
    for band in AGE_BANDS:
        if band.high is None or age < band.high:
            return band.key
    raise AssertionError("the last band is open-ended")


def age_band_q(key: str, on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`age_band`: born so that the age on ``on`` is in the band.

    Raises ``KeyError`` for an unknown band key."""
    band = {b.key: b for b in AGE_BANDS}[key]
    q = Q()
    if band.low > 0:
        q &= _q(prefix, date_of_birth__lte=born_on_or_before(on, band.low))
    if band.high is not None:
        q &= ~_q(prefix, date_of_birth__lte=born_on_or_before(on, band.high))
    return q


# -- Leerplichtwet: start and end ------------------------------------------------------------
def leerplicht_start(date_of_birth: dt.date) -> dt.date:
    """Lpw art. 3 lid 1: leerplichtig from the first school day of the month after the month of
    the 5th birthday.

    The school's holidays are not known here, so the first weekday (Monday–Friday) of that
    month is used. Born 29 February: the 5th birthday is 1 March in a year without 29
    February, so leerplicht starts in April (see :func:`add_years`).
    """
    fifth = add_years(date_of_birth, LEERPLICHT_START_AGE)
    first = add_months(fifth.replace(day=1), 1)
    while first.weekday() >= 5:  # Saturday, Sunday
        first += dt.timedelta(days=1)
    return first


def leerplicht_end(date_of_birth: dt.date) -> dt.date:
    """Lpw art. 4 lid 1: the full leerplicht ends at the end (31 July) of the school year in
    which the young person turns 16, or has been enrolled for 12 full school years.

    Enrolment history is not recorded in the product, so only the age is used; a young person
    who completed 12 school years earlier is recorded by closing the case or in the notes.
    """
    return school_year_end(add_years(date_of_birth, FULL_LEERPLICHT_END_AGE))


def kwalificatieplicht_end(date_of_birth: dt.date) -> dt.date:
    """Lpw art. 4a: kwalificatieplichtig until the 18th birthday (earlier with a
    startkwalificatie, which the product does not record). Born 29 February: 1 March."""
    return add_years(date_of_birth, KWALIFICATIEPLICHT_END_AGE)


def kwalificatieplicht_ended(date_of_birth: dt.date, on: dt.date) -> bool:
    """True from the 18th birthday on (Lpw art. 4a): the Leerplichtwet no longer applies."""
    return on >= kwalificatieplicht_end(date_of_birth)


# -- vrijstelling 5 onder a: duration and renewal --------------------------------------------
def renewal_due_5a(
    *, grondslag: str, start: dt.date | None, end: dt.date | None, duration: str = ""
) -> dt.date | None:
    """The date before which a 5a exemption must be renewed, or ``None`` when none is due.

    Lpw art. 5 onder a, 6 and 7: a vrijstelling on physical or psychological grounds holds
    for one school year (1 August – 31 July) and the parents renew it every year **before
    1 July**, unless the expert's statement says the child will never be able to attend school
    (``duration == "whole_period"``): then it is not renewed.

    The renewal is due on 1 July of the school year in which the exemption starts (a 5a from
    01-08-2026, whatever its end date, is due 01-07-2027), and it is overdue **on** that day
    (:func:`renewal_overdue`). An exemption that ends before that 1 July needs a new notice
    before it lapses: due the day after its end. Without a start date the end date's school
    year is used. Other grounds: ``None`` (no yearly renewal in the law).
    """
    if grondslag != GRONDSLAG_5A or duration == WHOLE_PERIOD:
        return None
    anchor = start or end
    if anchor is None:
        return None
    due = dt.date(school_year_end(anchor).year, RENEWAL_MONTH, RENEWAL_DAY)
    if end is not None and end < due:
        return end + dt.timedelta(days=1)
    return due


def exemption_5a_exceeds_school_year(
    *, grondslag: str, start: dt.date | None, end: dt.date | None, duration: str = ""
) -> bool:
    """True for a 5a exemption that runs past the school year it starts in without being for
    the whole leerplicht period (Lpw art. 7: one school year at a time). The form refuses it;
    the case page flags one that came in another way (an import, older data)."""
    return (
        grondslag == GRONDSLAG_5A
        and duration != WHOLE_PERIOD
        and start is not None
        and end is not None
        and end > school_year_end(start)
    )


def renewal_overdue(due: dt.date | None, on: dt.date) -> bool:
    """A renewal due on ``due`` must be in *before* that day: overdue on the day itself
    (renewal due 01-07-2027 is overdue on 1 July 2027, not from 2 July)."""
    return due is not None and on >= due


def renewal_overdue_q(on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`renewal_overdue`."""
    return _q(prefix, renewal_due__lte=on)


def renewal_due_soon(due: dt.date | None, on: dt.date) -> bool:
    """Not yet overdue and due within :data:`RENEWAL_SOON_DAYS` days: ``on < due <= on + 60``.
    Overdue renewals are never "due soon" (two lists, each marked)."""
    return due is not None and on < due <= on + dt.timedelta(days=RENEWAL_SOON_DAYS)


def renewal_due_soon_q(on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`renewal_due_soon`."""
    return _q(
        prefix,
        renewal_due__gt=on,
        renewal_due__lte=on + dt.timedelta(days=RENEWAL_SOON_DAYS),
    )


# -- contact ---------------------------------------------------------------------------------
def contact_overdue(next_contact_due: dt.date | None, on: dt.date) -> bool:
    """Programme: a contact planned for a day may still happen that day; overdue from the day
    after (``next_contact_due < on``)."""
    return next_contact_due is not None and next_contact_due < on


def contact_overdue_q(on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`contact_overdue`."""
    return _q(prefix, next_contact_due__lt=on)


def no_contact_since(last_contact_on: dt.date | None, on: dt.date) -> bool:
    """Programme: "no contact for six months" — never any contact, or six **calendar** months
    have passed since the last one: from the same day six months later (last contact 1 March:
    from 1 September, so not yet on 31 August; 31 August: from 28/29 February)."""
    return last_contact_on is None or add_months(last_contact_on, NO_CONTACT_MONTHS) <= on


def no_contact_cutoff(on: dt.date) -> dt.date:
    """The latest last-contact date that counts as "no contact for six months" on ``on``:
    ``no_contact_since(last, on)`` exactly when ``last <= no_contact_cutoff(on)`` (or there is
    no contact). Used by the worklist, the start page and the dashboard alike."""
    target = add_months(on.replace(day=1), -NO_CONTACT_MONTHS)
    month_end = add_months(target, 1) - dt.timedelta(days=1)
    if (on + dt.timedelta(days=1)).day == 1:  # on is the last day of its month
        return month_end
    return target.replace(day=min(on.day, month_end.day))


def no_contact_q(on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`no_contact_since`."""
    return _q(prefix, last_contact_on__isnull=True) | _q(
        prefix, last_contact_on__lte=no_contact_cutoff(on)
    )


# -- open and closed -------------------------------------------------------------------------
def case_open(status: str) -> bool:
    """A case is open until it is closed (status "afgesloten", with a closing reason)."""
    return status != CLOSED


def case_open_q(prefix: str = "") -> Q:
    """The database side of :func:`case_open`."""
    return ~_q(prefix, status=CLOSED)


def next_step_overdue(*, due_on: dt.date, done: bool, case_status: str, on: dt.date) -> bool:
    """An agreed next step is overdue from the day after its due date while it is not done and
    its case is open (a closed case's steps are no longer anyone's work)."""
    return not done and due_on < on and case_open(case_status)


def next_step_overdue_q(on: dt.date, case_prefix: str = "interview__jeugdige__") -> Q:
    """The database side of :func:`next_step_overdue`, on ``NextStep`` rows."""
    return Q(done=False, due_on__lt=on) & case_open_q(case_prefix)


def activity_current(until: dt.date | None, on: dt.date) -> bool:
    """A development activity is current while it has no end date or ends on or after ``on``."""
    return until is None or until >= on


def activity_current_q(on: dt.date, prefix: str = "") -> Q:
    """The database side of :func:`activity_current`."""
    return _q(prefix, until__isnull=True) | _q(prefix, until__gte=on)


def obstacle_closed(status: str) -> bool:
    """A belemmerende factor is closed once solved ("opgelost") or found unsolvable ("niet
    oplosbaar"); every other agenda status is open."""
    return status in OBSTACLE_CLOSED_STATUSES


def obstacle_closed_q(prefix: str = "") -> Q:
    """The database side of :func:`obstacle_closed`."""
    return _q(prefix, status__in=OBSTACLE_CLOSED_STATUSES)
