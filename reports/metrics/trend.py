"""The trend per month: jeugdigen registered, contact moments, interviews held."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cases.models import ContactMoment

from ..tables import Table
from .build import month_key, total_row
from .counts.interviews import InterviewCounts, interview_counts_for
from .counts.jeugdigen import JeugdigeCounts, jeugdige_counts_for
from .span import Span


def trend_per_month(
    span: Span, counts: JeugdigeCounts | None = None, interviews: InterviewCounts | None = None
) -> Table:
    """Per month of the period: jeugdigen registered, contact moments, interviews held.
    Three queries; one (the contact moments) with ``counts`` and ``interviews``."""
    months = span.trend_months()
    first = months[0]
    jc = jeugdige_counts_for(span, counts)
    n = jc.totals([f"m{i}" for i in range(len(jc.months))])
    registered = {m: n[f"m{i}"] for i, m in enumerate(jc.months)}
    contacts = {
        month_key(row["m"]): row["n"]
        for row in ContactMoment.objects.filter(
            span.q("jeugdige__region"), date__gte=first, date__lte=span.end
        )
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    }
    held = interview_counts_for(span, interviews).per_month()
    rows = [
        [m.strftime("%m-%Y"), registered.get(m, 0), contacts.get(m, 0), held.get(m, 0)]
        for m in months
    ]
    return Table(
        key="trend",
        caption=_("Trend per month"),
        columns=[_("Month"), _("Registered"), _("Contact moments"), _("Interviews")],
        rows=rows,
        total=total_row(rows, (1, 2, 3)),
        count_columns=(1, 2, 3),
        chart="columns",
    )
