"""The family's words on the staff pages: the case panel and the interview panel. Template tags,
so the cases and interviews apps do not import this app (it comes after them)."""

from django import template
from django.db.models import Prefetch

from ..models import Contribution, Invitation, SharedStep, may_invite

register = template.Library()


def _contributions(**filters):
    return list(
        Contribution.objects.filter(**filters)
        .select_related("invitation")
        .prefetch_related("attendees_known")
    )


def _answered_after(**filters):
    return list(
        Invitation.objects.filter(purpose=Invitation.Purpose.AFTER, **filters)
        .exclude(submitted_at=None)
        .prefetch_related(
            Prefetch("shared_steps", queryset=SharedStep.objects.select_related("next_step"))
        )
    )


@register.inclusion_tag("family/_case_panel.html", takes_context=True)
def family_case_panel(context, jeugdige):
    """Invitations (with their state) and everything the family wrote, for the case page."""
    user = context["request"].user
    # Two queries on a case without invitations; a fixed few more with them (prefetches).
    invitations = list(
        Invitation.objects.filter(jeugdige=jeugdige).prefetch_related(
            Prefetch("shared_steps", queryset=SharedStep.objects.select_related("next_step"))
        )
    )
    return {
        "jeugdige": jeugdige,
        "invitations": invitations,
        "contributions": _contributions(jeugdige=jeugdige),
        "after": [
            i
            for i in invitations
            if i.purpose == Invitation.Purpose.AFTER and i.submitted_at is not None
        ],
        "may_invite": may_invite(user, jeugdige),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("family/_interview_panel.html")
def family_interview_panel(interview):
    """What the family wrote for this conversation, next to it."""
    return {
        "contributions": _contributions(interview=interview),
        "after": _answered_after(interview=interview),
    }
