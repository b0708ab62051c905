"""Refuse the passwords Dutch users pick most (``welkom01``, ``wachtwoord123``).

Django's CommonPasswordValidator knows the English top 20,000; it lets ``wachtwoord123`` pass.
The Dutch list (``wel/data/common-passwords-nl.txt``, source in its header) is checked for the
password itself and for its core with leading and trailing digits and symbols removed, so
``Welkom2026!`` is refused along with ``welkom``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords-nl.txt"
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def _common_passwords(path: str) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class DutchCommonPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS entry; ``password_list_path`` may point at another list."""

    def __init__(self, password_list_path: str | Path = LIST_PATH):
        self.password_list_path = str(password_list_path)

    def validate(self, password: str, user=None) -> None:
        words = _common_passwords(self.password_list_path)
        lowered = password.strip().lower()
        core = _EDGES.sub("", lowered)
        if lowered in words or core in words:
            raise ValidationError(
                _(
                    "This password is one of the most used Dutch passwords (or one with "
                    "digits added), so it is guessed first. Choose a longer sentence of your own."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a commonly used Dutch password such as “welkom01”.")
