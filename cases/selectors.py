"""Reads on the jeugdige's dossier, always starting from the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Jeugdige


def jeugdigen_for_user(user) -> QuerySet[Jeugdige]:
    """The cases this user may see, with region and gemeente joined."""
    return Jeugdige.objects.visible_to(user).select_related("region", "gemeente", "assigned_lpa")
