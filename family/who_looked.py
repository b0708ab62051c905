""" "Wie heeft mijn gegevens bekeken": which organisation and role looked at or changed a
child's data, and when, for the family (docs/family.md).

Read from the processing log (Logboek Dataverwerkingen, ``wel.ProcessingRecord``): the child's
lines with status Ok, joined to their audit events for the role the person held. Lines written
for the family's own actions and by automatic tasks (no staff account) are left out. Staff are
named by organisation and role only, unless ``WEL_FAMILY_SHOW_STAFF_NAMES`` is on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from wel.models import AuditEvent, ProcessingRecord, Role

LIMIT = 200


@dataclass(frozen=True)
class Row:
    when: dt.datetime
    what: str
    organisation: str
    role: str
    name: str


def _what(action: str) -> str:
    words = {
        AuditEvent.Action.VIEW: _("looked at the data"),
        AuditEvent.Action.CREATE: _("added something"),
        AuditEvent.Action.UPDATE: _("changed something"),
        AuditEvent.Action.DELETE: _("removed something"),
        AuditEvent.Action.EXPORT: _("downloaded the data"),
        AuditEvent.Action.DOWNLOAD: _("downloaded the data"),
        AuditEvent.Action.IMPORT: _("read in the data from a file"),
    }
    return words.get(action, _("used the data"))


def _roles_in(role_label: str, region_id: int) -> set[str]:
    """The roles an audit line's role label ("lpa@3, kartrekker@5") gives in one region."""
    roles = set()
    for part in role_label.split(","):
        role, _sep, region = part.strip().partition("@")
        if region == str(region_id):
            roles.add(role)
    return roles


def _who(event: AuditEvent, jeugdige) -> tuple[str, str]:
    roles = _roles_in(event.role, jeugdige.region_id)
    if Role.KARTREKKER in roles:
        return (
            _("region %(name)s") % {"name": jeugdige.region.name},
            _("kartrekker (coordinates WEL in the region)"),
        )
    if Role.LPA in roles:
        return (
            _("municipality %(name)s") % {"name": jeugdige.gemeente.name},
            _("school attendance officer"),
        )
    return (_("the WEL programme"), _("staff member"))


def who_looked(jeugdige) -> list[Row]:
    """The latest :data:`LIMIT` views and changes of ``jeugdige``'s data by staff, newest first."""
    staff_events = AuditEvent.objects.filter(user__isnull=False).values("pk")
    lines = list(
        ProcessingRecord.objects.filter(
            jeugdige_id=jeugdige.pk,
            status=ProcessingRecord.Status.OK,
            audit_event_id__in=staff_events,
        ).only("audit_event_id", "end_time")[:LIMIT]
    )
    events = {
        e.pk: e
        for e in AuditEvent.objects.filter(
            pk__in=[line.audit_event_id for line in lines]
        ).select_related("user")
    }
    show_names = settings.WEL_FAMILY_SHOW_STAFF_NAMES
    rows = []
    for line in lines:
        event = events.get(line.audit_event_id)
        if event is None:
            continue
        organisation, role = _who(event, jeugdige)
        rows.append(
            Row(
                when=line.end_time,
                what=_what(event.action),
                organisation=organisation,
                role=role,
                name=(event.user.full_name if show_names and event.user else ""),
            )
        )
    return rows
