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


def learnings_list(*, user, filters: dict):
    """Published learnings (and the user's own drafts), filtered, with their themes."""
    from .filters import LearningFilter
    from .models import Learning

    qs = (
        Learning.objects.visible_to(user)
        .select_related("region", "author")
        .prefetch_related("themes")
        .order_by("-published_at", "-created_at")
    )
    return LearningFilter(filters, queryset=qs)


def training_sessions(*, user):
    """Sessions this user may see, with their numbers of places taken and waiting, and the
    user's own registration status."""
    from django.db.models import OuterRef, Subquery

    from .models import TrainingRegistration, TrainingSession

    Status = TrainingRegistration.Status
    mine = TrainingRegistration.objects.filter(session=OuterRef("pk"), user_id=user.pk).exclude(
        status=Status.CANCELLED
    )
    return (
        TrainingSession.objects.visible_to(user)
        .select_related("training")
        .annotate(
            taken=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
            my_status=Subquery(mine.values("status")[:1]),
        )
        .order_by("starts_at")
    )


def training_attendance():
    """Per region: the people registered, waiting and (for past sessions) attended. One query."""
    from .models import TrainingRegistration

    Status = TrainingRegistration.Status
    now = timezone.now()
    return (
        Region.objects.annotate(
            registered=Count(
                "training_registrations",
                filter=Q(
                    training_registrations__status=Status.REGISTERED,
                    training_registrations__session__starts_at__gt=now,
                ),
                distinct=True,
            ),
            waiting=Count(
                "training_registrations",
                filter=Q(
                    training_registrations__status=Status.WAITING,
                    training_registrations__session__starts_at__gt=now,
                ),
                distinct=True,
            ),
            attended=Count(
                "training_registrations",
                filter=Q(
                    training_registrations__status=Status.REGISTERED,
                    training_registrations__session__starts_at__lte=now,
                ),
                distinct=True,
            ),
            people=Count(
                "training_registrations__user",
                filter=Q(training_registrations__status=Status.REGISTERED),
                distinct=True,
            ),
            lpas=Count("memberships", filter=Q(memberships__role="lpa"), distinct=True),
        )
        .select_related("phase")
        .order_by("name")
    )
