"""Writes of the regions app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wel import audit, shared_text
from wel.access import scope_for
from wel.services import assign, validate

from .models import (
    DEFAULT_TRAINING_TITLE,
    Gemeente,
    Learning,
    LearningTheme,
    Region,
    Training,
    TrainingRegistration,
    TrainingSession,
)

# What the national roles record of a region.
REGION_FIELDS = (
    "code",
    "name",
    "reference_prefix",
    "kind",
    "phase",
    "joined_on",
    "focus_target",
    "is_active",
    "email_from",
    "email_reply_to",
)


@transaction.atomic
def region_save(
    *,
    data: Mapping[str, Any],
    by,
    region: Region | None = None,
    gemeenten: Sequence[Gemeente] | None = None,
    request=None,
) -> Region:
    """Add a region (``region=None``) or change one, with its gemeenten; audited.

    ``data``: values of :data:`REGION_FIELDS` (``code`` and ``reference_prefix`` are stored in
    capitals); ``gemeenten``: the region's gemeenten (``None`` leaves them as they are).
    Raises ``PermissionDenied`` unless ``by`` holds a national role; ``ValidationError`` with
    field keys (e.g. a code another region has) — nothing is written then.
    """
    if not scope_for(by).is_national:
        raise PermissionDenied
    data = dict(data)
    for name in ("code", "reference_prefix"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip().upper()
    creating = region is None
    current = Region() if creating else Region.objects.select_for_update().get(pk=region.pk)
    changes = assign(current, data, REGION_FIELDS)
    validate(current, REGION_FIELDS)
    current.save()
    if gemeenten is not None:
        before = list(current.gemeenten.order_by("cbs_code"))
        current.gemeenten.set(gemeenten)
        if {g.pk for g in before} != {g.pk for g in gemeenten}:
            changes["gemeenten"] = (before, sorted(gemeenten, key=lambda g: g.cbs_code))
    audit.record(
        audit.events.REGION_CREATED if creating else audit.events.REGION_UPDATED,
        request=request,
        user=by,
        obj=current,
        changes=changes,
    )
    return current


# -- Learnings ----------------------------------------------------------------------------------
def _may_write_learnings(scope) -> bool:
    return scope.works_in_region or scope.is_landelijk_team


@transaction.atomic
def learning_save(
    *,
    by,
    title: str,
    lesson: str,
    context: str = "",
    kind: str = Learning.Kind.WHAT_WORKS,
    themes: list[str] | tuple[str, ...] = (),
    region: Region | None = None,
    source: str = "",
    checked_identifying: bool = False,
    publish: bool = False,
    learning: Learning | None = None,
    request=None,
) -> Learning:
    """Create or change a learning; publishing requires the identifying-details check.

    The region of origin must be one the author works in (or none, for the national team).
    A published learning is read by every region and the national team, so its title, lesson
    and context are checked (:func:`wel.shared_text.check_shareable`: names of every jeugdige
    and betrokkene the author can see, BSNs, dates, case references); raises ValidationError
    keyed by field naming what was found.
    """
    scope = scope_for(by)
    if not _may_write_learnings(scope):
        raise PermissionDenied
    if learning is not None and learning.author_id != by.pk:
        raise PermissionDenied
    if region is not None and region.pk not in scope.region_ids:
        raise ValidationError(
            {"region": _("You can only share a learning from a region you work in.")}
        )
    if publish and not checked_identifying:
        raise ValidationError(
            {
                "checked_identifying": _(
                    "Check the text for names and other identifying details, then tick the box "
                    "before publishing."
                )
            }
        )
    if publish:
        check_learning_text(author=by, title=title, lesson=lesson, context=context)
    creating = learning is None
    if creating:
        learning = Learning(author=by, source=source)
    learning.title = title.strip()
    learning.lesson = lesson.strip()
    learning.context = context.strip()
    learning.kind = kind
    learning.region = region
    learning.checked_identifying = checked_identifying
    if publish and learning.status != Learning.Status.PUBLISHED:
        learning.status = Learning.Status.PUBLISHED
        learning.published_at = timezone.now()
    elif not publish:
        learning.status = Learning.Status.DRAFT
        learning.published_at = None
    learning.full_clean(exclude=["author"])
    learning.save()
    wanted = set(themes)
    learning.themes.exclude(theme__in=wanted).delete()
    existing = set(learning.themes.values_list("theme", flat=True))
    LearningTheme.objects.bulk_create(
        [LearningTheme(learning=learning, theme=t) for t in sorted(wanted - existing)]
    )
    audit.record(
        audit.events.LEARNING_CREATED if creating else audit.events.LEARNING_UPDATED,
        request=request,
        user=by,
        obj=learning,
        detail={"status": learning.status},
    )
    return learning


def check_learning_text(*, author, title: str, lesson: str, context: str) -> None:
    """The shared-text check on a learning's texts (raises ValidationError by field)."""
    shared_text.check_shareable(
        author=author, texts={"title": title, "lesson": lesson, "context": context}
    )


# -- Training -----------------------------------------------------------------------------------
def training_default() -> Training:
    """The programme's training for LPAs, created on first use."""
    training = Training.objects.filter(title=DEFAULT_TRAINING_TITLE).order_by("pk").first()
    return training or Training.objects.create(title=DEFAULT_TRAINING_TITLE)


# What the landelijk team records of a training session.
TRAINING_SESSION_FIELDS = (
    "training",
    "starts_at",
    "ends_at",
    "is_online",
    "place",
    "capacity",
    "is_published",
)


@transaction.atomic
def training_session_save(
    *,
    data: Mapping[str, Any],
    by,
    session: TrainingSession | None = None,
    request=None,
) -> TrainingSession:
    """Add a training session (``session=None``) or change one (national team only); a larger
    capacity moves people up from the waiting list.

    ``data``: values of :data:`TRAINING_SESSION_FIELDS`. Raises ``PermissionDenied`` for anyone
    but the landelijk team; ``ValidationError`` with field keys (e.g. an end before the start)
    — nothing is written then.
    """
    if not scope_for(by).is_landelijk_team:
        raise PermissionDenied
    creating = session is None
    current = TrainingSession(created_by=by) if creating else _locked_session(session)
    changes = assign(current, data, TRAINING_SESSION_FIELDS)
    if current.starts_at and current.ends_at and current.ends_at <= current.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    validate(current, TRAINING_SESSION_FIELDS)
    current.save()
    if not creating:
        _fill_from_waiting_list(current)
    events = audit.events
    audit.record(
        events.TRAINING_SESSION_CREATED if creating else events.TRAINING_SESSION_UPDATED,
        request=request,
        user=by,
        obj=current,
        changes=changes,
    )
    return current


def _region_for(user) -> Region | None:
    scope = scope_for(user)
    ids = sorted(scope.lpa_region_ids) or sorted(scope.region_ids)
    return Region.objects.filter(pk=ids[0]).first() if ids else None


def _locked_session(session: TrainingSession) -> TrainingSession:
    # Lock the session row: sign-ups and cancellations of one session queue up behind each
    # other, so two people can never take the last place at the same time.
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _fill_from_waiting_list(session: TrainingSession) -> list[TrainingRegistration]:
    """Move the first waiters up while there are free places (caller holds the lock)."""
    Status = TrainingRegistration.Status
    taken = session.registrations.filter(status=Status.REGISTERED).count()
    free = max(0, session.capacity - taken)
    promoted = list(
        session.registrations.filter(status=Status.WAITING).order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


@transaction.atomic
def training_sign_up(*, session: TrainingSession, user, request=None) -> TrainingRegistration:
    """Sign a person up: a place while there is one, otherwise the waiting list.

    One transaction with the session row locked, so the capacity is never exceeded.
    """
    scope = scope_for(user)
    if not scope.works_in_region:
        raise PermissionDenied
    session = _locked_session(session)
    if not session.is_published:
        raise ValidationError(_("This session is not open for sign-up."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started; choose a later session."))
    Status = TrainingRegistration.Status
    existing = session.registrations.filter(user=user).exclude(status=Status.CANCELLED).first()
    if existing is not None:
        return existing
    taken = session.registrations.filter(status=Status.REGISTERED).count()
    registration = TrainingRegistration.objects.create(
        session=session,
        user=user,
        region=_region_for(user),
        status=Status.REGISTERED if taken < session.capacity else Status.WAITING,
    )
    audit.record(
        audit.events.TRAINING_REGISTERED,
        request=request,
        user=user,
        obj=session,
        detail={"status": registration.status},
    )
    return registration


@transaction.atomic
def training_cancel(*, session: TrainingSession, user, request=None) -> TrainingRegistration | None:
    """Cancel a person's place or waiting-list entry; a freed place goes to the first waiter.

    Returns the waiter who got the place, if any. One transaction with the session row locked.
    """
    session = _locked_session(session)
    Status = TrainingRegistration.Status
    registration = (
        session.registrations.select_for_update()
        .filter(user=user)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not signed up for this session."))
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _fill_from_waiting_list(session)
    audit.record(
        audit.events.TRAINING_CANCELLED,
        request=request,
        user=user,
        obj=session,
        detail={"promoted": [r.pk for r in promoted]},
    )
    return promoted[0] if promoted else None
