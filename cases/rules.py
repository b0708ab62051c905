"""Every Leerplichtwet and programme rule, in one place.

Pure functions of dates and values: no database, no clock (the caller passes the day), no
models. Where the database must filter on a rule, the ORM side (a ``Q`` or a cutoff date) is
built here from the same constants, so the Python and SQL sides cannot disagree; the tests in
``tests/cases/test_rules.py`` check each pair against each other at every boundary.

Sources: Leerplichtwet 1969 (BWBR0002628, "Lpw" below; the text of the version of 2015-04-30
was read, and each rule quotes the sentence it rests on), the Wet op het primair onderwijs for
the school year, the Besluit vrijstelling leerplicht trekkende bevolking for art. 5a, and the
programme's own agreements (WEL in Ontwikkeling). docs/cases.md lists every rule with its
source.

Values of model choices are repeated here as plain strings (``GRONDSLAG_5A``, ``CLOSED`` …)
because the models import this module; a test checks they equal the models' choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q

# -- constants (one place for every number a rule uses) ------------------------------------------
# Text read: Leerplichtwet 1969, BWBR0002628, version of 2015-04-30 (docs/cases.md, "Sources").
SCHOOL_YEAR_FIRST_MONTH = 8  # WPO art. 1 "schooljaar": 1 August – 31 July (the Lpw has none)
RENEWAL_MONTH, RENEWAL_DAY = 7, 1  # Lpw art. 6 lid 2 onder b: "elk jaar opnieuw voor 1 juli"
LEERPLICHT_START_AGE = 5  # Lpw art. 3 lid 1
FULL_LEERPLICHT_END_AGE = 16  # Lpw art. 3 lid 1 onder b
KWALIFICATIEPLICHT_END_AGE = 18  # Lpw art. 4b
STATEMENT_MAX_AGE_MONTHS = 3  # Lpw art. 7: "niet ouder … dan drie maanden"
VERVANGEND_3A_MIN_AGE = 14  # Lpw art. 3a lid 1: "tenminste de leeftijd van 14 jaar"
VERVANGEND_REQUEST_WEEKS = 8  # Lpw art. 3a lid 5: "ten minste acht weken voor het verstrijken"
TREKKEND_FIRST_MONTH, TREKKEND_LAST_MONTH = 3, 10  # Besluit vrijstelling … trekkende bevolking
EXEMPTION_5A_MAX_SCHOOL_YEARS: int | None = None  # Lpw: no maximum (exemption_5a_exceeds_max)
ABSENCE_LONG_MONTHS = 3  # Leerplichttelling: absoluut verzuim "longer than three months"
RENEWAL_SOON_DAYS = 60  # programme: renewals shown as "due soon" this many days ahead
NO_CONTACT_MONTHS = 6  # programme: "no contact for six months" (calendar months)

# Choice values of the models (checked against them by a test).
GRONDSLAG_5A = "vrijstelling_5a"  # art. 5 onder a: physical or psychological grounds
GRONDSLAG_5B = "vrijstelling_5b"  # art. 5 onder b: objections to the schools' denomination
GRONDSLAG_5C = "vrijstelling_5c"  # art. 5 onder c: enrolled at a school abroad
GRONDSLAG_ARTIKEL_5A = "artikel_5a"  # art. 5a: trekkend bestaan
GRONDSLAG_15 = "artikel_15"
GRONDSLAG_3A = "vervangende_leerplicht_3a"
GRONDSLAG_3B = "vervangende_leerplicht_3b"
GRONDSLAG_VERVANGEND_UNSPECIFIED = "vervangende_leerplicht"  # older records: 3a or 3b unknown
GRONDSLAG_ABSOLUUT_VERZUIM = "absoluut_verzuim"
ARTICLE_5_GROUNDS = (GRONDSLAG_5A, GRONDSLAG_5B, GRONDSLAG_5C)
WHOLE_PERIOD = "whole_period"
CLOSED = "afgesloten"
CLOSED_ENROLLED = "ingeschreven_school"
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
    """1 August of the school year that contains ``day``. The Leerplichtwet does not define
    the school year; the Wet op het primair onderwijs does, art. 1: "*schooljaar*: het tijdvak
    van 1 augustus tot en met 31 juli daaraanvolgend"."""
    year = day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1
    return dt.date(year, SCHOOL_YEAR_FIRST_MONTH, 1)


def school_year_end(day: dt.date) -> dt.date:
    """31 July of the school year that contains ``day`` (see :func:`school_year_start`)."""
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
# leerplicht, kwalificatieplicht, adult (edges from Lpw art. 3 lid 1, 4b).
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
    """Lpw art. 3 lid 1: "De verplichting om te zorgen, dat een jongere als leerling van een
    school staat ingeschreven, begint op de eerste schooldag van de maand volgende op die
    waarin de jongere de leeftijd van vijf jaar bereikt".

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
    """Lpw art. 3 lid 1 onder b: the full leerplicht "eindigt: … b. aan het einde van het
    schooljaar waarin de jongere de leeftijd van zestien jaar heeft bereikt" (31 July).

    Lid 1 onder a ("na afloop waarvan de jongere ten minste twaalf volledige schooljaren een
    of meer scholen heeft bezocht") can end it a year earlier; enrolment history is not
    recorded in the product, so only the age is used, and rules that depend on this date
    warn rather than refuse where onder a could make the difference.
    """
    return school_year_end(add_years(date_of_birth, FULL_LEERPLICHT_END_AGE))


def kwalificatieplicht_end(
    date_of_birth: dt.date, startkwalificatie_on: dt.date | None = None
) -> dt.date:
    """Lpw art. 4b: "De verplichting, bedoeld in artikel 4a, eerste lid, vangt aan direct na
    het einde van de leerplicht, … en eindigt zodra de jongere de leeftijd van 18 jaar bereikt
    of een startkwalificatie heeft behaald." The 18th birthday (29 February: 1 March), or the
    day the startkwalificatie was obtained when that is earlier."""
    eighteenth = add_years(date_of_birth, KWALIFICATIEPLICHT_END_AGE)
    if startkwalificatie_on is not None and startkwalificatie_on < eighteenth:
        return startkwalificatie_on
    return eighteenth


def kwalificatieplicht_ended(
    date_of_birth: dt.date, on: dt.date, startkwalificatie_on: dt.date | None = None
) -> bool:
    """True from the end of the kwalificatieplicht on (Lpw art. 4b): the Leerplichtwet no
    longer applies to the young person."""
    return on >= kwalificatieplicht_end(date_of_birth, startkwalificatie_on)


def kwalificatieplichtig_on(
    date_of_birth: dt.date,
    on: dt.date,
    *,
    startkwalificatie_on: dt.date | None = None,
    exempt_4a_lid_2: bool = False,
) -> bool:
    """Whether the kwalificatieplicht (Lpw art. 4a lid 1) applies on ``on``: from the day after
    the full leerplicht ends (art. 4b "vangt aan direct na het einde van de leerplicht") until
    :func:`kwalificatieplicht_end`, and never for a young person of art. 4a lid 2: "De
    verplichting, bedoeld in het eerste lid, geldt niet ten aanzien van jongeren die in het
    bezit zijn van een getuigschrift of een schooldiploma praktijkonderwijs … en jongeren die
    voortgezet speciaal onderwijs in het uitstroomprofiel, bedoeld in artikel 14, eerste lid,
    onderdeel b dan wel onderdeel c, van de Wet op de expertisecentra hebben gevolgd."
    """
    if exempt_4a_lid_2:
        return False
    return (
        leerplicht_end(date_of_birth)
        < on
        < kwalificatieplicht_end(date_of_birth, startkwalificatie_on)
    )


# -- the yearly notice (art. 6) and the other renewals ---------------------------------------
def first_july_after(day: dt.date) -> dt.date:
    """The first 1 July strictly after ``day`` (a start on 1 July itself: next year's)."""
    this_year = dt.date(day.year, RENEWAL_MONTH, RENEWAL_DAY)
    return this_year if this_year > day else dt.date(day.year + 1, RENEWAL_MONTH, RENEWAL_DAY)


def renewal_due(
    *, grondslag: str, start: dt.date | None, end: dt.date | None, duration: str = ""
) -> dt.date | None:
    """The first date by which something must be in for the exemption to go on, or ``None``.

    **Art. 5 onder a, b and c** — Lpw art. 6 lid 2: the notice "moet worden ingediend: …
    b. zolang nadien aanspraak op vrijstelling wordt gemaakt, elk jaar opnieuw voor 1 juli."
    The first yearly notice is due on the first 1 July *after the start* (a start on 10 July
    2027: 1 July 2028; on 15 January 2027: 1 July 2027), so it is never due before the
    exemption begins. Lid 3: "Het tweede lid onder b is niet van toepassing, indien uit de in
    artikel 7 bedoelde verklaring blijkt, dat de jongere nooit geschikt zal zijn een school
    onderscheidenlijk een instelling te bezoeken" — a 5 onder a for the whole leerplicht
    period has none. An exemption that ends before that 1 July is no longer claimed then:
    none. Without a start date the end date's school year is used.

    **Art. 3a** (vervangende leerplicht) — lid 5: the parents "kunnen … ten minste acht weken
    voor het verstrijken van de periode waarvoor toestemming is verleend, verzoeken de
    toestemming voor het daaropvolgend schooljaar te verlengen": due eight weeks before the
    day after the period ends (ends 31 July 2027: due 6 June 2027, overdue on that day).

    Other grounds (art. 5a, 15, 3b, absoluut verzuim, not yet leerplichtig): ``None`` — the
    law asks no yearly notice of them.
    """
    if grondslag == GRONDSLAG_3A:
        if end is None:
            return None
        due = end + dt.timedelta(days=1) - dt.timedelta(weeks=VERVANGEND_REQUEST_WEEKS)
        return due if start is None or due > start else None
    if grondslag not in ARTICLE_5_GROUNDS:
        return None
    if grondslag == GRONDSLAG_5A and duration == WHOLE_PERIOD:
        return None
    if start is not None:
        due = first_july_after(start)
    elif end is not None:
        due = dt.date(school_year_end(end).year, RENEWAL_MONTH, RENEWAL_DAY)
    else:
        return None
    if end is not None and end < due:
        return None
    return due


def renewal_date_fits(
    *,
    grondslag: str,
    start: dt.date | None,
    end: dt.date | None,
    duration: str,
    due: dt.date | None,
) -> bool:
    """Whether a recorded renewal date can be one the law asks for.

    For the yearly notice (art. 5 grounds) any 1 July after the start while the exemption
    runs fits: after each yearly notice the date moves on to the next 1 July. For the others
    the date must be exactly :func:`renewal_due`'s. Missing while the law asks one: no fit.
    """
    expected = renewal_due(grondslag=grondslag, start=start, end=end, duration=duration)
    if due is None or expected is None:
        return due == expected
    if grondslag in ARTICLE_5_GROUNDS:
        return (
            (due.month, due.day) == (RENEWAL_MONTH, RENEWAL_DAY)
            and due >= expected
            and (end is None or due <= end)
        )
    return due == expected


def next_yearly_notice_due(previous_due: dt.date, notice_on: dt.date) -> dt.date:
    """After a yearly notice on ``notice_on`` (art. 6 lid 2 onder b), the next one is due on
    the 1 July after the one it answered: in time (before ``previous_due``) the next year's;
    late, the first 1 July after the notice."""
    return first_july_after(max(previous_due, notice_on))


# -- the expert's statement (art. 7) ---------------------------------------------------------
def statement_too_old(statement_on: dt.date | None, notice_on: dt.date | None) -> bool:
    """Lpw art. 7 (vrijstelling 5 onder a): the notice needs "een verklaring van een door
    burgemeester en wethouders … aangewezen arts - niet zijnde de behandelende arts - of van
    een door hen aangewezen academisch gevormde … pedagoog of psycholoog"; "Deze verklaring
    mag niet ouder zijn dan drie maanden."

    Counted at the notice in calendar months: a statement of 15 January may go with a notice
    up to and including 15 April, not on 16 April (30 November: up to 28/29 February).
    """
    if statement_on is None or notice_on is None:
        return False
    return notice_on > add_months(statement_on, STATEMENT_MAX_AGE_MONTHS)


# -- the duration of a 5 onder a (one place for a change in the law) ---------------------------
def exemption_5a_exceeds_max(
    *,
    grondslag: str,
    start: dt.date | None,
    end: dt.date | None,
    duration: str = "",
    max_school_years: int | None = None,
) -> bool:
    """True for a 5 onder a that runs past ``max_school_years`` school years from the school
    year it starts in, without being for the whole leerplicht period.

    The Leerplichtwet text read (version 2015-04-30) sets **no** maximum: art. 5 exempts
    "zolang" the young person is not fit, and art. 6 lid 2 onder b asks a notice every year
    before 1 July (:func:`renewal_due`). ``EXEMPTION_5A_MAX_SCHOOL_YEARS`` is therefore
    ``None``; should a change in the law (Kamerstuk 36 663, docs/cases.md) cap it, that
    constant is the one place to change.
    """
    limit = EXEMPTION_5A_MAX_SCHOOL_YEARS if max_school_years is None else max_school_years
    if limit is None or grondslag != GRONDSLAG_5A or duration == WHOLE_PERIOD:
        return False
    if start is None or end is None:
        return False
    return end > add_years(school_year_end(start), limit - 1)


# -- conditions of each grondslag ------------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    """The values of a case (or of a row, a form) that the conditions read."""

    grondslag: str = ""
    date_of_birth: dt.date | None = None
    exemption_start: dt.date | None = None
    exemption_end: dt.date | None = None
    exemption_duration: str = ""
    renewal_due: dt.date | None = None
    notice_date: dt.date | None = None
    doctor_statement_date: dt.date | None = None
    startkwalificatie_on: dt.date | None = None
    kwalificatieplicht_exempt: str = ""
    advice_date: dt.date | None = None
    advice_by: str = ""
    advice_conclusion: str = ""

    @classmethod
    def of(cls, source) -> Facts:
        """From a model instance or a mapping (missing values: empty)."""
        get = source.get if isinstance(source, dict) else lambda k, d=None: getattr(source, k, d)
        values = {}
        for name, f in cls.__dataclass_fields__.items():
            value = get(name, None)
            values[name] = value if value is not None else ("" if f.default == "" else None)
        return cls(**values)


@dataclass(frozen=True)
class Finding:
    """A condition a case's values do not meet: ``level`` "error" refuses the input, "warning"
    needs the user's confirmation. ``field`` is the form field it belongs to."""

    code: str
    level: str
    field: str
    message: str


@dataclass(frozen=True)
class Condition:
    code: str
    level: str
    field: str
    inputs: frozenset[str]
    check: object  # (Facts, settings) -> dict | None: the message's values when not met

    def applies(self, changed) -> bool:
        return changed is None or bool(self.inputs & set(changed))


# "error": the input is refused; "warning": the user confirms it; "review": not checked on input
# (the user typed it deliberately, or new input cannot choose it), only listed for review.
ERROR, WARNING, REVIEW = "error", "warning", "review"


def _date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _art15(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_15 or f.date_of_birth is None or f.exemption_start is None:
        return None
    exempt = bool(f.kwalificatieplicht_exempt)
    if kwalificatieplichtig_on(
        f.date_of_birth,
        f.exemption_start,
        startkwalificatie_on=f.startkwalificatie_on,
        exempt_4a_lid_2=exempt,
    ):
        return None
    return {
        "start": _date(f.exemption_start),
        "from": _date(leerplicht_end(f.date_of_birth) + dt.timedelta(days=1)),
        "until": _date(kwalificatieplicht_end(f.date_of_birth, f.startkwalificatie_on)),
    }


def _3a_age(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_3A or f.date_of_birth is None or f.exemption_start is None:
        return None
    if age_on(f.date_of_birth, f.exemption_start) >= VERVANGEND_3A_MIN_AGE:
        return None
    return {
        "start": _date(f.exemption_start),
        "from": _date(add_years(f.date_of_birth, VERVANGEND_3A_MIN_AGE)),
    }


def _vervangend_school_year(f: Facts, _opts):
    if f.grondslag not in (GRONDSLAG_3A, GRONDSLAG_3B) or not f.exemption_start:
        return None
    if f.exemption_end is not None and f.exemption_end <= school_year_end(f.exemption_start):
        return None
    return {"end": _date(school_year_end(f.exemption_start))}


def _3b_last_year(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_3B or f.date_of_birth is None or f.exemption_start is None:
        return None
    if school_year_end(f.exemption_start) > leerplicht_end(f.date_of_birth):
        return {"last": _date(leerplicht_end(f.date_of_birth))}
    return None


def _3b_early(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_3B or f.date_of_birth is None or f.exemption_start is None:
        return None
    if school_year_end(f.exemption_start) < leerplicht_end(f.date_of_birth):
        return {"last": _date(leerplicht_end(f.date_of_birth))}
    return None


def _vervangend_unspecified(f: Facts, _opts):
    return {} if f.grondslag == GRONDSLAG_VERVANGEND_UNSPECIFIED else None


def _whole_period(f: Facts, _opts):
    if f.exemption_duration == WHOLE_PERIOD and f.grondslag != GRONDSLAG_5A:
        return {}
    return None


def _statement_age(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_5A:
        return None
    if not statement_too_old(f.doctor_statement_date, f.notice_date):
        return None
    return {
        "statement": _date(f.doctor_statement_date),
        "notice": _date(f.notice_date),
        "latest": _date(add_months(f.doctor_statement_date, STATEMENT_MAX_AGE_MONTHS)),
    }


def _artikel_5a_months(f: Facts, _opts):
    if f.grondslag != GRONDSLAG_ARTIKEL_5A or f.exemption_start is None:
        return None
    start = f.exemption_start
    season_end = dt.date(start.year, TREKKEND_LAST_MONTH, 31)
    if (
        TREKKEND_FIRST_MONTH <= start.month <= TREKKEND_LAST_MONTH
        and f.exemption_end is not None
        and f.exemption_end <= season_end
    ):
        return None
    return {"end": _date(season_end) if start.month <= TREKKEND_LAST_MONTH else ""}


def _renewal_fits(f: Facts, _opts):
    kw = {
        "grondslag": f.grondslag,
        "start": f.exemption_start,
        "end": f.exemption_end,
        "duration": f.exemption_duration,
    }
    if renewal_date_fits(**kw, due=f.renewal_due):
        return None
    expected = renewal_due(**kw)
    return {"given": _date(f.renewal_due), "expected": _date(expected)}


def _exemption_5a_max(f: Facts, _opts):
    if not exemption_5a_exceeds_max(
        grondslag=f.grondslag,
        start=f.exemption_start,
        end=f.exemption_end,
        duration=f.exemption_duration,
    ):
        return None
    return {"years": EXEMPTION_5A_MAX_SCHOOL_YEARS}


def advice_required(
    *, grondslag: str, notice_on: dt.date | None, required_from: dt.date | None
) -> bool:
    """Whether a 5 onder a needs the educational advice (onderwijskundig perspectief) next to
    the expert's statement: from ``required_from`` (settings.WEL_ADVICE_REQUIRED_FROM, the
    day Kamerstuk 36 663 enters into force; ``None`` while it is a bill) for notices made on
    or after that day."""
    return (
        required_from is not None
        and grondslag == GRONDSLAG_5A
        and notice_on is not None
        and notice_on >= required_from
    )


def _advice(f: Facts, opts):
    if not advice_required(
        grondslag=f.grondslag,
        notice_on=f.notice_date,
        required_from=opts.get("advice_required_from"),
    ):
        return None
    if f.advice_date and f.advice_by and f.advice_conclusion:
        return None
    return {"from": _date(opts.get("advice_required_from"))}


_EXEMPTION = frozenset({"grondslag", "exemption_start", "exemption_end", "exemption_duration"})
_AGE = frozenset({"grondslag", "date_of_birth", "exemption_start"})
CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "art15_kwalificatieplicht",
        ERROR,
        "exemption_start",
        _AGE | {"startkwalificatie_on", "kwalificatieplicht_exempt"},
        _art15,
    ),
    Condition("art3a_age", ERROR, "exemption_start", _AGE, _3a_age),
    Condition(
        "vervangend_one_school_year", ERROR, "exemption_end", _EXEMPTION, _vervangend_school_year
    ),
    Condition("art3b_after_leerplicht", ERROR, "exemption_start", _AGE, _3b_last_year),
    Condition("art3b_before_last_year", WARNING, "exemption_start", _AGE, _3b_early),
    Condition(
        "vervangend_article",
        REVIEW,
        "grondslag",
        frozenset({"grondslag"}),
        _vervangend_unspecified,
    ),
    Condition(
        "whole_period_5a_only",
        ERROR,
        "exemption_duration",
        frozenset({"grondslag", "exemption_duration"}),
        _whole_period,
    ),
    Condition(
        "statement_too_old",
        ERROR,
        "doctor_statement_date",
        frozenset({"grondslag", "doctor_statement_date", "notice_date"}),
        _statement_age,
    ),
    Condition("artikel_5a_season", WARNING, "exemption_end", _EXEMPTION, _artikel_5a_months),
    Condition("renewal_date", REVIEW, "renewal_due", _EXEMPTION | {"renewal_due"}, _renewal_fits),
    Condition("exemption_5a_max", ERROR, "exemption_end", _EXEMPTION, _exemption_5a_max),
    Condition(
        "advice_missing",
        ERROR,
        "advice_date",
        frozenset({"grondslag", "notice_date", "advice_date", "advice_by", "advice_conclusion"}),
        _advice,
    ),
)
CONDITION_CODES = tuple(c.code for c in CONDITIONS)


def findings(facts: Facts, *, changed=None, advice_required_from: dt.date | None = None) -> list:
    """The conditions of the grondslag that ``facts`` do not meet, as :class:`Finding`.

    ``changed`` names the fields the input is about: only conditions that read one of them
    are checked (``None``: all), so a rule never refuses input it is not about — a consent,
    a contact moment, a note on a case whose older exemption breaks a rule added later
    (docs/cases.md, "A tightened rule never blocks unrelated work"). The messages are in
    :mod:`cases.law_messages` (one per code, each naming its article).
    """
    from .law_messages import message_for

    opts = {"advice_required_from": advice_required_from}
    found = []
    for condition in CONDITIONS:
        if not condition.applies(changed):
            continue
        values = condition.check(facts, opts)
        if values is not None:
            found.append(
                Finding(
                    code=condition.code,
                    level=condition.level,
                    field=condition.field,
                    message=message_for(condition.code, values),
                )
            )
    return found


def renewal_overdue(due: dt.date | None, on: dt.date) -> bool:
    """A renewal due on ``due`` must be in *before* that day: overdue on the day itself
    (renewal due 01-07-2027 is overdue on 1 July 2027, not from 2 July)."""
    return due is not None and on >= due


def renewal_last_day(due: dt.date) -> dt.date:
    """The last day a renewal due on ``due`` can still be made in time: the notice is asked
    "voor 1 juli" (Lpw art. 6 lid 2 onder b), so 30 June for a renewal due 01-07; the day the
    agenda shows it on."""
    return due - dt.timedelta(days=1)


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


# -- the year overview per gemeente (Lpw art. 25, the Leerplichttelling) ----------------------
@dataclass(frozen=True)
class SchoolYear:
    """A school year by its first calendar year: ``SchoolYear(2025)`` is 2025-2026."""

    first: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.first, SCHOOL_YEAR_FIRST_MONTH, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.first + 1, 7, 31)

    @property
    def label(self) -> str:
        return f"{self.first}-{self.first + 1}"

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """ "2025-2026" (also "2025/2026", "2025-26"); raises ValueError otherwise."""
        import re

        match = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", text or "")
        if not match:
            raise ValueError(text)
        first, second = int(match.group(1)), match.group(2)
        if int(second) % 100 != (first + 1) % 100 or (
            len(second) == 4 and int(second) != first + 1
        ):
            raise ValueError(text)
        return cls(first)

    @classmethod
    def containing(cls, day: dt.date) -> SchoolYear:
        return cls(school_year_start(day).year)


@dataclass(frozen=True)
class CountFacts:
    """What the year overview reads of a case: its grondslag, its exemption period, the day
    it was registered (the start of an absoluut verzuim as the records know it), and when and
    why it was closed."""

    grondslag: str
    registered_on: dt.date
    exemption_start: dt.date | None = None
    exemption_end: dt.date | None = None
    closed_on: dt.date | None = None
    closing_reason: str = ""


def in_school_year(c: CountFacts, year: SchoolYear) -> bool:
    """The case ran during part of the school year: it began on or before 31 July (its
    exemption start, or the day it was registered) and had not ended before 1 August (the
    exemption's end and the case's closing)."""
    began = c.exemption_start or c.registered_on
    return (
        began <= year.end
        and (c.exemption_end is None or c.exemption_end >= year.start)
        and (c.closed_on is None or c.closed_on >= year.start)
    )


def in_school_year_q(year: SchoolYear, prefix: str = "") -> Q:
    """The database side of :func:`in_school_year` (``registered_on`` is the local date of
    ``created_at``)."""
    began = _q(prefix, exemption_start__lte=year.end) | (
        _q(prefix, exemption_start__isnull=True) & _q(prefix, created_at__date__lte=year.end)
    )
    return (
        began
        & (_q(prefix, exemption_end__isnull=True) | _q(prefix, exemption_end__gte=year.start))
        & (_q(prefix, closed_on__isnull=True) | _q(prefix, closed_on__gte=year.start))
    )


def absence_longer_than_three_months(
    c: CountFacts, year: SchoolYear, as_of: dt.date | None = None
) -> bool:
    """Absoluut verzuim of the school year that lasted longer than three calendar months by
    its closing or, still open, by the end of the school year (of a school year still
    running: by ``as_of``, today): ended after the same day three months after registration
    (registered 1 March: long from 2 June on; 30 November: from 1 March, three months being
    28/29 February)."""
    if c.grondslag != GRONDSLAG_ABSOLUUT_VERZUIM or not in_school_year(c, year):
        return False
    until = min(d for d in (c.closed_on, year.end, as_of) if d is not None)
    return until > add_months(c.registered_on, ABSENCE_LONG_MONTHS)


def absence_solved_in_year(c: CountFacts, year: SchoolYear, as_of: dt.date | None = None) -> bool:
    """Absoluut verzuim of the school year that ended in it because the young person is
    enrolled at a school again (closing reason "enrolled at a school", closed between
    1 August and 31 July): the "weer ingeschreven" of the opgave under art. 25 lid 2."""
    return (
        c.grondslag == GRONDSLAG_ABSOLUUT_VERZUIM
        and c.closed_on is not None
        and year.start <= c.closed_on <= year.end
        and c.closing_reason == CLOSED_ENROLLED
        and in_school_year(c, year)
    )


def _of(grondslag: str):
    def rule(c: CountFacts, year: SchoolYear, as_of: dt.date | None = None) -> bool:
        return c.grondslag == grondslag and in_school_year(c, year)

    return rule


@dataclass(frozen=True)
class CountRow:
    """One figure of the year overview: its key, the grondslag it counts, and its rule."""

    key: str
    grondslag: str
    rule: object  # (CountFacts, SchoolYear, as_of) -> bool


# The categories of the opgave under Lpw art. 25 lid 2 as the reports ask them (absoluut
# verzuim; vrijstellingen per ground; vervangende leerplicht), docs/cases.md.
COUNT_ROWS: tuple[CountRow, ...] = (
    CountRow("absoluut_verzuim", GRONDSLAG_ABSOLUUT_VERZUIM, _of(GRONDSLAG_ABSOLUUT_VERZUIM)),
    CountRow("absoluut_verzuim_long", GRONDSLAG_ABSOLUUT_VERZUIM, absence_longer_than_three_months),
    CountRow("absoluut_verzuim_solved", GRONDSLAG_ABSOLUUT_VERZUIM, absence_solved_in_year),
    CountRow("vrijstelling_5a", GRONDSLAG_5A, _of(GRONDSLAG_5A)),
    CountRow("vrijstelling_5b", GRONDSLAG_5B, _of(GRONDSLAG_5B)),
    CountRow("vrijstelling_5c", GRONDSLAG_5C, _of(GRONDSLAG_5C)),
    CountRow("artikel_5a", GRONDSLAG_ARTIKEL_5A, _of(GRONDSLAG_ARTIKEL_5A)),
    CountRow("artikel_15", GRONDSLAG_15, _of(GRONDSLAG_15)),
    CountRow("vervangende_leerplicht_3a", GRONDSLAG_3A, _of(GRONDSLAG_3A)),
    CountRow("vervangende_leerplicht_3b", GRONDSLAG_3B, _of(GRONDSLAG_3B)),
    CountRow(
        "vervangende_leerplicht",
        GRONDSLAG_VERVANGEND_UNSPECIFIED,
        _of(GRONDSLAG_VERVANGEND_UNSPECIFIED),
    ),
)
COUNT_KEYS = tuple(r.key for r in COUNT_ROWS)
