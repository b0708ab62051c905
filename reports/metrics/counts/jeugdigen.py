"""The span's jeugdigen counted in one pass, for every figure about them."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet

from cases import counts as case_counts
from cases import rules
from cases.models import Jeugdige
from cases.selectors import worklist_signals  # the worklist's own filters, so both agree

from ..span import Span, next_month, start_of
from ..sql import compiled, fetch


class JeugdigeCounts:
    """The span's jeugdigen counted in ONE pass over the table, for every figure about them.

    With 100,000 jeugdigen in a region each pass costs tens of milliseconds, so the dashboards
    count once: grouped by grondslag, status and focus (and region), with a conditional count
    per month of the period and (``signals``) per age band and worklist signal. The
    figure functions add these groups up; called without counts, each makes its own (one query).
    """

    def __init__(self, span: Span, *, by_region: bool = False, signals: bool = True):
        self.span = span
        self.by_region, self.signals = by_region, signals
        self.months = months = span.trend_months()

        def build() -> QuerySet:
            today, end = span.today, span.end
            after = start_of(end + timedelta(days=1))
            aggregates = {"n": Count("pk")}
            for i, band in enumerate(rules.AGE_BANDS if signals else []):  # age on the end date
                q = rules.age_band_q(band.key, end)
                aggregates[f"age{i}"] = Count("pk", filter=q) if q else Count("pk")
            if signals:  # the worklist's signals (open cases are picked when adding up)
                for key, q in worklist_signals(today).items():
                    aggregates[key] = Count("pk", filter=q)
            for i, m in enumerate(months):  # as TruncMonth in the current time zone would group
                upper = start_of(next_month(m))
                aggregates[f"m{i}"] = Count(
                    "pk", filter=Q(created_at__gte=start_of(m), created_at__lt=min(upper, after))
                )
            fields = ["grondslag", "status", "is_focus"] + (["region"] if by_region else [])
            return (
                Jeugdige.objects.filter(span.q()).values(*fields).annotate(**aggregates).order_by()
            )

        def compute() -> list[dict]:
            groups = fetch(query)
            for g in groups:  # SQLite answers 0/1
                g["is_focus"] = bool(g["is_focus"])
            return groups

        query = compiled(("jeugdigen", span, by_region, signals), build)
        alias, sql, params = query
        # Exact and cached under the regions' case tokens (cases.counts): with 100,000 cases in
        # a region this one query was over half the dashboard; unchanged cases are not recounted.
        # The key is the query's own SQL and parameters (cases.counts.query_key's shape).
        # ``entry`` names exactly these groups (None inside a transaction): what is derived from
        # them may be kept under it (reports.release.collect).
        self.entry, self.groups = case_counts.cached_entry(
            key=(alias, sql, repr(params)),
            region_ids=span.region_ids,
            compute=compute,
        )

    def totals(self, fields: list[str], *, open_only: bool = False) -> dict[str, int]:
        """``fields`` each added up over all groups (open cases only if asked), in one pass."""
        out = dict.fromkeys(fields, 0)
        for g in self.groups:
            if open_only and not rules.case_open(g["status"]):
                continue
            for f in fields:
                out[f] += g[f]
        return out

    def by(self, key: str, field: str = "n", *, open_only: bool = False, **match) -> dict:
        """``field`` added up per value of ``key`` over the groups matching ``match``."""
        out: dict = {}
        conditions = tuple(match.items())
        for g in self.groups:
            if open_only and not rules.case_open(g["status"]):
                continue
            for k, v in conditions:
                if g[k] != v:
                    break
            else:
                value = g[key]
                out[value] = out.get(value, 0) + g[field]
        return out


def jeugdige_counts(span: Span, *, by_region: bool = False, signals: bool = True) -> JeugdigeCounts:
    """The span's jeugdigen counted once for several figures (see :class:`JeugdigeCounts`):
    per region if ``by_region``; with the age bands and worklist signals if ``signals``."""
    return JeugdigeCounts(span, by_region=by_region, signals=signals)


def jeugdige_counts_for(
    span: Span, counts: JeugdigeCounts | None, *, by_region: bool = False, signals: bool = False
) -> JeugdigeCounts:
    """``counts`` if they fit the span and hold what the figure needs, else fresh ones."""
    if (
        counts is None
        or counts.span != span
        or (by_region and not counts.by_region)
        or (signals and not counts.signals)
    ):
        return jeugdige_counts(span, by_region=by_region, signals=signals)
    return counts
