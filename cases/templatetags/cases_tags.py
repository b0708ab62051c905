from django import template
from django.utils import timezone

from cases import rows as _rows
from cases import rules
from cases.models import Grondslag, Jeugdige, Status
from cases.selectors import worklist_counts as _worklist_counts
from wel.access import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def worklist_counts(context) -> dict[str, int] | None:
    """The start page's worklist numbers; None for people who do not work on cases."""
    request = context.get("request")
    if request is None or not scope_for(request.user).works_in_region:
        return None
    return _worklist_counts(user=request.user)


@register.simple_tag
def case_list_rows(cases):
    """``{% case_list_rows page %}``: the case list's table rows
    (:func:`cases.rows.case_list_rows`), judged on today's date."""
    return _rows.case_list_rows(cases, today=timezone.localdate())


@register.simple_tag
def worklist_rows(cases, date_field):
    """``{% worklist_rows cases "renewal_due" %}``: one worklist section's table rows
    (:func:`cases.rows.worklist_rows`), judged on today's date."""
    return _rows.worklist_rows(cases, date_field=date_field, today=timezone.localdate())


@register.simple_tag
def renewal_soon_days() -> int:
    """Days ahead a renewal counts as "due soon" (``cases.rules.RENEWAL_SOON_DAYS``)."""
    return rules.RENEWAL_SOON_DAYS


@register.filter
def status_badge(status: str) -> str:
    """A CSS class per trajectory step (cases.css)."""
    return f"status-badge status-{status}"


# ``get_status_display`` hashes every (lazy, translated) choice label on each call; in a list of
# 150 rows that was a third of the rendering time. These look the label up directly; the result
# is the same (the raw value when it is not a known choice).
_STATUS = dict(Status.choices)
_GRONDSLAG = dict(Grondslag.choices)


@register.filter
def status_label(status: str) -> str:
    """The translated label of a case status (as ``get_status_display``)."""
    return str(_STATUS.get(status, status))


@register.filter
def grondslag_label(grondslag: str) -> str:
    """The translated label of a grondslag (as ``get_grondslag_display``)."""
    return str(_GRONDSLAG.get(grondslag, grondslag))


@register.filter
def audit_data(value: str) -> str:
    """An audit event's data as a reader says it: field names ("assigned_lpa, bsn") become the
    fields' own names ("toegewezen leerplichtambtenaar, BSN"); other text stays as written."""
    names = {
        f.name: str(f.verbose_name)
        for f in Jeugdige._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    parts = [p.strip() for p in str(value or "").split(",")]
    if not parts or not all(p in names for p in parts):
        return value
    return ", ".join(names[p] for p in parts)
