"""Reads of the core: a user's own access and its history, and the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent, Membership


def memberships_of(*, user) -> list[Membership]:
    """The user's memberships (region, role, gemeenten), as they are today."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("region")
        .prefetch_related("gemeenten")
        .order_by("region__name", "role")
    )


def access_changes(*, user, limit: int = 20) -> QuerySet[AuditEvent]:
    """Changes made to this account by a beheerder (memberships, roles, password, activation),
    newest first: so a new membership that opens case data is visible to the person it opens it
    for."""
    return AuditEvent.objects.filter(object_type="wel.user", object_id=str(user.pk)).exclude(
        action__in=[
            AuditEvent.Action.LOGIN,
            AuditEvent.Action.LOGOUT,
            AuditEvent.Action.LOGIN_FAILED,
            AuditEvent.Action.VIEW,
        ]
    )[:limit]
