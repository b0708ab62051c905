"""What each dashboard shows, in order, with each kind of record counted once."""

from __future__ import annotations

from ..tables import Table
from .conversations import family_contributions, interviews_by_respondent, moreel_beraad_held
from .counts.interviews import interview_counts
from .counts.jeugdigen import jeugdige_counts
from .counts.obstacles import obstacle_counts
from .development import activities_by_kind
from .jeugdigen import (
    jeugdigen_by_age_band,
    jeugdigen_by_grondslag,
    jeugdigen_by_status,
    worklist,
)
from .obstacles import national_obstacle_agenda, obstacles_by_category, obstacles_by_level_status
from .programme import key_counts_per_region, rollout
from .span import Span
from .trend import trend_per_month


def region_figures(span: Span) -> list[Table]:
    """Everything on a region dashboard, in order. The jeugdigen, the interviews and the
    obstacles are each counted once (one query each; the jeugdigen cached, cases.counts)."""
    counts = jeugdige_counts(span)
    interviews = interview_counts(span, next_steps=True)
    obstacles = obstacle_counts(span)
    return [
        jeugdigen_by_grondslag(span, counts),
        jeugdigen_by_status(span, counts),
        jeugdigen_by_age_band(span, counts),
        worklist(span, counts, interviews),
        interviews_by_respondent(span, interviews),
        family_contributions(span),
        activities_by_kind(span),
        obstacles_by_category(span, obstacles),
        obstacles_by_level_status(span, obstacles),
        moreel_beraad_held(span),
        trend_per_month(span, counts, interviews),
    ]


def national_figures(span: Span) -> list[Table]:
    """Everything on the national dashboard, in order (aggregates only). The jeugdigen, the
    interviews and the obstacles are each counted once, per region."""
    counts = jeugdige_counts(span, by_region=True, signals=False)  # no age bands, no worklist
    interviews = interview_counts(span, by_region=True)
    obstacles = obstacle_counts(span, by_region=True)
    return [
        rollout(span),
        key_counts_per_region(span, counts, interviews, obstacles),
        jeugdigen_by_status(span, counts),
        jeugdigen_by_grondslag(span, counts),
        obstacles_by_category(span, obstacles),
        obstacles_by_level_status(span, obstacles),
        national_obstacle_agenda(span),
        trend_per_month(span, counts, interviews),
    ]
