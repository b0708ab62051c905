"""Next steps in the deadline agenda (:mod:`cases.agenda`): registered as an agenda source in
``InterviewsConfig.ready``, since ``cases`` does not import ``interviews``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from cases import rules
from cases.agenda import MINE, TEAM, AgendaItem, agenda_cases
from cases.models import Jeugdige

from .models import NextStep


def next_step_deadlines(
    *,
    cases: QuerySet[Jeugdige],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    user=None,
    who: str = TEAM,
) -> list[AgendaItem]:
    """Next steps not done, due in ``[start, end]``, of the given (open, visible) cases; each
    overdue by :func:`cases.rules.next_step_overdue`. For ``MINE`` (issue 21): the steps
    ``user`` owns in any case of the team's, and those without an owner user (from before
    owners were users) of the cases assigned to ``user``. One query."""
    if who == MINE and user is not None:
        steps = NextStep.objects.filter(
            Q(owner_user=user) | Q(owner_user__isnull=True, interview__jeugdige__in=cases),
            interview__jeugdige__in=agenda_cases(user=user, who=TEAM),
        )
    else:
        steps = NextStep.objects.filter(interview__jeugdige__in=cases)
    rows = (
        steps.filter(done=False, due_on__range=(start, end))
        .annotate(owner_label=Coalesce("owner_user__full_name", "owner"))
        .values_list(
            "due_on",
            "description",
            "owner_label",
            "interview__jeugdige__reference",
            "interview__jeugdige__given_name",
            "interview__jeugdige__family_name",
            "interview__jeugdige__gemeente__name",
            "interview__jeugdige__status",
        )
    )
    return [
        AgendaItem(
            day=due_on,
            kind="next_step",
            reference=reference,
            given_name=given,
            family_name=family,
            gemeente=gemeente,
            overdue=rules.next_step_overdue(
                due_on=due_on, done=False, case_status=status, on=today
            ),
            what=description,
            owner=owner,
        )
        for due_on, description, owner, reference, given, family, gemeente, status in rows
    ]
