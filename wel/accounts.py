"""Accounts: the lockout counts per normalised address, and what a password reset undoes."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest

from . import audit
from .normalise import normalise_email

__all__ = ["axes_username", "login_succeeded", "normalise_email", "password_reset_completed"]


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """django-axes ``AXES_USERNAME_CALLABLE``: count failed logins per normalised address."""
    credentials = credentials or {}
    username = credentials.get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return normalise_email(username)


def login_succeeded(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the right password forgives this account's own failures.

    Only the attempts counted against this account's address are removed (from every client);
    failures of other accounts from the same client address stay, so a login to one's own
    account never lifts the lockout of an account under attack. (django-axes'
    ``AXES_RESET_ON_SUCCESS`` removes every attempt matching any lockout parameter, the client
    address included; it is off.)
    """
    if user is not None and user.email:
        axes_reset(username=normalise_email(user.email))


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
