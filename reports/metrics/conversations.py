"""Tables about conversations: interviews, the family's own words, moreel beraad."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from family.models import Contribution, Invitation
from interviews.models import Interview, MoreelBeraad

from ..tables import DISTINCT, TOTAL, Column, Row, Table
from .build import choice_labels, total_row
from .counts.interviews import InterviewCounts, interview_counts_for
from .span import Span
from .sql import counted


def interviews_by_respondent(span: Span, interviews: InterviewCounts | None = None) -> Table:
    """Interviews held in the period per respondent kind, and for how many jeugdigen. One
    query, none with ``interviews`` (not made ``by_region``)."""
    t = interview_counts_for(span, interviews, kinds=True).total
    labels = choice_labels(Interview.RespondentKind.choices)
    period = (span.start, span.end)
    rows = [
        Row(k, [labels[k], t[f"n{i}"], t[f"j{i}"]])
        for i, k in enumerate(Interview.RespondentKind.values)
    ]
    return Table(
        key="interviews",
        caption=_("Interviews held by respondent"),
        columns=[
            Column("respondent", _("Respondent")),
            Column("interviews", _("Interviews"), count=True, period=period),
            Column("jeugdigen", _("Jeugdigen"), count=True, total=DISTINCT, period=period),
        ],
        rows=rows,
        total=Row(TOTAL, [_("Total"), t["n"], t["jeugdigen"]]),
    )


def family_contributions(span: Span) -> Table:
    """Parents and young people who wrote in their own words (family app), submitted in the
    period: answers per audience and for how many jeugdigen. One query: conditional counts
    per audience, and the totals (distinct jeugdigen over all audiences)."""

    def aggregates() -> dict:
        out = {"n": Count("pk"), "j": Count("jeugdige", distinct=True)}
        for i, audience in enumerate(Invitation.Audience.values):
            out[f"n{i}"] = Count("pk", filter=Q(audience=audience))
            out[f"j{i}"] = Count("jeugdige", distinct=True, filter=Q(audience=audience))
        return out

    def queryset() -> QuerySet:
        return Contribution.objects.filter(
            span.q("jeugdige__region"),
            submitted_at__date__gte=span.start,
            submitted_at__date__lte=span.end,
        )

    (c,) = counted(("family", span), queryset, aggregates)
    labels = choice_labels(Invitation.Audience.choices)
    period = (span.start, span.end)
    rows = [
        Row(k, [labels[k], c[f"n{i}"], c[f"j{i}"]])
        for i, k in enumerate(Invitation.Audience.values)
    ]
    return Table(
        key="family",
        caption=_("Parents and young people contributed themselves"),
        columns=[
            Column("audience", _("Who")),
            Column("contributions", _("Contributions"), count=True, period=period),
            Column("jeugdigen", _("Jeugdigen"), count=True, total=DISTINCT, period=period),
        ],
        rows=rows,
        total=Row(TOTAL, [_("Total"), c["n"], c["j"]]),
    )


def moreel_beraad_held(span: Span) -> Table:
    """Moreel beraad sessions held in the period, per method. One query."""
    counts = {
        row["method"]: row["n"]
        for row in MoreelBeraad.objects.filter(
            span.q(), held_on__gte=span.start, held_on__lte=span.end
        )
        .values("method")
        .annotate(n=Count("pk"))
        .order_by()
    }
    labels = choice_labels(MoreelBeraad.Method.choices)
    rows = [Row(m, [labels[m], counts.get(m, 0)]) for m in MoreelBeraad.Method.values]
    columns = [
        Column("method", _("Method")),
        Column("sessions", _("Sessions"), count=True, period=(span.start, span.end)),
    ]
    return Table(
        key="beraad",
        caption=_("Moreel beraad sessions held, by method"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
        sensitive=False,  # sessions of professionals, not counts of children
    )
