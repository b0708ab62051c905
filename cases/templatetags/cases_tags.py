from django import template

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


@register.filter
def status_badge(status: str) -> str:
    """A CSS class per trajectory step (cases.css)."""
    return f"status-badge status-{status}"
