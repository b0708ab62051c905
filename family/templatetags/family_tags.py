"""The family's words on the staff pages: the case panel and the interview panel. Template tags,
so the cases and interviews apps do not import this app (it comes after them)."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

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
    # One query for the invitations with their contributions (a contribution answers one
    # invitation of the same case, family.services); one more for whom a contribution wants at
    # the conversation, and one for the agreements answered after it, only when there are any.
    invitations = list(Invitation.objects.filter(jeugdige=jeugdige).select_related("contribution"))
    contributions = sorted(
        (i.contribution for i in invitations if hasattr(i, "contribution")),
        key=lambda c: (c.submitted_at, c.pk),
        reverse=True,  # Contribution.Meta.ordering
    )
    after = [
        i
        for i in invitations
        if i.purpose == Invitation.Purpose.AFTER and i.submitted_at is not None
    ]
    prefetch_related_objects(contributions, "attendees_known")
    prefetch_related_objects(
        after, Prefetch("shared_steps", queryset=SharedStep.objects.select_related("next_step"))
    )
    return {
        "jeugdige": jeugdige,
        "invitations": invitations,
        "contributions": contributions,
        "after": after,
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
