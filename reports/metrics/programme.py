"""The programme as a whole: rollout, key figures per region, learnings shared."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Status
from interviews.models import MoreelBeraad
from regions.models import Learning, Region
from regions.selectors import rollout_progress

from ..tables import Column, Row, Table
from .build import total_row
from .counts.interviews import InterviewCounts, interview_counts_for
from .counts.jeugdigen import JeugdigeCounts, jeugdige_counts_for
from .counts.obstacles import ObstacleCounts, obstacle_counts_for
from .span import Span


def rollout(span: Span | None = None) -> Table:
    """Regions joined per phase against the targets 3/14/42/75 (regions.selectors)."""
    rows = [
        Row(p.phase.number, [str(p.phase), p.joined, p.cumulative, p.target, p.percent])
        for p in rollout_progress()
    ]
    return Table(
        key="rollout",
        caption=_("Rollout: regions joined against the target"),
        columns=[
            Column("phase", _("Phase")),
            Column("joined", _("Joined in phase"), number=True),
            Column("cumulative", _("Total joined"), count=True),  # the bar
            Column("target", _("Target"), number=True),
            Column("percent", _("Percentage of target"), number=True),
        ],
        rows=rows,
        sensitive=False,
    )


def key_counts_per_region(
    span: Span,
    counts: JeugdigeCounts | None = None,
    interviews: InterviewCounts | None = None,
    obstacles: ObstacleCounts | None = None,
) -> Table:
    """Per region: open cases, focus cases, interviews in the period, open obstacles and moreel
    beraad sessions in the period. Five queries whatever the number of regions; two (the
    regions, the moreel beraad) with ``counts``, ``interviews`` and ``obstacles`` all made
    ``by_region``."""
    regions = list(
        Region.objects.filter(span.region_pk_q())
        .select_related("phase")
        .order_by("phase__number", "name")
        .values("pk", "name", "code")
    )

    def grouped(qs, field: str, **aggregates) -> dict:
        return {row[field]: row for row in qs.values(field).annotate(**aggregates).order_by()}

    jc = jeugdige_counts_for(span, counts, by_region=True)
    open_, focus = jc.by("region", open_only=True), jc.by("region", open_only=True, is_focus=True)
    developing = jc.by("region", status=Status.IN_ONTWIKKELING)
    cases = {
        pk: {
            "open": open_.get(pk, 0),
            "focus": focus.get(pk, 0),
            "developing": developing.get(pk, 0),
        }
        for pk in set(open_) | set(developing)
    }
    interviews = interview_counts_for(span, interviews, by_region=True).by_region_id
    obstacles = obstacle_counts_for(span, obstacles, by_region=True).by_region_id
    beraad = grouped(
        MoreelBeraad.objects.filter(span.q(), held_on__gte=span.start, held_on__lte=span.end),
        "region",
        n=Count("pk"),
    )
    rows = []
    for r in regions:
        c = cases.get(r["pk"], {})
        rows.append(
            Row(
                r["code"],
                [
                    r["name"],
                    c.get("open", 0),
                    c.get("focus", 0),
                    c.get("developing", 0),
                    interviews.get(r["pk"], {}).get("n", 0),
                    obstacles.get(r["pk"], {}).get("open", 0),
                    beraad.get(r["pk"], {}).get("n", 0),
                ],
            )
        )
    period = (span.start, span.end)
    columns = [
        Column("region", _("Region")),
        Column("open", _("Open cases"), count=True),
        Column("focus", _("Focus"), count=True),
        Column("developing", _("In development"), count=True),
        Column("interviews", _("Interviews"), count=True, period=period),
        Column("open_obstacles", _("Open obstacles"), count=True),
        # moreel beraad sessions are not about children
        Column("beraad", _("Moreel beraad"), number=True, period=period),
    ]
    return Table(
        key="regions",
        caption=_("Key figures per region"),
        columns=columns,
        rows=rows,
        total=total_row(columns, rows, summed=[c.key for c in columns[1:]]) if rows else None,
        chart="",
        extra={"row_keys": "region codes"},  # each row links to its region's dashboard
    )


def learnings_shared(span: Span) -> Table:
    """Published learnings of the regions in the period: title, kind, themes. Two queries."""
    qs = (
        Learning.objects.filter(
            span.q(),
            status=Learning.Status.PUBLISHED,
            published_at__date__gte=span.start,
            published_at__date__lte=span.end,
        )
        .select_related("region")
        .prefetch_related("themes")
        .order_by("-published_at")
    )
    rows = [
        Row(
            lr.pk,
            [
                lr.title,
                lr.region.name if lr.region_id else _("National team"),
                lr.get_kind_display(),
                ", ".join(str(t) for t in lr.theme_labels),
                timezone.localtime(lr.published_at).date() if lr.published_at else None,
            ],
        )
        for lr in qs
    ]
    return Table(
        key="learnings",
        caption=_("Learnings shared"),
        columns=[
            Column("title", _("Title")),
            Column("region", _("Region")),
            Column("kind", _("Kind")),
            Column("themes", _("Themes")),
            Column("published", _("Published")),
        ],
        rows=rows,
        chart="",
        sensitive=False,
    )
