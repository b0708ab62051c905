"""The daily check of deadlines (issue 21 §3): the assigned LPA hears of a renewal, a planned
contact or a next step that falls due soon or is overdue, once per item per state.

The rules are those of :mod:`cases.rules` (the worklist and the agenda use the same): a
renewal is "due soon" within ``RENEWAL_SOON_DAYS`` and overdue from its due day; a contact and
a next step are due soon within ``WEL_NOTIFY_DUE_DAYS`` days and overdue from the day after.
Only open cases count. A next step goes to its owner (a user) when it has one, else to the
case's assigned LPA.

Each notice has a key of kind, item and date: running the check twice (or beat and an operator
on the same day) makes no second notice; a new date (a contact planned again) is a new item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cases import rules
from cases.models import Jeugdige
from interviews.models import NextStep

from .models import Kind
from .services import notify


@dataclass
class DueResult:
    checked: int = 0
    notified: int = 0


def notify_due(*, today: dt.date | None = None, days: int | None = None) -> DueResult:
    """Create the due and overdue notices of ``today`` (default: the local date); ``days`` the
    "due soon" window for contacts and next steps (default ``WEL_NOTIFY_DUE_DAYS``)."""
    today = today or timezone.localdate()
    days = settings.WEL_NOTIFY_DUE_DAYS if days is None else days
    soon = today + dt.timedelta(days=days)
    result = DueResult()
    cases = (
        Jeugdige.objects.filter(rules.case_open_q(), assigned_lpa__isnull=False)
        .filter(
            rules.renewal_overdue_q(today)
            | rules.renewal_due_soon_q(today)
            | Q(next_contact_due__lte=soon)
        )
        .select_related("assigned_lpa")
        .order_by("pk")
    )
    for case in cases:
        found = []
        if rules.renewal_overdue(case.renewal_due, today):
            found.append((Kind.RENEWAL_OVERDUE, case.renewal_due))
        elif rules.renewal_due_soon(case.renewal_due, today):
            found.append((Kind.RENEWAL_DUE, case.renewal_due))
        if rules.contact_overdue(case.next_contact_due, today):
            found.append((Kind.CONTACT_OVERDUE, case.next_contact_due))
        elif case.next_contact_due is not None and case.next_contact_due <= soon:
            found.append((Kind.CONTACT_DUE, case.next_contact_due))
        for kind, day in found:
            result.checked += 1
            result.notified += _tell(
                case.assigned_lpa, kind, case, key=f"{kind}:c{case.pk}:{day.isoformat()}"
            )
    steps = (
        NextStep.objects.filter(rules.case_open_q("interview__jeugdige__"))
        .filter(done=False, due_on__lte=soon)
        .filter(Q(owner_user__isnull=False) | Q(interview__jeugdige__assigned_lpa__isnull=False))
        .select_related("owner_user", "interview__jeugdige__assigned_lpa")
        .order_by("pk")
    )
    for step in steps:
        case = step.interview.jeugdige
        overdue = rules.next_step_overdue(
            due_on=step.due_on, done=step.done, case_status=case.status, on=today
        )
        kind = Kind.NEXT_STEP_OVERDUE if overdue else Kind.NEXT_STEP_DUE
        result.checked += 1
        result.notified += _tell(
            step.owner_user or case.assigned_lpa,
            kind,
            case,
            key=f"{kind}:s{step.pk}:{step.due_on.isoformat()}",
        )
    return result


def _tell(user, kind: str, case: Jeugdige, *, key: str) -> int:
    notice = notify(
        recipient=user,
        kind=kind,
        reference=case.reference,
        link=case.get_absolute_url(),
        jeugdige=case,
        key=key,
    )
    return int(notice is not None)
