"""Inzage: everything the product holds about one jeugdige, in one export (AVG art. 15, the
right of access of the data subject — here the parents or the young person).

"Everything" is found by construction, not by a list someone has to keep up: the case's own
fields, then every model that points at the case (reverse relations, whatever app declares
them: betrokkenen, activities, contact moments, timeline, interviews, belemmerende factoren,
moreel beraad links), each with the records it owns (CASCADE children: an interview's next
steps, a beraad's follow-up actions), the field history and the case's access log.
A test fails when a relation is left out.

Shapes: :func:`inzage_collect` returns a plain dict (JSON-ready through DjangoJSONEncoder);
:func:`inzage_pdf` returns PDF bytes (Dutch, tagged PDF/UA-1); :func:`inzage_json` UTF-8 bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wel.audit_labels import changes_label

from . import selectors
from .models import Jeugdige

#: Fields that are bookkeeping, not data about the person.
SKIP_FIELDS = {"id", "version", "jeugdige", "token_hash", "code_hash"}  # (family invitations:
# hashes of the link and code are secrets of the invitation, not data about the person)

#: Labels for fields declared without a verbose name of their own.
GENERIC_LABELS = {
    "created_by": gettext_lazy("created by"),
    "created_at": gettext_lazy("created at"),
    "updated_at": gettext_lazy("updated at"),
    "status_from": gettext_lazy("previous status"),
    "status_to": gettext_lazy("new status"),
}


def _field_entry(obj: models.Model, f: models.Field) -> dict:
    value = getattr(obj, f.attname)
    if f.is_relation:
        related = getattr(obj, f.name)
        # a record may describe itself for the export (a stored file: its size and SHA-256)
        describe = getattr(related, "inzage_display", None)
        display = "" if related is None else describe() if callable(describe) else str(related)
        value = display
    elif f.choices:
        display = str(dict(f.flatchoices).get(value, value)) if value not in ("", None) else ""
    elif isinstance(value, bool):
        display = _("yes") if value else _("no")
    elif value is None:
        display = ""
    elif isinstance(value, Decimal):
        display = f"{value:n}".replace(".", ",")
    elif isinstance(value, dt.date):
        display = value  # dates and datetimes are formatted by the template
    else:
        display = str(value)
    label = GENERIC_LABELS.get(f.name) if f._verbose_name is None else None
    return {
        "name": f.name,
        "label": str(label or f.verbose_name),
        "value": value,
        "display": display,
    }


def _record(obj: models.Model, *, depth: int, parent=None) -> dict:
    fields = [
        _field_entry(obj, f)
        for f in obj._meta.concrete_fields
        if f.name not in SKIP_FIELDS
        # a child's link back to its parent record says nothing new
        and not (parent is not None and f.is_relation and f.related_model is parent)
    ]
    children = []
    if depth > 0:
        for rel in obj._meta.related_objects:
            # Only what the record owns: cascaded children. SET_NULL relations are other
            # content that merely points here (and may be about other children).
            if rel.many_to_many or rel.on_delete is not models.CASCADE:
                continue
            if rel.one_to_one:  # e.g. an invitation's answers: one object, or none
                child = getattr(obj, rel.get_accessor_name(), None)
                rows = [child] if child is not None else []
            else:
                rows = list(getattr(obj, rel.get_accessor_name()).all())
            if rows:
                children.append(
                    _section(rel.related_model, rows, depth=depth - 1, parent=type(obj))
                )
    return {"label": str(obj), "fields": fields, "children": children}


def _section(model, rows, *, depth: int, parent=None) -> dict:
    return {
        "key": model._meta.model_name,
        "label": str(model._meta.verbose_name_plural).capitalize(),
        "records": [_record(r, depth=depth, parent=parent) for r in rows],
    }


def _reverse_relations():
    """Every relation from another model to the case (one-to-many and many-to-many)."""
    return [
        rel
        for rel in Jeugdige._meta.related_objects
        if rel.related_model is not Jeugdige.history.model
    ]


def inzage_collect(*, jeugdige: Jeugdige) -> dict:
    """Everything held about ``jeugdige``: ``{"reference", "generated_at", "case": [field…],
    "sections": [{"key", "label", "records": [{"label", "fields", "children"}]}],
    "history": [...], "access_log": [...]}``. Field entries are
    ``{"name", "label", "value", "display"}``. Reads only; the caller audits the export."""
    case = [
        _field_entry(jeugdige, f)
        for f in Jeugdige._meta.concrete_fields
        if f.name not in SKIP_FIELDS
    ]
    sections = []
    for rel in _reverse_relations():
        accessor = rel.get_accessor_name()
        rows = list(getattr(jeugdige, accessor).all())
        section = _section(rel.related_model, rows, depth=1)
        section["key"] = accessor
        sections.append(section)
    history = [
        {
            "at": line["at"],
            "by": str(line["by"]) if line["by"] else "",
            "created": line.get("created", False),
            "changes": [
                {"field": str(c["field"]), "old": c["old"], "new": c["new"]}
                for c in line["changes"]
            ],
        }
        for line in selectors.field_history(jeugdige=jeugdige)
    ]
    access_log = [
        {
            "at": e.occurred_at,
            "user": e.user_label,
            "role": e.role,
            "action": str(e.type.label) if e.type is not None else e.get_action_display(),
            "outcome": e.get_outcome_display(),
            "data": changes_label(e) if e.event_type else e.data,
            "network_address": e.ip_address or "",
        }
        for e in selectors.access_history(jeugdige=jeugdige)
    ]
    return {
        "reference": jeugdige.reference,
        "generated_at": timezone.localtime(),
        "case": case,
        "sections": sections,
        "history": history,
        "access_log": access_log,
    }


def inzage_json(*, jeugdige: Jeugdige) -> bytes:
    """The inzage as UTF-8 JSON (labels in Dutch, values as stored, dates ISO 8601)."""
    with translation.override("nl"):
        data = inzage_collect(jeugdige=jeugdige)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def inzage_pdf(*, jeugdige: Jeugdige) -> bytes:
    """The inzage as a readable PDF in Dutch (WeasyPrint, tagged PDF/UA-1)."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string(
            "cases/inzage_pdf.html",
            {"jeugdige": jeugdige, "inzage": inzage_collect(jeugdige=jeugdige)},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
