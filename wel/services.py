"""Writes of the core that are not access or audit: the user's own preferences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def assign(instance, data: Mapping[str, Any], fields) -> dict[str, tuple[Any, Any]]:
    """Set ``fields`` of ``instance`` from ``data`` (plain values, as a service receives them);
    returns ``{field: (old, new)}`` for each value that changed (every one given, for a new
    instance), as ``wel.audit.record`` takes them. Many-to-many fields are not set here: the
    caller sets them after saving."""
    changes: dict[str, tuple[Any, Any]] = {}
    creating = instance.pk is None
    for name in fields:
        if name not in data:
            continue
        old, value = (None if creating else getattr(instance, name)), data[name]
        if creating or old != value:
            setattr(instance, name, value)
            changes[name] = (old, value)
    return changes


def validate(instance, fields) -> None:
    """``full_clean`` of the fields a service takes (and the model's constraints and unique
    checks); fields it does not set (who created it, links the service makes itself) are the
    service's business, not the input's. Raises ``ValidationError`` with field keys."""
    names = set(fields)
    instance.full_clean(
        exclude=[f.name for f in instance._meta.concrete_fields if f.name not in names]
    )
