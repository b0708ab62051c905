"""Reads of the regions app, starting from the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .filters import RegionFilter
from .models import Phase, Region


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    joined: int  # active regions of this phase that have joined by today
    planned: int  # active regions of this phase that have not joined yet
    cumulative: int  # regions in this phase and the ones before it
    target: int  # the phase's target, a running total (3, 14, 42, 75)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.cumulative / self.target)) if self.target else 0

    @property
    def reached(self) -> bool:
        return self.cumulative >= self.target


def rollout_progress() -> list[PhaseProgress]:
    """Per phase: active regions joined by today, the running total and the target. One query."""
    today = timezone.localdate()
    active = Q(regions__is_active=True)
    joined = active & Q(regions__joined_on__lte=today)
    phases = Phase.objects.annotate(
        joined=Count("regions", filter=joined),
        planned=Count("regions", filter=active & ~Q(regions__joined_on__lte=today)),
    ).order_by("number")
    result, running = [], 0
    for phase in phases:
        running += phase.joined
        result.append(
            PhaseProgress(
                phase=phase,
                joined=phase.joined,
                planned=phase.planned,
                cumulative=running,
                target=phase.target_regions,
            )
        )
    return result


def regions_list(*, user, filters: dict) -> QuerySet[Region]:
    """The regions this user may see, filtered, with their gemeente count."""
    qs = (
        Region.objects.visible_to(user)
        .select_related("phase")
        .annotate(gemeente_count=Count("gemeenten", distinct=True))
        .order_by("name")
    )
    return RegionFilter(filters, queryset=qs).qs


def region_get(*, user, code: str) -> Region:
    """One region by code, or Http404 when it does not exist or is outside the user's scope."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Region.objects.visible_to(user).select_related("phase"), code=code)
