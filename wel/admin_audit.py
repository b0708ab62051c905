"""Every change made in the Django admin (``/beheer/``) becomes an append-only audit event with
the old and the new values, whichever model it is: :class:`WelAdminSite` mixes
:class:`AuditedAdminMixin` into every ModelAdmin it registers, so an admin added later cannot
forget it. Django's own ``django_admin_log`` is an ordinary table and is not the record.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from . import audit

MASKED = "••••••"
SECRET_FIELDS = ("password",)


def _is_secret(name: str) -> bool:
    return any(s in name for s in SECRET_FIELDS)


def _display(field: forms.Field | None, value: Any) -> Any:
    """A value as a reader of the log should see it (labels for choices, names for objects)."""
    if (
        isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.ModelChoiceField)
        and isinstance(value, str | int | bool)
        and value in dict(field.choices)
    ):
        return str(dict(field.choices)[value])
    if value is None or value == "":
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        if isinstance(value, models.QuerySet) or all(isinstance(v, models.Model) for v in value):
            return sorted(str(v) for v in value)
        return sorted(str(v) for v in field.queryset.filter(pk__in=list(value)))
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(value, models.Model):
            return str(value)
        obj = field.queryset.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def form_changes(form: forms.BaseForm) -> list[dict]:
    """``[{"field": label, "old": …, "new": …}]`` for each changed field; secrets masked."""
    changes = []
    for name in form.changed_data:
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        if _is_secret(name):
            changes.append({"field": label, "old": MASKED, "new": MASKED})
            continue
        old = form.initial.get(name, field.initial if field is not None else None)
        if callable(old):
            old = old()
        new = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        changes.append({"field": label, "old": _display(field, old), "new": _display(field, new)})
    return changes


def _summary(changes: list[dict]) -> str:
    return "beheer: " + ", ".join(c["field"] for c in changes)


class AuditedAdminMixin:
    """Writes CREATE/UPDATE/DELETE audit events with old → new values for a ModelAdmin and its
    inlines. Inline rows are logged on their parent (a membership on its user), so one filter
    on the parent shows every change to it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = form_changes(form)
        if change and not changes:
            return
        audit.record(
            action=audit.Action.UPDATE if change else audit.Action.CREATE,
            request=request,
            obj=obj,
            data=_summary(changes)[:255],
            detail={"via": "beheer", "changes": changes},
        )

    def save_formset(self, request, form, formset, change):
        deleted = [f for f in formset.initial_forms if f in formset.deleted_forms]
        removed = [(str(f.instance), f.instance._meta.verbose_name) for f in deleted]
        changed = [
            f
            for f in formset.forms
            if f not in formset.deleted_forms and f.has_changed() and f.is_valid()
        ]
        created = {id(f) for f in changed if f.instance.pk is None}
        super().save_formset(request, form, formset, change)
        parent = form.instance
        for f in changed:
            changes = form_changes(f)
            action = audit.Action.CREATE if id(f) in created else audit.Action.UPDATE
            label = f"{f.instance._meta.verbose_name}: {f.instance}"
            audit.record(
                action=action,
                request=request,
                obj=parent,
                data=f"beheer: {label}"[:255],
                detail={"via": "beheer", "inline": label, "changes": changes},
            )
        for text, verbose_name in removed:
            label = f"{verbose_name}: {text}"
            audit.record(
                action=audit.Action.DELETE,
                request=request,
                obj=parent,
                data=f"beheer: {label}"[:255],
                detail={"via": "beheer", "inline": label, "removed": text},
            )

    def delete_model(self, request, obj):
        audit.record(
            action=audit.Action.DELETE,
            request=request,
            obj=obj,
            data="beheer",
            detail={"via": "beheer", "removed": str(obj)},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(
                action=audit.Action.DELETE,
                request=request,
                obj=obj,
                data="beheer",
                detail={"via": "beheer", "removed": str(obj)},
            )
        super().delete_queryset(request, queryset)
