"""Readable labels for audit events: Dutch words instead of the codes the log stores
("kartrekker, Emmen/Borger-Odoorn" for ``kartrekker@7``, "jeugdige" for ``cases.jeugdige``,
"voornaam, achternaam" for ``given_name, family_name``).

The log keeps the codes (stable, machine-readable, never rewritten); the viewers translate them
when they show a page. Region names come in at most one query per page (none for the regions
the page already knows, such as the viewer's own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, NationalRole, Role

# What the views write in ``data``, in words.
DATA_LABELS = {
    "dossier": _("case file: name, BSN, date of birth, details"),
    "history": _("case history and access log"),
    "case list: reference, name, date of birth": _("case list: reference, name, date of birth"),
    "worklist: reference, name": _("worklist: reference, name"),
    "case list: all exported columns incl. BSN": _("case list export, with BSN"),
    "interview": _("interview"),
    "interview (edit form)": _("interview (edit form)"),
    "interview (share as learning)": _("interview (share as learning)"),
    "moreel beraad": _("moreel beraad"),
    "belemmerende factor": _("belemmerende factor"),
    "report PDF": _("report (PDF)"),
    "jeugdigen": _("jeugdigen"),
    "contact moment": _("contact moment"),
    "status": _("status"),
    "learning": _("learning"),
    "escalated to national level": _("escalated to the national agenda"),
    "beheer: password": _("password (in management)"),
}


def _model(label: str):
    try:
        return apps.get_model(label) if "." in label else None
    except (LookupError, ValueError):
        return None


def object_type_label(code: str) -> str:
    model = _model(code)
    return str(model._meta.verbose_name) if model is not None else code


def _data_label(event: AuditEvent) -> str:
    data = event.data or ""
    if data in DATA_LABELS:
        return str(DATA_LABELS[data])
    if data.startswith("beheer: "):
        return str(_("in management: %(what)s") % {"what": data.removeprefix("beheer: ")})
    model = _model(event.object_type)
    if model is not None and data:
        names = {f.name: str(f.verbose_name) for f in model._meta.get_fields() if f.concrete}
        parts = [p.strip() for p in data.split(",")]
        if all(p in names for p in parts):
            return ", ".join(names[p] for p in parts)
    if event.outcome == AuditEvent.Outcome.DENIED:
        return str(_("refused: %(path)s") % {"path": data})
    return data


def label_events(
    events: Iterable[AuditEvent], known_regions: Mapping[int, str] | None = None
) -> list[AuditEvent]:
    """Set ``role_display``, ``object_type_display`` and ``data_display`` on each event.

    A role names its region by pk (``lpa@7``); the names are read in one query, except those
    in ``known_regions`` (pk → current name, e.g. the viewer's own regions from the scope, read
    in this request): none when every region is known."""
    events = list(events)
    regions = dict(known_regions or {})
    region_ids: set[int] = set()
    for event in events:
        for part in filter(None, (p.strip() for p in event.role.split(","))):
            if "@" in part and part.rsplit("@", 1)[1].isdigit():
                region_ids.add(int(part.rsplit("@", 1)[1]))
    region_ids -= regions.keys()
    if region_ids:
        Region = apps.get_model("regions", "Region")
        regions |= dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name"))
    roles = dict(Role.choices) | dict(NationalRole.choices)
    for event in events:
        parts = []
        for part in filter(None, (p.strip() for p in event.role.split(","))):
            if "@" in part:
                role, region = part.rsplit("@", 1)
                name = regions.get(int(region)) if region.isdigit() else None
                parts.append(f"{roles.get(role, role)}, {name or region}")
            else:
                parts.append(str(roles.get(part, part)))
        event.role_display = "; ".join(parts)
        event.object_type_display = object_type_label(event.object_type)
        event.data_display = _data_label(event)
    return events
