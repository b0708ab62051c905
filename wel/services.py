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


def assign(instance, data: dict, fields) -> list[str]:
    """Set ``fields`` of ``instance`` from ``data`` (plain values, as a service receives them);
    returns the names whose value changed (all of them given for a new instance). Many-to-many
    fields are not set here: the caller sets them after saving."""
    changed = []
    creating = instance.pk is None
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if creating or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validate(instance, fields) -> None:
    """``full_clean`` of the fields a service takes (and the model's constraints and unique
    checks); fields it does not set (who created it, links the service makes itself) are the
    service's business, not the input's. Raises ``ValidationError`` with field keys."""
    names = set(fields)
    instance.full_clean(
        exclude=[f.name for f in instance._meta.concrete_fields if f.name not in names]
    )
