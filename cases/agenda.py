"""The deadline agenda: what falls due, per day, for one person or for the team.

Three kinds of deadline, each from the rule that makes it a deadline (:mod:`cases.rules`):

- **renewal** — the yearly notice of an exemption, asked before 1 July (Leerplichtwet 1969
  art. 6 lid 2 onder b): shown on its last day in time (:func:`cases.rules.renewal_last_day`,
  30 June for ``Jeugdige.renewal_due`` 01-07) and overdue from the due day itself
  (:func:`cases.rules.renewal_overdue`);
- **contact** — the next contact the LPA planned (``Jeugdige.next_contact_due``, overdue from
  the day after: :func:`cases.rules.contact_overdue`);
- **next step** — an agreed next step of an interview (registered by the interviews app as an
  agenda source, since ``cases`` does not import ``interviews``; overdue from the day after:
  :func:`cases.rules.next_step_overdue`).

Only open cases count (a closed case's deadlines are nobody's work), and only cases the user
may see (:class:`wel.access.CaseContent`). "Mine" is what is assigned to the user; "team" is
every case of the user's scope (an LPA's gemeenten, a kartrekker's region).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import rules
from .models import Jeugdige

MINE = "mine"
TEAM = "team"


@dataclass(frozen=True)
class AgendaItem:
    """One deadline. ``kind`` is ``"renewal"``, ``"contact"`` or ``"next_step"``; ``what`` is
    the next step's description (empty for the others); ``owner`` who does a next step."""

    day: dt.date
    kind: str
    reference: str
    given_name: str
    family_name: str
    gemeente: str
    overdue: bool
    what: str = ""
    owner: str = ""

    @property
    def url(self) -> str:
        return Jeugdige(reference=self.reference).get_absolute_url()

    @property
    def sort_key(self) -> tuple:
        return (self.day, KIND_ORDER[self.kind], self.reference, self.what)


KIND_ORDER = {"renewal": 0, "contact": 1, "next_step": 2}

# source(cases=<open cases in view>, start=, end=, today=, user=, who=) -> items; registered
# in AppConfig.ready (the interviews app registers next steps, "mine" by their owner).
AgendaSource = Callable[..., Iterable[AgendaItem]]
_sources: list[AgendaSource] = []


def register_agenda_source(source: AgendaSource) -> None:
    if source not in _sources:
        _sources.append(source)


def agenda_cases(*, user, who: str) -> QuerySet[Jeugdige]:
    """Open cases the user may see; for ``MINE`` only those assigned to the user."""
    qs = Jeugdige.objects.visible_to(user).filter(rules.case_open_q())
    if who == MINE:
        qs = qs.filter(assigned_lpa=user)
    return qs


def _case_deadlines(cases: QuerySet[Jeugdige], start, end, today) -> list[AgendaItem]:
    """Renewals (by their last day in time) and planned contacts in ``[start, end]``. One
    query."""
    one_day = dt.timedelta(days=1)
    rows = cases.filter(
        Q(renewal_due__range=(start + one_day, end + one_day))
        | Q(next_contact_due__range=(start, end))
    ).values_list(
        "reference",
        "given_name",
        "family_name",
        "gemeente__name",
        "renewal_due",
        "next_contact_due",
    )
    items = []
    for reference, given, family, gemeente, renewal, contact in rows:
        common = {
            "reference": reference,
            "given_name": given,
            "family_name": family,
            "gemeente": gemeente,
        }
        if renewal and start <= rules.renewal_last_day(renewal) <= end:
            overdue = rules.renewal_overdue(renewal, today)
            day = rules.renewal_last_day(renewal)
            items.append(AgendaItem(day=day, kind="renewal", overdue=overdue, **common))
        if contact and start <= contact <= end:
            overdue = rules.contact_overdue(contact, today)
            items.append(AgendaItem(day=contact, kind="contact", overdue=overdue, **common))
    return items


@dataclass(frozen=True)
class Agenda:
    """The month ``first``..``last``: its ``items`` (sorted by day) and ``weeks`` (Monday
    first) for the month view. What fell due before the month is the worklist's."""

    first: dt.date
    last: dt.date
    today: dt.date
    who: str
    items: list[AgendaItem]

    @property
    def by_day(self) -> dict[dt.date, list[AgendaItem]]:
        out: dict[dt.date, list[AgendaItem]] = {}
        for item in self.items:
            out.setdefault(item.day, []).append(item)
        return out

    @property
    def weeks(self) -> list[list[tuple[dt.date, list[AgendaItem]]]]:
        """Weeks of (day, items) from the Monday on or before the 1st to the Sunday on or
        after the last day; days outside the month carry no items."""
        by_day = self.by_day
        cal = calendar.Calendar(firstweekday=calendar.MONDAY)
        return [
            [(day, by_day.get(day, []) if day.month == self.first.month else []) for day in week]
            for week in cal.monthdatescalendar(self.first.year, self.first.month)
        ]

    @property
    def previous_month(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> dt.date:
        return self.last + dt.timedelta(days=1)


def agenda(*, user, month: dt.date, who: str = MINE, today: dt.date | None = None) -> Agenda:
    """The deadlines of the month containing ``month`` for ``user``: its own (``MINE``) or the
    team's (``TEAM``), sorted by day, kind and reference; each marked overdue on ``today`` by
    its own rule.

    Queries: one for renewals and contacts, one per registered source (next steps): constant
    in the number of cases. Raises ``ValueError`` for an unknown ``who``."""
    if who not in (MINE, TEAM):
        raise ValueError(f"unknown agenda: {who!r}")
    today = today or timezone.localdate()
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    cases = agenda_cases(user=user, who=who)
    found = _case_deadlines(cases, first, last, today)
    for source in _sources:
        found.extend(source(cases=cases, start=first, end=last, today=today, user=user, who=who))
    found.sort(key=lambda item: item.sort_key)
    return Agenda(first=first, last=last, today=today, who=who, items=found)
