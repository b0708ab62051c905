"""The span's interviews counted in one query, for every figure about them."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases import rules
from interviews.models import Interview, NextStep

from ..span import Span, next_month
from ..sql import added_up, counted


class InterviewCounts:
    """The span's interviews counted in ONE query for every figure about them, with a
    conditional count (``Count(filter=...)``) per figure cell:

    - ``n``: held in the period; per respondent kind ``n<i>`` (``Interview.RespondentKind``
      order) and, unless ``by_region``, the jeugdigen they were about (``jeugdigen``, ``j<i>``);
    - ``m<i>``: held per month of the trend (``Span.trend_months``, up to the period's end);
    - ``next_steps`` (if asked): open cases with an overdue next step, the worklist's rule
      (``cases.rules.next_step_overdue_q``); then every interview of the span is read, as any
      of them can have one.

    ``total`` holds the counts (summed over the regions); ``by_region_id`` (``by_region``) the
    same per region pk. A jeugdige belongs to one region, so distinct counts add up exactly.
    """

    def __init__(self, span: Span, *, by_region: bool = False, next_steps: bool = False):
        self.span, self.by_region, self.next_steps = span, by_region, next_steps
        self.months = months = span.trend_months()
        in_period = Q(held_on__gte=span.start, held_on__lte=span.end)

        def aggregates() -> dict:
            out = {"n": Count("pk", filter=in_period)}
            if not by_region:
                out["jeugdigen"] = Count("jeugdige", distinct=True, filter=in_period)
            for i, kind in enumerate(Interview.RespondentKind.values):
                q = in_period & Q(respondent_kind=kind)
                out[f"n{i}"] = Count("pk", filter=q)
                if not by_region:
                    out[f"j{i}"] = Count("jeugdige", distinct=True, filter=q)
            for i, m in enumerate(months):  # as TruncMonth would group, within the period
                month = Q(held_on__gte=m, held_on__lt=next_month(m), held_on__lte=span.end)
                out[f"m{i}"] = Count("pk", filter=month)
            if next_steps:
                overdue = NextStep.objects.filter(
                    rules.next_step_overdue_q(span.today), interview=OuterRef("pk")
                )
                out["next_steps"] = Count("jeugdige", distinct=True, filter=Q(Exists(overdue)))
            return out

        def queryset() -> QuerySet:
            qs = Interview.objects.filter(span.q("jeugdige__region"))
            if next_steps:  # any interview can have an overdue next step
                return qs
            return qs.filter(held_on__gte=min(span.start, months[0]), held_on__lte=span.end)

        group = "jeugdige__region" if by_region else None
        rows = counted(("interviews", span, by_region, next_steps), queryset, aggregates, group)
        self.total, self.by_region_id = added_up(rows, group)
        for key in ["n", *(f"m{i}" for i in range(len(months)))]:  # no rows (by region)
            self.total.setdefault(key, 0)

    def per_month(self) -> dict[date, int]:
        return {m: self.total[f"m{i}"] for i, m in enumerate(self.months)}


def interview_counts(
    span: Span, *, by_region: bool = False, next_steps: bool = False
) -> InterviewCounts:
    """The span's interviews counted once for several figures (see :class:`InterviewCounts`)."""
    return InterviewCounts(span, by_region=by_region, next_steps=next_steps)


def interview_counts_for(
    span: Span,
    counts: InterviewCounts | None,
    *,
    kinds: bool = False,
    by_region: bool = False,
    next_steps: bool = False,
) -> InterviewCounts:
    """``counts`` if they fit the span and hold what the figure needs, else fresh ones."""
    if (
        counts is None
        or counts.span != span
        or (kinds and counts.by_region)
        or (by_region and not counts.by_region)
        or (next_steps and not counts.next_steps)
    ):
        return interview_counts(span, by_region=by_region, next_steps=next_steps)
    return counts
