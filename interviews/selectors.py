"""Reads of the interviews app, always starting from the ``visible_to`` querysets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules
from regions.models import Learning, Region, Theme
from wel import audit
from wel.access import scope_for
from wel.sql import rows as sql_rows

from .deidentify import scrub
from .models import BelemmerendeFactor, Interview, Level, MoreelBeraad, NextStep


def interviews_list(*, user) -> QuerySet[Interview]:
    """The interviews this user may see, newest first, with the open next steps counted."""
    return (
        Interview.objects.visible_to(user)
        .select_related("jeugdige", "jeugdige__gemeente", "jeugdige__region", "interviewer")
        .annotate(open_steps=open_steps_count())
        .order_by("-held_on", "-pk")
    )


def open_steps_count():
    """The number of open next steps of each interview, as a correlated subquery.

    (A ``Count`` over the join grouped the whole list by every selected column before it could
    sort and take a page, and made the paginator's count join the next steps too; the subquery
    is evaluated only for the rows on the page.)
    """
    steps = (
        NextStep.objects.filter(interview=OuterRef("pk"), done=False)
        .order_by()
        .values("interview")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(steps, output_field=IntegerField()), Value(0))


def interview_get(*, user, pk: int) -> Interview:
    """One interview, or 404 outside the user's scope; it counts as shown (the audit
    middleware writes the view event unless the view recorded one)."""
    interview = get_object_or_404(
        Interview.objects.visible_to(user).select_related(
            "jeugdige", "jeugdige__region", "jeugdige__gemeente", "interviewer"
        ),
        pk=pk,
    )
    audit.shown(jeugdige=interview.jeugdige, event=audit.events.INTERVIEW_VIEWED, obj=interview)
    return interview


@dataclass(frozen=True)
class OpenStep:
    """An open next step as the worklist's panel shows it (:func:`open_next_steps`)."""

    pk: int
    interview_id: int
    reference: str  # the case's
    description: str
    owner_label: str  # the owner's name, or the free text of a step from before owners were users
    due_on: dt.date
    overdue: bool


def open_next_steps(*, user, limit: int = 10) -> tuple[list[OpenStep], int]:
    """The open next steps of the interviews this user may see, of open cases (a closed case's
    steps are nobody's work: ``cases.rules.next_step_overdue``), soonest due first, at most
    ``limit``, and how many there are in all; each with ``overdue`` judged today.

    One query, its SQL built once per process for the user's scope (``wel.sql``): built per
    view through the ORM, with three models made per row, it was a tenth of the worklist's CPU
    (issue 23)."""
    scope = scope_for(user)

    def build():
        return (
            NextStep.objects.visible_to(user)
            .filter(rules.case_open_q("interview__jeugdige__"), done=False)
            .order_by("due_on", "pk")
            # the total rides along on every row (a window count over the filtered steps,
            # taken before the LIMIT): one query instead of a list and a count
            .annotate(total=Window(Count("pk")))
            .values(
                "pk",
                "interview_id",
                "interview__jeugdige__reference",
                "interview__jeugdige__status",
                "description",
                "owner",
                "owner_user_id",
                "owner_user__full_name",
                "due_on",
                "total",
            )[:limit]
        )

    rows = sql_rows(("interviews.open_next_steps", scope, limit), build)
    today = timezone.localdate()
    steps = [
        OpenStep(
            pk=row["pk"],
            interview_id=row["interview_id"],
            reference=row["interview__jeugdige__reference"],
            description=row["description"],
            # as NextStep.owner_label
            owner_label=row["owner_user__full_name"] if row["owner_user_id"] else row["owner"],
            due_on=row["due_on"],
            overdue=rules.next_step_overdue(
                due_on=row["due_on"],
                done=False,
                case_status=row["interview__jeugdige__status"],
                on=today,
            ),
        )
        for row in rows
    ]
    return steps, (rows[0]["total"] if rows else 0)


def beraad_list(*, user) -> QuerySet[MoreelBeraad]:
    return (
        MoreelBeraad.objects.visible_to(user)
        .select_related("region")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("-held_on", "-pk")
    )


def beraad_get(*, user, pk: int) -> MoreelBeraad:
    from cases.models import Jeugdige

    return get_object_or_404(
        MoreelBeraad.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            "actions",
            # Linked jeugdigen only as far as this user may see the cases.
            Prefetch(
                "jeugdigen",
                queryset=Jeugdige.objects.visible_to(user).order_by("reference"),
                to_attr="visible_jeugdigen",
            ),
        ),
        pk=pk,
    )


def obstacles_list(*, user) -> QuerySet[BelemmerendeFactor]:
    """The obstacles this user may see, in agenda order (open first, along the flow), newest
    first within a status."""
    from .models import AgendaStatus

    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(AgendaStatus.values)],
        output_field=IntegerField(),
    )
    return (
        BelemmerendeFactor.objects.visible_to(user)
        .select_related("region", "jeugdige", "interview", "beraad")
        .annotate(status_order=order)
        .order_by("status_order", "-created_at", "-pk")
    )


def obstacle_get(*, user, pk: int) -> BelemmerendeFactor:
    return get_object_or_404(obstacles_list(user=user), pk=pk)


# What the national agenda may show: nothing else leaves the region.
NATIONAL_FIELDS = (
    "pk",
    "category",
    "shareable_summary",
    "region__name",
    "status",
    "created_at",
    "escalated_at",
    "agenda_on",
    "status_changed_at",
)


def national_obstacles() -> QuerySet[BelemmerendeFactor]:
    """National-level obstacles, for the landelijk team's status changes (never rendered)."""
    return BelemmerendeFactor.objects.filter(level=Level.NATIONAL)


def national_agenda() -> QuerySet:
    """National-level obstacles across regions, as plain values: category, shareable summary,
    region, status and dates. Never the description, case links or names."""
    return (
        BelemmerendeFactor.objects.filter(level=Level.NATIONAL)
        .order_by("-escalated_at", "-pk")
        .values(*NATIONAL_FIELDS)
    )


def national_agenda_summary() -> tuple[list[str], list[dict]]:
    """Counts of national obstacles per category and status, in one query."""
    from .models import AgendaStatus, Category

    counts: dict[tuple[str, str], int] = {
        (row["category"], row["status"]): row["n"]
        for row in BelemmerendeFactor.objects.filter(level=Level.NATIONAL)
        .values("category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for category, label in Category.choices:
        per_status = [counts.get((category, status), 0) for status in AgendaStatus.values]
        if any(per_status):
            rows.append({"label": label, "counts": per_status, "total": sum(per_status)})
    return [label for _, label in AgendaStatus.choices], rows


def lead_regions(*, user) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=sorted(scope_for(user).kartrekker_region_ids))


def member_regions(*, user) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=sorted(scope_for(user).region_ids))


# -- Share as learning ---------------------------------------------------------------------------
def _people(jeugdigen) -> list[str]:
    names: list[str] = []
    for j in jeugdigen:
        names += [j.given_name, j.family_name, j.reference, j.display_name]
    return names


def learning_draft_from_interview(interview: Interview) -> dict:
    """Initial values for a learning: the lesson from what contributed to development, the
    context from the respondent kind and the development there is. Names are left out."""
    names = _people([interview.jeugdige]) + [
        interview.respondent_name,
        interview.interviewer.full_name,
    ]
    context = _("From an interview with a %(kind)s.") % {
        "kind": interview.get_respondent_kind_display()
    }
    if interview.development_present:
        context += "\n\n" + scrub(interview.development_present, names)
    return {
        "title": "",
        "kind": Learning.Kind.WHAT_WORKS,
        "lesson": scrub(
            interview.development_contributors or interview.development_possible, names
        ),
        "context": context,
        "themes": [Theme.DEVELOPMENT],
        "region": interview.jeugdige.region_id,
        "source": Learning.Source.INTERVIEW,
    }


def learning_draft_from_beraad(beraad: MoreelBeraad) -> dict:
    """Initial values for a learning from a moreel beraad's conclusion and evaluation."""
    names = _people(beraad.jeugdigen.all()) + [beraad.facilitator]
    lesson = "\n\n".join(t for t in (beraad.conclusion, beraad.evaluation) if t)
    return {
        "title": "",
        "kind": Learning.Kind.WHAT_IS_VALUABLE,
        "lesson": scrub(lesson, names),
        "context": _("From a moreel beraad (%(method)s) about this dilemma:")
        % {"method": beraad.method_label}
        + "\n\n"
        + scrub(beraad.dilemma, names),
        "themes": [Theme.MOREEL_BERAAD],
        "region": beraad.region_id,
        "source": Learning.Source.MOREEL_BERAAD,
    }
