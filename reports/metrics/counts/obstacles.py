"""The span's belemmerende factoren counted in one query, for every figure about them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cases import rules
from interviews.models import AgendaStatus, BelemmerendeFactor, Category, Level

from ..span import Span
from ..sql import added_up, counted


class ObstacleCounts:
    """The span's belemmerende factoren counted in ONE query for every figure about them, a
    conditional count per cell: ``open``; per category ``c<i>_open`` and ``c<i>_closed``
    (``Category`` order, ``cases.rules.obstacle_closed_q``); per level and agenda status
    ``l<i>_s<j>`` (``Level`` and ``AgendaStatus`` order). ``total`` holds them summed over the
    regions, ``by_region_id`` (``by_region``) per region pk."""

    def __init__(self, span: Span, *, by_region: bool = False):
        self.span, self.by_region = span, by_region

        def aggregates() -> dict:
            closed = rules.obstacle_closed_q()
            out = {"open": Count("pk", filter=~closed)}
            for i, category in enumerate(Category.values):
                out[f"c{i}_open"] = Count("pk", filter=Q(category=category) & ~closed)
                out[f"c{i}_closed"] = Count("pk", filter=Q(category=category) & closed)
            for i, level in enumerate(Level.values):
                for j, status in enumerate(AgendaStatus.values):
                    out[f"l{i}_s{j}"] = Count("pk", filter=Q(level=level, status=status))
            return out

        def queryset() -> QuerySet:
            return BelemmerendeFactor.objects.filter(span.q())

        group = "region" if by_region else None
        rows = counted(("obstacles", span, by_region), queryset, aggregates, group)
        self.total, self.by_region_id = added_up(rows, group)
        keys = ["open"] + [
            f"c{i}_{s}" for i in range(len(Category.values)) for s in ("open", "closed")
        ]
        keys += [
            f"l{i}_s{j}" for i in range(len(Level.values)) for j in range(len(AgendaStatus.values))
        ]
        for key in keys:  # no rows at all (by region): every count is 0
            self.total.setdefault(key, 0)


def obstacle_counts(span: Span, *, by_region: bool = False) -> ObstacleCounts:
    """The span's obstacles counted once for several figures (see :class:`ObstacleCounts`)."""
    return ObstacleCounts(span, by_region=by_region)


def obstacle_counts_for(
    span: Span, counts: ObstacleCounts | None, *, by_region: bool = False
) -> ObstacleCounts:
    """``counts`` if they fit the span and hold what the figure needs, else fresh ones."""
    if counts is None or counts.span != span or (by_region and not counts.by_region):
        return obstacle_counts(span, by_region=by_region)
    return counts
