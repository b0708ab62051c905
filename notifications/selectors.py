from __future__ import annotations

from django.db.models import F, QuerySet

from .models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's own notifications, unread first, then newest first. Only theirs: a
    notification is never shown to anyone else."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )
