"""Tables about belemmerende factoren: by category, by level and agenda status, and the
national agenda."""

from __future__ import annotations

from django.utils.translation import gettext as _

from interviews.models import AgendaStatus, BelemmerendeFactor, Category, Level

from ..tables import Column, Row, Table
from .build import choice_labels, total_row
from .counts.obstacles import ObstacleCounts, obstacle_counts_for
from .span import Span


def obstacles_by_category(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren per category: open and solved. One query, none with
    ``obstacles``."""
    t = obstacle_counts_for(span, obstacles).total
    labels = choice_labels(Category.choices)
    rows = [
        Row(k, [labels[k], t[f"c{i}_open"], t[f"c{i}_closed"]])
        for i, k in enumerate(Category.values)
    ]
    columns = [
        Column("category", _("Category")),
        Column("open", _("Open"), count=True),
        Column("closed", _("Solved or closed"), count=True),
    ]
    return Table(
        key="obstacles",
        caption=_("Belemmerende factoren by category"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
    )


def obstacles_by_level_status(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren: level (rows) against agenda status (columns). One query, none
    with ``obstacles``."""
    t = obstacle_counts_for(span, obstacles).total
    levels, statuses = choice_labels(Level.choices), choice_labels(AgendaStatus.choices)
    rows = []
    for i, lv in enumerate(Level.values):
        cells = [t[f"l{i}_s{j}"] for j in range(len(AgendaStatus.values))]
        rows.append(Row(lv, [levels[lv], *cells, sum(cells)]))
    columns = [
        Column("level", _("Level")),
        *(Column(s, statuses[s], count=True) for s in AgendaStatus.values),
        Column("total", _("Total"), count=True, sums=tuple(AgendaStatus.values)),
    ]
    return Table(
        key="agenda",
        caption=_("Belemmerende factoren by level and agenda status"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows),
        chart="",
    )


def national_obstacle_agenda(span: Span) -> Table:
    """Obstacles put on the national agenda: only the shareable summary, never the description
    or a link to a case. One query."""
    categories, statuses = choice_labels(Category.choices), choice_labels(AgendaStatus.choices)
    qs = (
        BelemmerendeFactor.objects.filter(span.q(), level=Level.NATIONAL)
        .order_by("status", "-escalated_at", "pk")
        .values(
            "pk",
            "shareable_summary",
            "category",
            "status",
            "region__name",
            "agenda_where",
            "agenda_on",
        )
    )
    rows = [
        Row(
            o["pk"],
            [
                o["shareable_summary"],
                categories.get(o["category"], o["category"]),
                statuses.get(o["status"], o["status"]),
                o["region__name"],
                o["agenda_where"],
                o["agenda_on"],
            ],
        )
        for o in qs
    ]
    return Table(
        key="national_agenda",
        caption=_("National obstacle agenda"),
        columns=[
            Column("summary", _("Obstacle (shareable summary)")),
            Column("category", _("Category")),
            Column("status", _("Status")),
            Column("region", _("Raised by region")),
            Column("where", _("On the agenda at")),
            Column("since", _("Since")),
        ],
        rows=rows,
        chart="",
        sensitive=False,
    )
