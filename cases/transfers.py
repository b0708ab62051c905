"""Transfer (verhuizing) of a case to another gemeente or region (issue 21 §2).

The sending side proposes (:func:`transfer_propose`), the receiving side accepts
(:func:`transfer_accept`) or declines (:func:`transfer_decline`); the proposer (or the sending
region's kartrekker) may withdraw (:func:`transfer_withdraw`) while it waits. Every step writes
an audit event (``transfer.*``, obj the transfer, jeugdige the case: so also the processing log)
and a line on the case's timeline.

On acceptance, in one transaction, the case's region and gemeente change and the chosen LPA of
the receiving side is assigned. What goes with it:

- **moves with the case**: its history (django-simple-history), timeline, betrokkenen,
  activities, contacts, findings, interviews with their next steps, and the family's answers
  (contributions): they hang on the case and follow its access rule, so the receiving side sees
  them and the sending side no longer does;
- **the reference is kept** (``EMM-2026-0007`` stays ``EMM-…`` in region Assen): references are
  unique over all regions, not per region, and they are the stable pseudonymous name of the
  case in the audit log, the processing log, letters to the family and exports; the receiving
  region's counter is not touched (its new cases keep their own prefix), so nothing clashes;
- **focus flag** cleared: "one of the region's 5" is the sending region's choice;
- **counts** (cases/counts.py) need nothing: the database trigger notes both the old and the
  new region of an updated case, so both regions' cached counts are recomputed;
- **apps above cases** register a step (:func:`register_transfer_step`) for what they hold:
  ``family`` revokes open invitations (the letter names the sending side as the contact;
  the new LPA sends a new one), ``interviews`` unlinks the case from the sending region's
  obstacle agenda and moreel beraad (region-internal work that stays in the region).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wel import audit
from wel.access import OutOfScope, require_case, scope_for

from .models import Jeugdige, TimelineEntry, Transfer, WorksOn
from .services import CaseError, _locked, _save_unique_bsn, assignable_users, timeline_add
from .timeline import Msg

# step(*, transfer, jeugdige, by, request) -> None: runs inside the acceptance's transaction,
# after the case moved; registered in AppConfig.ready by the apps that hold case content.
TransferStep = Callable[..., None]
_STEPS: list[TransferStep] = []


def register_transfer_step(step: TransferStep) -> None:
    if step not in _STEPS:
        _STEPS.append(step)


# -- who ----------------------------------------------------------------------------------------
def transfer_deciders(transfer: Transfer):
    """Who may accept or decline ``transfer``: the active people whose scope covers the target
    gemeente in the target region — the region's kartrekkers and its LPAs of that gemeente or of
    the whole region (:func:`cases.services.assignable_users`). A beheerder never."""
    return assignable_users(region_id=transfer.to_region_id, gemeente_id=transfer.to_gemeente_id)


def may_decide(user, transfer: Transfer) -> bool:
    """The single check of :func:`transfer_deciders` for one user."""
    return scope_for(user).may_work_on_cases_in(transfer.to_region_id, transfer.to_gemeente_id)


def may_withdraw(user, transfer: Transfer) -> bool:
    """The proposer while they still work on the case, or the sending region's kartrekker."""
    scope = scope_for(user)
    if not scope.may_work_on_cases_in(transfer.from_region_id, transfer.from_gemeente_id):
        return False
    return transfer.proposed_by_id == user.pk or scope.may_lead(transfer.from_region_id)


# -- reads --------------------------------------------------------------------------------------
def targets(*, jeugdige: Jeugdige):
    """Where a case may go: (region, gemeente) pairs of the active regions, other gemeenten than
    the case's own, ordered by gemeente."""
    from regions.models import Region

    return (
        Region.gemeenten.through.objects.filter(region__is_active=True)
        .exclude(gemeente_id=jeugdige.gemeente_id)
        .select_related("region", "gemeente")
        .order_by("gemeente__name", "region__name")
    )


def transfers_waiting(*, user):
    """Open transfers this user may decide (the receiving side), oldest first."""
    q = WorksOn("to_region", "to_gemeente").q(scope_for(user))
    return (
        Transfer.objects.open()
        .filter(q)
        .select_related("jeugdige", "from_region", "from_gemeente", "to_region", "to_gemeente")
        .select_related("proposed_by")
        .order_by("proposed_at", "pk")
    )


def transfers_sent(*, user, limit: int = 50):
    """The latest transfers of cases from this user's side, any status."""
    q = WorksOn("from_region", "from_gemeente").q(scope_for(user))
    return (
        Transfer.objects.filter(q)
        .select_related("jeugdige", "to_region", "to_gemeente", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-pk")[:limit]
    )


# -- writes -------------------------------------------------------------------------------------
def _note(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseError({field: message}, code=f"transfer_{field}")
    return text


@transaction.atomic
def transfer_propose(
    *, jeugdige: Jeugdige, to_region, to_gemeente, note: str, by, request=None
) -> Transfer:
    """Propose to hand the case to ``to_gemeente`` in ``to_region``.

    Refuses (``OutOfScope``) someone who does not work on the case; (``CaseError``, field keys
    ``target`` and ``note``) a closed case, an empty note, the case's own gemeente, a gemeente
    that is not part of an active region, a target where nobody could decide, and a second open
    transfer of the case (also when two are proposed at once: the database's
    ``transfer_one_open_per_case``)."""
    require_case(by, jeugdige)
    current = _locked(jeugdige, None)
    if current.is_closed:
        raise CaseError(_("A closed case is not transferred."), code="transfer_closed")
    note = _note(
        note, "note", _("Write a note for the receiving side: why, and what they need to know.")
    )
    if to_gemeente is None or to_region is None:
        raise CaseError({"target": _("Choose the municipality the family moves to.")})
    if to_gemeente.pk == current.gemeente_id:
        raise CaseError(
            {"target": _("The case is already in %(gemeente)s.") % {"gemeente": to_gemeente}},
            code="transfer_same",
        )
    if not to_region.is_active or not to_region.gemeenten.filter(pk=to_gemeente.pk).exists():
        raise CaseError(
            {
                "target": _(
                    "%(gemeente)s is not part of a region that takes part in the programme. "
                    'Close the case with the reason "moved" instead.'
                )
                % {"gemeente": to_gemeente}
            },
            code="transfer_target",
        )
    if Transfer.objects.open().filter(jeugdige=current).exists():
        raise CaseError(_("This case already has a transfer waiting."), code="transfer_open")
    transfer = Transfer(
        jeugdige=current,
        from_region_id=current.region_id,
        from_gemeente_id=current.gemeente_id,
        to_region=to_region,
        to_gemeente=to_gemeente,
        note=note,
        proposed_by=by,
    )
    if not transfer_deciders(transfer).exists():
        raise CaseError(
            {
                "target": _(
                    "Nobody works on cases in %(gemeente)s in %(region)s yet, so nobody could "
                    "accept it. Ask the landelijk team whom to contact."
                )
                % {"gemeente": to_gemeente, "region": to_region}
            },
            code="transfer_nobody",
        )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        raise CaseError(
            _("This case already has a transfer waiting."), code="transfer_open"
        ) from None
    timeline_add(
        jeugdige=current,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(
            gettext_noop("Transfer to %(gemeente)s (%(region)s) proposed.\nNote: %(note)s"),
            gemeente=to_gemeente.name,
            region=to_region.name,
            note=note,
        ),
        by=by,
    )
    audit.record(
        audit.events.TRANSFER_PROPOSED,
        request=request,
        user=by,
        obj=transfer,
        jeugdige=current,
        changes={"to_region": (None, to_region), "to_gemeente": (None, to_gemeente)},
    )
    return transfer


def _lock_open(transfer: Transfer) -> tuple[Transfer, Jeugdige]:
    """The case row, then the transfer row, locked (always in this order); refuses a transfer
    that is no longer open."""
    jeugdige = _locked(transfer.jeugdige, None)
    current = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if current.status != Transfer.Status.PROPOSED:
        raise CaseError(
            _("This transfer has already been %(status)s.")
            % {"status": current.get_status_display()},
            code="transfer_decided",
        )
    return current, jeugdige


@transaction.atomic
def transfer_accept(*, transfer: Transfer, assignee, by, request=None) -> Transfer:
    """Accept: the case moves to the target region and gemeente with ``assignee`` (one of
    :func:`transfer_deciders`) as its LPA; the registered steps run; the sending side loses
    access (its querysets no longer hold the case).

    Refuses (``OutOfScope``) someone who may not decide; (``CaseError``) a transfer no longer
    open, an assignee who would not see the case (field ``assignee``), and a BSN the receiving
    region already holds (``jeugdige_unique_bsn_per_region``)."""
    if not may_decide(by, transfer):
        raise OutOfScope(_("You do not work on cases in this municipality."))
    current, jeugdige = _lock_open(transfer)
    if assignee is None or not transfer_deciders(current).filter(pk=assignee.pk).exists():
        raise CaseError(
            {
                "assignee": _(
                    "Choose who takes the case on: someone who works on cases in %(gemeente)s."
                )
                % {"gemeente": current.to_gemeente}
            },
            code="transfer_assignee",
        )
    old = {
        "region": jeugdige.region,
        "gemeente": jeugdige.gemeente,
        "assigned_lpa": jeugdige.assigned_lpa,
    }
    was_focus = jeugdige.is_focus
    jeugdige.region_id = current.to_region_id
    jeugdige.gemeente_id = current.to_gemeente_id
    jeugdige.assigned_lpa = assignee
    jeugdige.is_focus = False
    jeugdige.version += 1
    jeugdige.updated_at = timezone.now()
    jeugdige._history_user = by
    try:
        _save_unique_bsn(jeugdige)
    except CaseError:
        raise CaseError(
            _(
                "%(region)s already has a case with this BSN. Look that case up and decline "
                "this transfer with that reference, so the sending side can close theirs."
            )
            % {"region": current.to_region},
            code="transfer_duplicate_bsn",
        ) from None
    current.status = Transfer.Status.ACCEPTED
    current.decided_by = by
    current.decided_at = timezone.now()
    current.new_assignee = assignee
    current.save()
    jeugdige = Jeugdige.objects.select_related("region", "gemeente").get(pk=jeugdige.pk)
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(
            gettext_noop(
                "Transfer accepted: moved from %(from_gemeente)s (%(from_region)s) to "
                "%(to_gemeente)s (%(to_region)s). Assigned to %(assignee)s; %(from_region)s "
                "no longer has access."
            ),
            from_gemeente=old["gemeente"].name,
            from_region=old["region"].name,
            to_gemeente=jeugdige.gemeente.name,
            to_region=jeugdige.region.name,
            assignee=str(assignee),
        ),
        by=by,
    )
    if was_focus:
        timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.OTHER,
            text=Msg(
                gettext_noop(
                    "No longer a focus case: that was %(from_region)s's choice. Mark it again "
                    "if it is one of this region's focus cases."
                ),
                from_region=old["region"].name,
            ),
            by=by,
        )
    for step in _STEPS:
        step(transfer=current, jeugdige=jeugdige, by=by, request=request)
    audit.record(
        audit.events.TRANSFER_ACCEPTED,
        request=request,
        user=by,
        obj=current,
        jeugdige=jeugdige,
        changes={
            "status": (Transfer.Status.PROPOSED, Transfer.Status.ACCEPTED),
            "new_assignee": (None, assignee),
        },
        detail={
            "case": {
                "region": [old["region"].name, jeugdige.region.name],
                "gemeente": [old["gemeente"].name, jeugdige.gemeente.name],
                "assigned_lpa": [
                    getattr(old["assigned_lpa"], "email", None),
                    assignee.email,
                ],
                "is_focus": [was_focus, False],
            }
        },
    )
    return current


@transaction.atomic
def transfer_decline(*, transfer: Transfer, reason: str, by, request=None) -> Transfer:
    """Decline with a reason the sending side reads; nothing of the case changes.

    Refuses (``OutOfScope``) someone who may not decide; (``CaseError``) an empty reason (field
    ``reason``) or a transfer no longer open."""
    if not may_decide(by, transfer):
        raise OutOfScope(_("You do not work on cases in this municipality."))
    reason = _note(
        reason, "reason", _("Write why you decline, so the sending side knows what to do.")
    )
    current, jeugdige = _lock_open(transfer)
    current.status = Transfer.Status.DECLINED
    current.decided_by = by
    current.decided_at = timezone.now()
    current.decline_reason = reason
    current.save()
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(
            gettext_noop("Transfer to %(gemeente)s (%(region)s) declined.\nReason: %(reason)s"),
            gemeente=current.to_gemeente.name,
            region=current.to_region.name,
            reason=reason,
        ),
        by=by,
    )
    audit.record(
        audit.events.TRANSFER_DECLINED,
        request=request,
        user=by,
        obj=current,
        jeugdige=jeugdige,
        changes={
            "status": (Transfer.Status.PROPOSED, Transfer.Status.DECLINED),
            "decline_reason": (None, reason),
        },
    )
    return current


@transaction.atomic
def transfer_withdraw(*, transfer: Transfer, by, request=None) -> Transfer:
    """Withdraw a waiting transfer (:func:`may_withdraw`); nothing of the case changes."""
    if not may_withdraw(by, transfer):
        raise OutOfScope(_("Only the person who proposed it or the kartrekker can withdraw it."))
    current, jeugdige = _lock_open(transfer)
    current.status = Transfer.Status.WITHDRAWN
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save()
    timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(
            gettext_noop("Transfer to %(gemeente)s (%(region)s) withdrawn."),
            gemeente=current.to_gemeente.name,
            region=current.to_region.name,
        ),
        by=by,
    )
    audit.record(
        audit.events.TRANSFER_WITHDRAWN,
        request=request,
        user=by,
        obj=current,
        jeugdige=jeugdige,
        changes={"status": (Transfer.Status.PROPOSED, Transfer.Status.WITHDRAWN)},
    )
    return current


def transfer_viewed(*, transfer: Transfer, request) -> None:
    """Audit that someone looked at a transfer's data (reference, birth year, grondslag, note)."""
    audit.record(
        audit.events.TRANSFER_VIEWED,
        request=request,
        obj=transfer,
        jeugdige=transfer.jeugdige,
    )
