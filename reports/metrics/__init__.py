"""Every figure shown anywhere — dashboards, PDFs, CSV/XLSX exports — comes from one function
here, so screen, paper and spreadsheet never disagree.

All counting happens in the database (``values().annotate(Count)``, conditional
``Count(filter=Q(...))``); each function runs a fixed number of queries whatever the amount of
data. Functions take a :class:`Span` (which regions, which period) and return a
:class:`~reports.tables.Table` of exact figures; suppression of small cells is applied once, by
the caller, through :func:`reports.tables.present`.

These functions do not check access: the views and the report builder decide who may see
which span, and at which level of detail (docs/reports.md).

The parts, each doing one thing:

- :mod:`.span` — which regions and which period (:class:`Span`);
- :mod:`.sql` — counting queries compiled once per process and run on a raw cursor;
- :mod:`.counts` — each kind of record counted once for every figure about it
  (:class:`JeugdigeCounts`, :class:`InterviewCounts`, :class:`ObstacleCounts`);
- the tables per topic — :mod:`.jeugdigen`, :mod:`.conversations`, :mod:`.development`,
  :mod:`.obstacles`, :mod:`.trend`, :mod:`.programme`;
- :mod:`.dashboards` — what each dashboard shows, in order.
"""

from .conversations import family_contributions, interviews_by_respondent, moreel_beraad_held
from .counts.interviews import InterviewCounts, interview_counts
from .counts.jeugdigen import JeugdigeCounts, jeugdige_counts
from .counts.obstacles import ObstacleCounts, obstacle_counts
from .dashboards import national_figures, region_figures
from .development import activities_by_kind
from .jeugdigen import (
    TRAJECTORY,
    focus_trajectories,
    jeugdigen_by_age_band,
    jeugdigen_by_grondslag,
    jeugdigen_by_status,
    worklist,
)
from .obstacles import national_obstacle_agenda, obstacles_by_category, obstacles_by_level_status
from .programme import key_counts_per_region, learnings_shared, rollout
from .span import Span
from .trend import trend_per_month

__all__ = [
    "TRAJECTORY",
    "InterviewCounts",
    "JeugdigeCounts",
    "ObstacleCounts",
    "Span",
    "activities_by_kind",
    "family_contributions",
    "focus_trajectories",
    "interview_counts",
    "interviews_by_respondent",
    "jeugdige_counts",
    "jeugdigen_by_age_band",
    "jeugdigen_by_grondslag",
    "jeugdigen_by_status",
    "key_counts_per_region",
    "learnings_shared",
    "moreel_beraad_held",
    "national_figures",
    "national_obstacle_agenda",
    "obstacle_counts",
    "obstacles_by_category",
    "obstacles_by_level_status",
    "region_figures",
    "rollout",
    "trend_per_month",
    "worklist",
]
