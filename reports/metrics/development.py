"""The development that is there: current activities by kind."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cases import rules
from cases.models import Ontwikkelactiviteit

from ..tables import DISTINCT, TOTAL, Column, Row, Table
from .build import choice_labels
from .span import Span
from .sql import counted


def activities_by_kind(span: Span) -> Table:
    """Jeugdigen with a current development activity, per kind; how many of those are
    recognised by education. One query: a conditional distinct count per kind, and the
    distinct totals (a jeugdige with two kinds counts once there)."""

    def aggregates() -> dict:
        recognised = Q(recognised_by_education=True)
        out = {
            "j": Count("jeugdige", distinct=True),
            "r": Count("jeugdige", distinct=True, filter=recognised),
        }
        for i, kind in enumerate(Ontwikkelactiviteit.Kind.values):
            out[f"j{i}"] = Count("jeugdige", distinct=True, filter=Q(kind=kind))
            out[f"r{i}"] = Count("jeugdige", distinct=True, filter=Q(kind=kind) & recognised)
        return out

    def queryset() -> QuerySet:
        return Ontwikkelactiviteit.objects.filter(span.q("jeugdige__region")).filter(
            rules.activity_current_q(span.today)
        )

    (c,) = counted(("activities", span), queryset, aggregates)
    labels = choice_labels(Ontwikkelactiviteit.Kind.choices)
    rows = [
        Row(k, [labels[k], c[f"j{i}"], c[f"r{i}"]])
        for i, k in enumerate(Ontwikkelactiviteit.Kind.values)
    ]
    return Table(
        key="activities",
        caption=_("Development that is there, by kind"),
        columns=[
            Column("kind", _("Kind")),
            Column("jeugdigen", _("Jeugdigen"), count=True, total=DISTINCT),
            Column("recognised", _("Recognised by education"), count=True, total=DISTINCT),
        ],
        rows=rows,
        total=Row(TOTAL, [_("Jeugdigen with any activity"), c["j"], c["r"]]),
    )
