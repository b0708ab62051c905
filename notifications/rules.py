"""Which audit event tells whom what (issue 21 §3; docs/cases.md, "Notifications").

Every notification comes from a typed audit event (:mod:`wel.audit_events`): :func:`on_event`
hears every successful event :func:`wel.audit.record` writes, inside its transaction, and
looks its code up in :data:`RULES`. An event without a rule costs nothing (no query), so
pages that record view events stay at their pinned query counts.

A rule names the notice's kind and who receives it. Adding one is one line::

    register("transfer.proposed", Kind.TRANSFER_PROPOSED, receivers)

where ``receivers(event) -> iterable of users`` reads the event (an
:class:`wel.models.AuditEvent`: ``event.user_id`` is the actor, ``event.jeugdige_id`` the
case, ``event.object_type``/``event.object_id`` what it was about, ``event.changes`` the old
and new values). :func:`notifications.services.notify` then drops the actor and anyone who
may not see the case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from cases.models import Jeugdige
from wel.models import AuditEvent, User

from .models import Kind
from .services import notify

Receivers = Callable[[AuditEvent], Iterable[User | None]]


@dataclass(frozen=True)
class Rule:
    kind: str | Callable[[AuditEvent], str]
    receivers: Receivers
    # The link of the notice; the case's page (or the job's) when not given.
    link: Callable[[AuditEvent], str] | None = None
    # Whether a receiver must be able to see the case (wel.access); a transfer's receiving
    # side cannot yet, and is told with a link to where the transfer waits.
    check_access: bool = True


RULES: dict[str, Rule] = {}


def register(code: str, kind, receivers: Receivers, **options) -> None:
    """Tell ``receivers(event)`` of every event of type ``code`` (a notice of ``kind``, or of
    ``kind(event)`` when it is a function). One rule per event type."""
    from wel import audit_events

    if audit_events.get(code) is None:
        raise ValueError(f"not a registered audit event type: {code!r}")
    RULES[code] = Rule(kind=kind, receivers=receivers, **options)


# -- who: helpers a rule combines ---------------------------------------------------------------
def _user(pk) -> User | None:
    if pk in (None, ""):
        return None
    return User.objects.filter(pk=pk).first()


def _case(event: AuditEvent) -> Jeugdige | None:
    if event.jeugdige_id is None:
        return None
    return Jeugdige.objects.filter(pk=event.jeugdige_id).first()


def new_value_of(field: str) -> Receivers:
    """The user the event's changes set ``field`` to (an assigned LPA handed over)."""

    def receivers(event: AuditEvent) -> list[User | None]:
        for change in event.changes or []:
            if change.get("field") == field and change.get("new") is not None:
                return [_user(change["new"])]
        return []

    return receivers


def assigned_lpa(event: AuditEvent) -> list[User | None]:
    """The case's assigned LPA now."""
    case = _case(event)
    return [case.assigned_lpa] if case is not None else []


def object_user(field: str) -> Receivers:
    """The user in ``field`` of the event's object (who asked for a report, who proposed)."""

    def receivers(event: AuditEvent) -> list[User | None]:
        obj = _object(event)
        return [getattr(obj, field, None)] if obj is not None else []

    return receivers


def _object(event: AuditEvent):
    if not event.object_type or not event.object_id:
        return None
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=event.object_id).first()


def job_requester(event: AuditEvent) -> list[User | None]:
    """Who asked for the job (its model's ``job_requester_field``)."""
    job = _object(event)
    field = getattr(job, "job_requester_field", "")
    return [getattr(job, field, None)] if job is not None and field else []


# -- the rules ----------------------------------------------------------------------------------
_JOB_KINDS = {
    ("reports.report", "job.finished"): Kind.REPORT_DONE,
    ("reports.report", "job.failed"): Kind.REPORT_FAILED,
    ("cases.importjob", "job.finished"): Kind.IMPORT_DONE,
    ("cases.importjob", "job.failed"): Kind.IMPORT_FAILED,
}


def _job_kind(event: AuditEvent) -> str | None:
    return _JOB_KINDS.get((event.object_type, event.event_type))


def _job_link(event: AuditEvent) -> str:
    if event.object_type == "cases.importjob":
        return reverse("cases:import_job", kwargs={"pk": event.object_id})
    return reverse("reports:detail", kwargs={"pk": event.object_id})


def next_step_owner(event: AuditEvent) -> list[User | None]:
    return new_value_of("owner_user")(event)


register("jeugdige.handed_over", Kind.ASSIGNED, new_value_of("assigned_lpa"))
register("jeugdige.created", Kind.ASSIGNED, new_value_of("assigned_lpa"))
register("jeugdige.updated", Kind.ASSIGNED, new_value_of("assigned_lpa"))
register("contribution.submitted", Kind.FAMILY_ANSWERED, assigned_lpa)
register("shared_steps.answered", Kind.FAMILY_CONFIRMED, assigned_lpa)
register("job.finished", _job_kind, job_requester, link=_job_link)
register("job.failed", _job_kind, job_requester, link=_job_link)
register("next_step.owner_set", Kind.NEXT_STEP_OWNER, next_step_owner)


# -- the listener -------------------------------------------------------------------------------
def on_event(event: AuditEvent) -> None:
    """:func:`wel.audit.listen`'s listener: apply the event's rule, if it has one."""
    rule = RULES.get(event.event_type)
    if rule is None:
        return
    kind = rule.kind(event) if callable(rule.kind) else rule.kind
    if not kind:
        return
    case = _case(event) if event.jeugdige_id is not None else None
    if rule.link is not None:
        link = rule.link(event)
    elif case is not None:
        link = case.get_absolute_url()
    else:
        return  # nothing to point at
    reference = case.reference if case is not None else str(event.object_id)
    seen: set[int] = set()
    for user in rule.receivers(event):
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notify(
            recipient=user,
            kind=kind,
            reference=reference,
            link=link,
            jeugdige=case,
            check_access=rule.check_access,
            actor_id=event.user_id,
        )


# -- transfers (verhuizing; cases/transfers.py) -------------------------------------------------
# The receiving side cannot see the case before it accepts, and the sending side no longer after:
# the notice links to the transfer's own page, which both sides see, and names the reference only.
def transfer_deciders(event: AuditEvent) -> list[User]:
    """Who may accept or decline the transfer at the receiving side
    (:func:`cases.transfers.transfer_deciders`)."""
    from cases.transfers import transfer_deciders as deciders

    transfer = _object(event)
    return list(deciders(transfer)) if transfer is not None else []


def _transfer_link(event: AuditEvent) -> str:
    return reverse("cases:transfer", kwargs={"pk": event.object_id})


register(
    "transfer.proposed",
    Kind.TRANSFER_PROPOSED,
    transfer_deciders,
    check_access=False,
    link=_transfer_link,
)
register(
    "transfer.accepted",
    Kind.TRANSFER_ACCEPTED,
    object_user("proposed_by"),
    check_access=False,
    link=_transfer_link,
)
register(
    "transfer.declined",
    Kind.TRANSFER_DECLINED,
    object_user("proposed_by"),
    check_access=False,
    link=_transfer_link,
)
