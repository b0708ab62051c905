"""The operator identity of command-line tools that touch personal data (NEN 7513: every
access names a person). ``manage.py import_jeugdigen … --user EMAIL`` runs as that account:
its rights are checked and the audit log names it, with the command as "on behalf of"."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import User


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        required=True,
        metavar="EMAIL",
        help="Your own account's e-mail address: the audit log records who ran the command.",
    )


def operator(email: str) -> User:
    """The active account with this e-mail address, or CommandError saying what to do."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise CommandError(f"No account with e-mail address {email!r}. Use your own account.")
    if not user.is_active:
        raise CommandError(f"The account {user.email} is deactivated. Use an active account.")
    return user
