"""Accounts: the lockout counts per normalised address, and what a password reset undoes."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest

from . import audit
from .normalise import normalise_email

__all__ = ["axes_username", "normalise_email", "password_reset_completed"]


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """django-axes ``AXES_USERNAME_CALLABLE``: count failed logins per normalised address."""
    credentials = credentials or {}
    username = credentials.get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return normalise_email(username)


def password_reset_completed(*, user, request: HttpRequest | None) -> int:
    """After a successful password reset: lift the login lockout of this account.

    The lockout page advises a password reset; whoever completed one proved access to the
    mailbox, so the failed attempts counted against the address (from every client) are
    removed. Audited. Returns the number of lockout records removed.
    """
    with transaction.atomic():
        removed = axes_reset(username=normalise_email(user.email))
        audit.record(
            audit.events.PASSWORD_RESET_BY_LINK,
            request=request,
            user=user,
            obj=user,
            detail={"lockout_records_removed": removed},
        )
    return removed
