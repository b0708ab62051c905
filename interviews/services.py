"""Writes of the interviews app: interviews and next steps, moreel beraad, obstacles.

Every write checks the access policy, runs in one transaction, records the audit event and,
where a case is involved, the line on the case's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import Jeugdige, TimelineEntry
from cases.services import timeline_add
from cases.timeline import Msg
from wel import audit, shared_text
from wel.access import require_case, scope_for
from wel.services import assign, validate

from .deidentify import find_identifying
from .models import (
    AgendaStatus,
    BelemmerendeFactor,
    BeraadAction,
    Category,
    Interview,
    Level,
    MoreelBeraad,
    NextStep,
)

# The agenda's allowed moves. Solved and unsolvable are final; anything still open can be
# declared unsolvable.
TRANSITIONS: dict[str, frozenset[str]] = {
    AgendaStatus.GESIGNALEERD: frozenset({AgendaStatus.GEAGENDEERD, AgendaStatus.NIET_OPLOSBAAR}),
    AgendaStatus.GEAGENDEERD: frozenset({AgendaStatus.OPGEPAKT, AgendaStatus.NIET_OPLOSBAAR}),
    AgendaStatus.OPGEPAKT: frozenset({AgendaStatus.OPGELOST, AgendaStatus.NIET_OPLOSBAAR}),
    AgendaStatus.OPGELOST: frozenset(),
    AgendaStatus.NIET_OPLOSBAAR: frozenset(),
}


def _d(day: dt.date) -> str:
    return date_format(day, "d-m-Y")


def _require_case_access(user, jeugdige: Jeugdige) -> None:
    """The case's own policy (wel.access.CaseContent); unlike :func:`wel.access.require_case`
    there is no system actor here: interviews are always recorded by a person."""
    if user is None:
        raise PermissionDenied
    require_case(user, jeugdige)


# -- Interviews ---------------------------------------------------------------------------------
# What a person records of an interview and of a next step (the services take these as plain
# values; forms are the views' business).
INTERVIEW_FIELDS = (
    "respondent_kind",
    "respondent_name",
    "respondent_role",
    "respondent_organisation",
    "held_on",
    "interviewer",
    "attendees",
    "attendees_chosen_by_parents",
    "consent_to_record",
    *Interview.QUESTION_FIELDS,
)
NEXT_STEP_FIELDS = ("description", "owner", "owner_user", "due_on", "done")


@transaction.atomic
def interview_save(
    *,
    jeugdige: Jeugdige,
    data: Mapping[str, Any],
    by,
    interview: Interview | None = None,
    next_steps: Sequence[Mapping[str, Any]] = (),
    obstacles: Sequence[Mapping[str, Any]] = (),
    request=None,
) -> Interview:
    """Record an interview about ``jeugdige`` (``interview=None``) or change ``interview``, with
    new or changed next steps and the obstacles seen (each becomes a belemmerende factor), all
    in one transaction.

    ``data``: values of :data:`INTERVIEW_FIELDS` (``interviewer`` a user; missing keys are left
    as they are). ``next_steps``: values of :data:`NEXT_STEP_FIELDS` with ``pk``, the step to
    change, or none for a new one; a new step names its ``owner_user``, one of
    :func:`step_owners` (the free-text ``owner`` is kept for steps from before); a step whose
    owner changes records ``next_step.owner_set`` (the owner is notified). ``obstacles``:
    ``category``, ``description``, ``level``.

    Puts the interview and every new next step on the case's timeline; audited with the
    jeugdige, naming the changed fields (their content only where it identifies nobody, by the
    rule of ``wel.audit.record``). Raises ``PermissionDenied`` (``OutOfScope``) when ``by`` does
    not work on the case; ``ValidationError`` with field keys (``next_steps`` for a step) when a
    value is refused — nothing is written then.
    """
    _require_case_access(by, jeugdige)
    creating = interview is None
    if creating:
        current = Interview(jeugdige=jeugdige, created_by=by)
    else:
        if interview.jeugdige_id != jeugdige.pk:
            raise ValidationError(_("This interview belongs to another case."))
        current = Interview.objects.select_for_update().get(pk=interview.pk)
    changes = assign(current, data, INTERVIEW_FIELDS)
    if not current.consent_to_record:
        raise ValidationError(
            {
                "consent_to_record": _(
                    "Record an interview only with the respondent's consent; ask for it first."
                )
            }
        )
    validate(current, INTERVIEW_FIELDS)
    current.save()
    existing = {
        step.pk: step
        for step in NextStep.objects.filter(
            interview=current, pk__in=[d["pk"] for d in next_steps if d.get("pk")]
        )
    }
    new_steps: list[NextStep] = []
    owners_set: list[tuple[NextStep, int | None]] = []
    steps_changed = False
    for values in next_steps:
        if values.get("pk"):
            step = existing.get(values["pk"])
            if step is None:
                raise ValidationError({"next_steps": _("A next step of another interview.")})
        else:
            step = NextStep(interview=current)
        owner_before = step.owner_user_id
        if not assign(step, values, NEXT_STEP_FIELDS):
            continue
        if step.owner_user_id != owner_before and step.owner_user_id is not None:
            _check_step_owner(jeugdige, step.owner_user)
            owners_set.append((step, owner_before))
        if step.pk is None and step.owner_user_id is None:
            raise ValidationError(
                {"next_steps": _("Choose who sees to each new next step (a colleague).")}
            )
        if step.done and step.done_at is None:
            step.done_at = timezone.now()
        if not step.done:
            step.done_at = None
        is_new = step.pk is None
        try:
            validate(step, NEXT_STEP_FIELDS)
        except ValidationError as exc:
            raise ValidationError({"next_steps": exc.messages}) from None
        step.save()
        steps_changed = True
        if is_new:
            new_steps.append(step)
    if creating:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.INTERVIEW,
            text=Msg(
                gettext_noop("Interview with a %(kind)s on %(date)s."),
                kind=Interview.RespondentKind(current.respondent_kind).label,
                date=_d(current.held_on),
            ),
            by=by,
        )
    for step in new_steps:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.NEXT_STEP,
            text=Msg(
                gettext_noop("Next step agreed: %(what)s (owner: %(owner)s, due %(due)s)."),
                what=step.description,
                owner=step.owner_label,
                due=_d(step.due_on),
            ),
            by=by,
        )
    for obstacle in obstacles:
        obstacle_raise(
            by=by,
            region=jeugdige.region,
            interview=current,
            category=obstacle["category"],
            description=obstacle["description"],
            level=obstacle.get("level") or Level.LOCAL,
            request=request,
        )
    if steps_changed:
        changes["next_steps"] = (None, None)  # a relation: logged by name only
    audit.record(
        audit.events.INTERVIEW_CREATED if creating else audit.events.INTERVIEW_UPDATED,
        request=request,
        user=by,
        obj=current,
        jeugdige=jeugdige,
        changes=changes,
    )
    for step, owner_before in owners_set:
        # Typed, so the new owner hears of it (notifications.rules; not when it is oneself).
        before = step_owners(jeugdige).model.objects.filter(pk=owner_before).first()
        audit.record(
            audit.events.NEXT_STEP_OWNER_SET,
            request=request,
            user=by,
            obj=step,
            jeugdige=jeugdige,
            changes={"owner_user": (before, step.owner_user)},
        )
    return current


def step_owners(jeugdige: Jeugdige):
    """Who may own a next step of ``jeugdige``: the users who may be its assigned LPA
    (:func:`cases.services.assignable_users`, issue 21: an owner must see the case)."""
    from cases.services import assignable_users

    return assignable_users(region_id=jeugdige.region_id, gemeente_id=jeugdige.gemeente_id)


def _check_step_owner(jeugdige: Jeugdige, user) -> None:
    if not step_owners(jeugdige).filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "next_steps": _(
                    "The owner of a next step must work on this case. Choose a colleague of "
                    "the case's region and municipality."
                )
            }
        )


@transaction.atomic
def next_step_set_done(*, step: NextStep, done: bool, by, request=None) -> NextStep:
    """Mark a next step done (or open again); the case's timeline says so."""
    jeugdige = step.interview.jeugdige
    _require_case_access(by, jeugdige)
    if step.done == done:
        return step
    step.done = done
    step.done_at = timezone.now() if done else None
    step.save(update_fields=["done", "done_at"])
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.NEXT_STEP,
        text=Msg(
            gettext_noop("Next step done: %(what)s.")
            if done
            else gettext_noop("Next step reopened: %(what)s."),
            what=step.description,
        ),
        by=by,
    )
    audit.record(
        audit.events.NEXT_STEP_DONE if done else audit.events.NEXT_STEP_REOPENED,
        request=request,
        user=by,
        obj=step.interview,
        jeugdige=jeugdige,
        changes={"done": (not done, done)},
        detail={"next_step": step.pk},
    )
    return step


# -- Moreel beraad ------------------------------------------------------------------------------
# What a kartrekker records of a moreel beraad and of its follow-up actions.
BERAAD_FIELDS = (
    "held_on",
    "facilitator",
    "method",
    "method_other",
    "participants",
    "case_description",
    "dilemma",
    "option_a",
    "option_a_costs",
    "option_b",
    "option_b_costs",
    "perspectives",
    "values",
    "conclusion",
    "evaluation",
)
BERAAD_ACTION_FIELDS = ("description", "owner", "due_on", "done")


@transaction.atomic
def beraad_save(
    *,
    region,
    data: Mapping[str, Any],
    by,
    beraad: MoreelBeraad | None = None,
    jeugdigen: Sequence[Jeugdige] | None = None,
    actions: Sequence[Mapping[str, Any]] = (),
    request=None,
) -> MoreelBeraad:
    """Record a moreel beraad of ``region`` (``beraad=None``) or change ``beraad`` (its
    kartrekker only).

    ``data``: values of :data:`BERAAD_FIELDS`; ``jeugdigen``: the cases linked (``None`` leaves
    the links as they are), which must belong to the region; ``actions``: values of
    :data:`BERAAD_ACTION_FIELDS` with ``pk`` to change an action (none for a new one) and
    ``delete`` to remove it. Raises ``PermissionDenied`` when ``by`` does not lead the region,
    ``ValidationError`` (field keys where there is one) when a value is refused — nothing is
    written then.
    """
    if not scope_for(by).may_lead(region.pk):
        raise PermissionDenied
    if beraad is not None and beraad.region_id != region.pk:
        raise PermissionDenied
    wrong = [j.reference for j in jeugdigen or () if j.region_id != region.pk]
    if wrong:
        raise ValidationError(
            _("Only jeugdigen of this region can be linked; remove %(refs)s.")
            % {"refs": ", ".join(wrong)}
        )
    creating = beraad is None
    if creating:
        current = MoreelBeraad(region=region, created_by=by)
    else:
        current = MoreelBeraad.objects.select_for_update().get(pk=beraad.pk)
    changes = assign(current, data, BERAAD_FIELDS)
    if current.method == MoreelBeraad.Method.OTHER and not current.method_other:
        raise ValidationError({"method_other": _("Name the method you used.")})
    validate(current, BERAAD_FIELDS)
    current.save()
    if jeugdigen is not None:
        before = set(current.jeugdigen.values_list("pk", flat=True))
        current.jeugdigen.set(jeugdigen)
        if before != {j.pk for j in jeugdigen}:
            changes["jeugdigen"] = (None, None)  # links to cases: logged by name only
    existing = {
        action.pk: action
        for action in BeraadAction.objects.filter(
            beraad=current, pk__in=[a["pk"] for a in actions if a.get("pk")]
        )
    }
    for values in actions:
        action = existing.get(values["pk"]) if values.get("pk") else None
        if values.get("pk") and action is None:
            raise ValidationError(_("A follow-up action of another moreel beraad."))
        if values.get("delete"):
            if action is not None:
                action.delete()
                changes["actions"] = (None, None)
            continue
        action = action or BeraadAction(beraad=current)
        if not assign(action, values, BERAAD_ACTION_FIELDS):
            continue
        try:
            validate(action, BERAAD_ACTION_FIELDS)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        action.save()
        changes["actions"] = (None, None)
    audit.record(
        audit.events.BERAAD_CREATED if creating else audit.events.BERAAD_UPDATED,
        request=request,
        user=by,
        obj=current,
        changes=changes,
    )
    return current


# -- Obstacles ----------------------------------------------------------------------------------
@transaction.atomic
def obstacle_raise(
    *,
    by,
    region,
    category: str,
    description: str,
    level: str = Level.LOCAL,
    interview: Interview | None = None,
    jeugdige: Jeugdige | None = None,
    beraad: MoreelBeraad | None = None,
    request=None,
) -> BelemmerendeFactor:
    """Raise an obstacle from an interview, a case, a moreel beraad or directly for a region.

    The national level is reached only by escalation (which needs a shareable summary).
    """
    scope = scope_for(by)
    if interview is not None:
        jeugdige = interview.jeugdige
    if jeugdige is not None:
        _require_case_access(by, jeugdige)
        region = jeugdige.region
    if beraad is not None:
        region = beraad.region
        if not scope.may_lead(region.pk):
            raise PermissionDenied
    if region is None or scope.role_in(region.pk) is None:
        raise PermissionDenied
    if level == Level.NATIONAL:
        raise ValidationError(
            {"level": _("Raise it locally or regionally first; the kartrekker escalates it.")}
        )
    source = (
        BelemmerendeFactor.Source.INTERVIEW
        if interview is not None
        else BelemmerendeFactor.Source.CASE
        if jeugdige is not None
        else BelemmerendeFactor.Source.MOREEL_BERAAD
        if beraad is not None
        else BelemmerendeFactor.Source.REGION
    )
    factor = BelemmerendeFactor(
        region=region,
        source=source,
        interview=interview,
        jeugdige=jeugdige,
        beraad=beraad,
        category=category,
        description=description.strip(),
        level=level,
        created_by=by,
        status_changed_at=timezone.now(),
    )
    factor.full_clean()
    factor.save()
    if jeugdige is not None:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.OTHER,
            text=Msg(
                gettext_noop("Belemmerende factor noticed: %(category)s."),
                category=Category(factor.category).label,
            ),
            by=by,
        )
    audit.record(
        audit.events.FACTOR_RAISED,
        request=request,
        user=by,
        obj=factor,
        jeugdige=jeugdige,
        changes={"category": (None, category), "level": (None, level)},
    )
    return factor


def may_manage_obstacle(user, factor: BelemmerendeFactor) -> bool:
    return scope_for(user).may_lead(factor.region_id)


def may_move_nationally(user, factor: BelemmerendeFactor) -> bool:
    """The landelijk team moves obstacles on the national agenda (it never sees their content)."""
    return scope_for(user).is_landelijk_team and factor.level == Level.NATIONAL


@transaction.atomic
def obstacle_update(
    *, factor: BelemmerendeFactor, by, category: str, description: str, level: str, request=None
) -> BelemmerendeFactor:
    """Change the category, description or (local/regional) level: kartrekker or who raised it."""
    if not (may_manage_obstacle(by, factor) or factor.created_by_id == by.pk):
        raise PermissionDenied
    if level == Level.NATIONAL and factor.level != Level.NATIONAL:
        raise ValidationError({"level": _("Use 'Escalate to national' to raise it nationally.")})
    if factor.level == Level.NATIONAL:
        level = Level.NATIONAL  # shared nationally already: it stays on the national agenda
    before = {"category": factor.category, "description": factor.description, "level": factor.level}
    factor.category = category
    factor.description = description.strip()
    factor.level = level
    factor.full_clean()
    factor.save()
    audit.record(
        audit.events.FACTOR_UPDATED,
        request=request,
        user=by,
        obj=factor,
        jeugdige=factor.jeugdige,
        changes={n: (v, getattr(factor, n)) for n, v in before.items() if getattr(factor, n) != v},
    )
    return factor


def allowed_transitions(factor: BelemmerendeFactor) -> list[str]:
    return [s for s in AgendaStatus.values if s in TRANSITIONS[factor.status]]


@transaction.atomic
def obstacle_transition(
    *,
    factor: BelemmerendeFactor,
    to: str,
    by,
    agenda_where: str = "",
    agenda_on: dt.date | None = None,
    request=None,
) -> BelemmerendeFactor:
    """Move an obstacle along the agenda, following TRANSITIONS: the kartrekker of its region,
    or for a national obstacle also the landelijk team.

    Putting it on an agenda needs the place; the date defaults to today.
    """
    if not (may_manage_obstacle(by, factor) or may_move_nationally(by, factor)):
        raise PermissionDenied
    factor = BelemmerendeFactor.objects.select_for_update().get(pk=factor.pk)
    if to not in TRANSITIONS.get(factor.status, ()):
        raise ValidationError(
            _("An obstacle that is %(current)s cannot become %(to)s. Choose one of: %(allowed)s.")
            % {
                "current": factor.get_status_display(),
                "to": dict(AgendaStatus.choices).get(to, to),
                "allowed": ", ".join(
                    str(dict(AgendaStatus.choices)[s]) for s in allowed_transitions(factor)
                )
                or "–",
            }
        )
    if to == AgendaStatus.GEAGENDEERD:
        if not agenda_where.strip():
            raise ValidationError(
                {
                    "agenda_where": _(
                        "Say where it was put on the agenda, e.g. the Lokaal Educatieve Agenda."
                    )
                }
            )
        factor.agenda_where = agenda_where.strip()
        factor.agenda_on = agenda_on or timezone.localdate()
    previous = factor.status
    factor.status = to
    factor.status_changed_at = timezone.now()
    factor.save()
    audit.record(
        audit.events.FACTOR_STATUS_CHANGED,
        request=request,
        user=by,
        obj=factor,
        changes={"status": (previous, to)},
    )
    return factor


def identifying_details(text: str, factor: BelemmerendeFactor, by=None) -> list[str]:
    """What in a text would identify a child: the names of every jeugdige and betrokkene ``by``
    can see (not only the linked ones), the linked child's reference, a respondent's name,
    anything shaped like a case reference, a BSN (11-proef) or a date."""
    people = []
    if factor.jeugdige_id:
        people.append(factor.jeugdige)
    if factor.beraad_id:
        people += list(factor.beraad.jeugdigen.all())
    names: list[str] = []
    for j in people:
        names += [j.given_name, j.family_name, j.reference]
    if factor.interview_id:
        names.append(factor.interview.respondent_name)
    if by is not None:
        found = shared_text.find_identifying(text, author=by, known_names=names)
        return [f.describe() for f in found]
    return find_identifying(text, names)


@transaction.atomic
def obstacle_escalate(
    *, factor: BelemmerendeFactor, summary: str, by, request=None
) -> BelemmerendeFactor:
    """Raise an obstacle to the national agenda (kartrekker of its region).

    Requires a shareable summary without names, references or case details; only that summary
    (with category, region, status and dates) ever reaches the national team.
    """
    if not may_manage_obstacle(by, factor):
        raise PermissionDenied
    factor = BelemmerendeFactor.objects.select_for_update().get(pk=factor.pk)
    if factor.is_closed:
        raise ValidationError(_("This obstacle is closed; raise a new one if it comes back."))
    summary = summary.strip()
    if len(summary) < 20:
        raise ValidationError(
            {
                "shareable_summary": _(
                    "Write a summary of at least 20 characters for the national team."
                )
            }
        )
    found = identifying_details(summary, factor, by=by)
    if found:
        raise ValidationError(
            {
                "shareable_summary": _(
                    "The summary contains details that could identify a child (%(found)s). "
                    "Leave out names, references, numbers and dates."
                )
                % {"found": ", ".join(found)}
            }
        )
    previous_level = factor.level
    factor.shareable_summary = summary
    factor.level = Level.NATIONAL
    factor.escalated_at = timezone.now()
    factor.escalated_by = by
    factor.save()
    audit.record(
        audit.events.FACTOR_ESCALATED,
        request=request,
        user=by,
        obj=factor,
        changes={"level": (previous_level, factor.level), "shareable_summary": (None, summary)},
    )
    return factor


# -- transfer of the case (cases.transfers, issue 21 §2) ---------------------------------------
def unlink_on_transfer(*, transfer, jeugdige: Jeugdige, by, request=None) -> None:
    """A transfer step. Interviews and their next steps move with the case (they hang on it).
    The sending region's obstacle agenda and moreel beraad are that region's own work and stay
    there: its obstacles lose their link to the case (and to its interviews), its beraden the
    case among their linked jeugdigen. Without this the obstacles would vanish from both sides
    (region-internal, and the case no longer visible to the sending region)."""
    region_id = transfer.from_region_id
    factors = list(
        BelemmerendeFactor.objects.select_for_update()
        .filter(region_id=region_id, jeugdige=jeugdige)
        .order_by("pk")
    )
    for factor in factors:
        factor.jeugdige = None
        factor.interview = None
        factor.save(update_fields=["jeugdige", "interview"])
        audit.record(
            audit.events.FACTOR_UPDATED,
            request=request,
            user=by,
            obj=factor,
            jeugdige=jeugdige,
            changes={"jeugdige": (jeugdige, None)},
            detail={"via": "transfer", "transfer": transfer.pk},
        )
    beraden = list(MoreelBeraad.objects.filter(region_id=region_id, jeugdigen=jeugdige))
    for beraad in beraden:
        beraad.jeugdigen.remove(jeugdige)
        audit.record(
            audit.events.BERAAD_UPDATED,
            request=request,
            user=by,
            obj=beraad,
            jeugdige=jeugdige,
            changes={"jeugdigen": ([jeugdige], [])},
            detail={"via": "transfer", "transfer": transfer.pk},
        )
    if factors or beraden:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.OTHER,
            text=Msg(
                gettext_noop(
                    "Belemmerende factoren (%(factors)d) and moreel beraad sessions "
                    "(%(beraden)d) of %(region)s stay on that region's agenda, no longer linked "
                    "to this case."
                ),
                factors=len(factors),
                beraden=len(beraden),
                region=transfer.from_region.name,
            ),
            by=by,
        )
