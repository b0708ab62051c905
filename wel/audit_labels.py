"""Readable labels for audit events: Dutch words instead of the codes the log stores
("Dossier bekeken" for the type ``jeugdige.viewed``, "kartrekker, Emmen/Borger-Odoorn" for
``kartrekker@7``, "jeugdige" for ``cases.jeugdige``, "status: Aangemeld → In beeld; voornaam"
for the changes).

The log keeps the codes (stable, machine-readable, never rewritten); the viewers translate them
when they show a page. Region names come in at most one query per page (none for the regions
the page already knows, such as the viewer's own). Lines written before event types existed
(no type) are shown by their action and their free text, as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .audit import changes_model_label
from .models import AuditEvent, NationalRole, Role

# What the views wrote in ``data`` before event types existed, in words (old lines only).
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


def _value(field, value, label) -> str:
    if label not in (None, "", []):
        return ", ".join(label) if isinstance(label, list) else str(label)
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def changes_label(event: AuditEvent) -> str:
    """The changes in words: "status: Aangemeld → In beeld; voornaam" (a field whose value
    identifies someone is named, never shown: it was never stored)."""
    model = _model(changes_model_label(event))
    parts = []
    for change in event.changes or []:
        name = change.get("field", "")
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field that is gone, or a name given as such
                field = None
        if field is None:
            label = name
        elif field.auto_created and not field.concrete:
            label = str(field.related_model._meta.verbose_name_plural)
        else:
            label = str(field.verbose_name)
        if "old" in change or "new" in change:
            old = _value(field, change.get("old"), change.get("old_label"))
            new = _value(field, change.get("new"), change.get("new_label"))
            parts.append(f"{label}: {old} → {new}")
        else:
            parts.append(label)
    return "; ".join(parts)


def _data_label(event: AuditEvent) -> str:
    if event.event_type:
        return changes_label(event) or event.detail.get("path", "")
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
    """Set ``type_display`` (the type's label; the action's on an old line), ``role_display``,
    ``object_type_display`` and ``data_display`` (the changes; an old line's free text) on
    each event.

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
        registered = event.type
        event.type_display = (
            str(registered.label) if registered is not None else event.get_action_display()
        )
    return events
