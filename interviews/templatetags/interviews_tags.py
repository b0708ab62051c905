"""Panels the cases app includes: the interviews on a case page, open next steps on the
worklist. They query through the ``visible_to`` managers: the viewer sees only what they may."""

from django import template
from django.db.models import Count, Q

from wel.access import scope_for

from ..models import BelemmerendeFactor, Interview
from ..rows import next_step_rows
from ..selectors import open_next_steps

register = template.Library()


@register.inclusion_tag("interviews/case_panel.html", takes_context=True)
def interviews_case_panel(context, jeugdige):
    user = context["request"].user
    interviews = (
        Interview.objects.visible_to(user)
        .filter(jeugdige=jeugdige)
        .select_related("interviewer")
        .annotate(open_steps=Count("next_steps", filter=Q(next_steps__done=False)))
        .order_by("-held_on", "-pk")
    )
    obstacles = BelemmerendeFactor.objects.visible_to(user).filter(jeugdige=jeugdige)
    return {
        "jeugdige": jeugdige,
        "interviews": list(interviews),
        "obstacles": list(obstacles),
        "may_write": scope_for(user).may_work_on_cases_in(jeugdige.region_id, jeugdige.gemeente_id),
    }


@register.inclusion_tag("interviews/worklist_panel.html", takes_context=True)
def interviews_worklist_panel(context, limit: int = 10):
    request = context["request"]
    steps, total = open_next_steps(user=request.user, limit=limit)
    return {
        "steps": steps,
        "total": total,
        # the rows in Python (interviews.rows): through the template they were a quarter of
        # the worklist's CPU
        "rows": next_step_rows(
            steps,
            csrf_token=str(context.get("csrf_token") or ""),
            next_path=request.get_full_path(),
        ),
    }
