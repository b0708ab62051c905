"""Writes of the core that are not access or audit: the user's own preferences."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the user's language for the site ("nl" or "en", from settings.LANGUAGES).

    Raises ValidationError (key ``language``) for any other code. Not audited: a display
    preference, no personal data of a jeugdige.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": f"unknown language {language!r}"})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
