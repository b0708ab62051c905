"""The trend per month: jeugdigen registered, contact moments, interviews held."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cases.models import ContactMoment

from ..tables import Column, Row, Table, month_row
from .build import month_key, total_row
from .counts.interviews import InterviewCounts, interview_counts_for
from .counts.jeugdigen import JeugdigeCounts, jeugdige_counts_for
from .span import Span, next_month


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
        Row(
            month_row(m),
            [m.strftime("%m-%Y"), registered.get(m, 0), contacts.get(m, 0), held.get(m, 0)],
        )
        for m in months
    ]
    # the days the months count: from the first of the first month up to the period's end
    period = (first, min(span.end, next_month(months[-1]) - timedelta(days=1)))
    columns = [
        Column("month", _("Month")),
        Column("registered", _("Registered"), count=True, period=period),
        Column("contacts", _("Contact moments"), count=True, period=period),
        Column("interviews", _("Interviews"), count=True, period=period),
    ]
    return Table(
        key="trend",
        caption=_("Trend per month"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
        chart="columns",
    )
