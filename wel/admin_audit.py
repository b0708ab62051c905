"""Every change made in the Django admin (``/beheer/``) becomes an append-only audit event with
the changed fields and, where they identify nobody, their old and new values (the rule of
:func:`wel.audit.record`), whichever model it is: :class:`WelAdminSite` mixes
:class:`AuditedAdminMixin` into every ModelAdmin it registers, so an admin added later cannot
forget it. Django's own ``django_admin_log`` is an ordinary table and is not the record.
"""

from __future__ import annotations

from . import audit
from .audit_events import (
    BEHEER_CREATED,
    BEHEER_DELETED,
    BEHEER_UPDATED,
    MEMBERSHIP_CHANGED,
    MEMBERSHIP_CREATED,
    MEMBERSHIP_REMOVED,
    USER_CREATED,
    USER_DELETED,
    USER_UPDATED,
)

# (created, changed, deleted) per model; inline rows per (parent, row) model. Any other model
# registered in /beheer/ gets the general "… in management" types.
TYPES = {"wel.user": (USER_CREATED, USER_UPDATED, USER_DELETED)}
INLINE_TYPES = {
    ("wel.user", "wel.membership"): (MEMBERSHIP_CREATED, MEMBERSHIP_CHANGED, MEMBERSHIP_REMOVED)
}
GENERAL = (BEHEER_CREATED, BEHEER_UPDATED, BEHEER_DELETED)


def _types(obj):
    return TYPES.get(obj._meta.label_lower, GENERAL)


def _inline_types(parent, model):
    return INLINE_TYPES.get((parent._meta.label_lower, model._meta.label_lower), GENERAL)


class AuditedAdminMixin:
    """Writes created/changed/deleted audit events with the changed fields (old → new values by
    the rule of :func:`wel.audit.record`) for a ModelAdmin and its inlines. Inline rows are
    logged on their parent (a membership on its user), so one filter on the parent shows every
    change to it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = audit.form_changes(form)
        if change and not changes:
            return
        created, updated, _deleted = _types(obj)
        audit.record(
            updated if change else created,
            request=request,
            obj=obj,
            changes=changes,
            fields_of=obj._meta.label_lower,
            detail={"via": "beheer"},
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
        row_created, row_updated, row_deleted = _inline_types(parent, formset.model)
        fields_of = formset.model._meta.label_lower
        for f in changed:
            label = f"{f.instance._meta.verbose_name}: {f.instance}"
            audit.record(
                row_created if id(f) in created else row_updated,
                request=request,
                obj=parent,
                changes=audit.form_changes(f),
                fields_of=fields_of,
                detail={"via": "beheer", "inline": label},
            )
        for text, verbose_name in removed:
            audit.record(
                row_deleted,
                request=request,
                obj=parent,
                fields_of=fields_of,
                detail={"via": "beheer", "inline": str(verbose_name), "removed": text},
            )

    def delete_model(self, request, obj):
        audit.record(
            _types(obj)[2], request=request, obj=obj, detail={"via": "beheer", "removed": str(obj)}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(
                _types(obj)[2],
                request=request,
                obj=obj,
                detail={"via": "beheer", "removed": str(obj)},
            )
        super().delete_queryset(request, queryset)
