"""Writes of the regions app."""

from __future__ import annotations

from django.db import transaction

from wel import audit

from .models import Region


@transaction.atomic
def region_save(*, form, by, request=None) -> Region:
    """Create or change a region from a valid RegionForm, including its gemeenten; audited."""
    creating = form.instance.pk is None
    region = form.save()
    audit.record(
        action=audit.Action.CREATE if creating else audit.Action.UPDATE,
        request=request,
        user=by,
        obj=region,
        data=", ".join(sorted(form.changed_data)),
    )
    return region
