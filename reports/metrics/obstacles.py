"""Tables about belemmerende factoren: by category, by level and agenda status, and the
national agenda."""

from __future__ import annotations

from django.utils.translation import gettext as _

from interviews.models import AgendaStatus, BelemmerendeFactor, Category, Level

from ..tables import Table
from .build import choice_labels, total_row
from .counts.obstacles import ObstacleCounts, obstacle_counts_for
from .span import Span


def obstacles_by_category(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren per category: open and solved. One query, none with
    ``obstacles``."""
    t = obstacle_counts_for(span, obstacles).total
    labels = choice_labels(Category.choices)
    rows = [[labels[k], t[f"c{i}_open"], t[f"c{i}_closed"]] for i, k in enumerate(Category.values)]
    return Table(
        key="obstacles",
        caption=_("Belemmerende factoren by category"),
        columns=[_("Category"), _("Open"), _("Solved or closed")],
        rows=rows,
        total=total_row(rows, (1, 2)),
        count_columns=(1, 2),
    )


def obstacles_by_level_status(span: Span, obstacles: ObstacleCounts | None = None) -> Table:
    """Belemmerende factoren: level (rows) against agenda status (columns). One query, none
    with ``obstacles``."""
    t = obstacle_counts_for(span, obstacles).total
    levels, statuses = choice_labels(Level.choices), choice_labels(AgendaStatus.choices)
    rows = []
    for i, lv in enumerate(Level.values):
        cells = [t[f"l{i}_s{j}"] for j in range(len(AgendaStatus.values))]
        rows.append([levels[lv], *cells, sum(cells)])
    n = len(AgendaStatus.values)
    return Table(
        key="agenda",
        caption=_("Belemmerende factoren by level and agenda status"),
        columns=[_("Level"), *[statuses[s] for s in AgendaStatus.values], _("Total")],
        rows=rows,
        total=total_row(rows, range(1, n + 2)),
        count_columns=tuple(range(1, n + 2)),
        row_total_column=n + 1,
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
            "shareable_summary", "category", "status", "region__name", "agenda_where", "agenda_on"
        )
    )
    rows = [
        [
            o["shareable_summary"],
            categories.get(o["category"], o["category"]),
            statuses.get(o["status"], o["status"]),
            o["region__name"],
            o["agenda_where"],
            o["agenda_on"],
        ]
        for o in qs
    ]
    return Table(
        key="national_agenda",
        caption=_("National obstacle agenda"),
        columns=[
            _("Obstacle (shareable summary)"),
            _("Category"),
            _("Status"),
            _("Raised by region"),
            _("On the agenda at"),
            _("Since"),
        ],
        rows=rows,
        count_columns=(),
        chart="",
        sensitive=False,
    )
