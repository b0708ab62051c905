"""Writes of the family app: invitations, the code check, and what the family sends.

Security model (docs/family.md, docs/security.md):

- the link carries a random token (``secrets.token_urlsafe(32)``, 256 bits); only its SHA-256 is
  stored, so the link cannot be rebuilt from the database;
- a six-digit code is passed on by another channel (phone, in person); it is stored with
  Django's password hasher (salted PBKDF2) and compared with ``check_password`` (constant time);
- after ``WEL_FAMILY_CODE_ATTEMPTS`` wrong codes the invitation locks; it also ends when it
  expires (``WEL_FAMILY_INVITATION_DAYS``), is revoked, or has been answered (single-purpose);
- every open, code attempt and answer is an audit event with its outcome (NEN 7513).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import rules
from cases import services as case_services
from cases.models import Betrokkene, Jeugdige, TimelineEntry
from cases.timeline import Msg
from interviews.models import Interview, NextStep
from wel import audit

from .models import Contribution, Invitation, SharedStep, may_invite

CODE_DIGITS = 6


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a link token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def family_label(invitation: Invitation) -> str:
    """Who acted, for the audit log: never a name, the invitation's reference."""
    who = "ouder" if invitation.audience == Invitation.Audience.PARENT else "jongere"
    return f"{who} via uitnodiging {invitation.pk}"


@dataclass(frozen=True)
class NewInvitation:
    """The invitation and the two secrets, shown once to the professional and never stored."""

    invitation: Invitation
    token: str
    code: str


@transaction.atomic
def invitation_create(
    *,
    jeugdige: Jeugdige,
    audience: str,
    purpose: str,
    delivery: str,
    recipient_name: str,
    email: str = "",
    interview: Interview | None = None,
    steps: list[NextStep] | tuple = (),
    link_url=None,
    by,
    request=None,
) -> NewInvitation:
    """Create an invitation for a parent/verzorger or the young person.

    ``link_url(token) -> str`` builds the absolute link (for the e-mail). Raises
    ``PermissionDenied`` when ``by`` does not work on the case, ``ValidationError`` (field keys)
    when the young person is under ``WEL_FAMILY_YOUNG_PERSON_MIN_AGE``, an e-mail invitation has
    no address, or an "after" invitation has no conversation or shares no next step of it.
    """
    if not may_invite(by, jeugdige):
        raise PermissionDenied(_("You do not work on this case."))
    errors: dict[str, str] = {}
    min_age = settings.WEL_FAMILY_YOUNG_PERSON_MIN_AGE
    if audience == Invitation.Audience.YOUNG_PERSON and (
        rules.age_on(jeugdige.date_of_birth, timezone.localdate()) < min_age
    ):
        errors["audience"] = _(
            "The young person can be invited from age %(age)d. Invite a parent instead."
        ) % {"age": min_age}
    if delivery == Invitation.Delivery.EMAIL and not email:
        errors["email"] = _("Fill in the e-mail address, or choose a printed letter.")
    if interview is not None and interview.jeugdige_id != jeugdige.pk:
        errors["interview"] = _("Choose a conversation of this case.")
    if purpose == Invitation.Purpose.AFTER:
        if interview is None:
            errors["interview"] = _("Choose the conversation whose agreements you share.")
        elif not steps:
            errors["steps"] = _("Tick at least one agreement to share.")
        elif any(s.interview_id != interview.pk for s in steps):
            errors["steps"] = _("Share only agreements of the chosen conversation.")
    if errors:
        raise ValidationError(errors)
    token, code = secrets.token_urlsafe(32), new_code()
    invitation = Invitation(
        jeugdige=jeugdige,
        interview=interview,
        audience=audience,
        purpose=purpose,
        delivery=delivery,
        recipient_name=recipient_name,
        email=email,
        token_hash=token_hash(token),
        code_hash=make_password(code),
        expires_at=timezone.now() + dt.timedelta(days=settings.WEL_FAMILY_INVITATION_DAYS),
        created_by=by,
    )
    invitation.full_clean(exclude=["created_by", "token_hash", "code_hash"])
    invitation.save()
    if purpose == Invitation.Purpose.AFTER:
        SharedStep.objects.bulk_create(
            [SharedStep(invitation=invitation, next_step=s) for s in steps]
        )
    case_services.timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.OTHER,
        text=Msg(
            gettext_noop("Invitation sent to %(who)s (%(purpose)s)."),
            who=Invitation.Audience(audience).label,
            purpose=Invitation.Purpose(purpose).label,
        ),
        by=by,
    )
    audit.record(
        audit.events.INVITATION_CREATED,
        request=request,
        user=by,
        obj=invitation,
        jeugdige=jeugdige,
        changes={
            "audience": (None, audience),
            "purpose": (None, purpose),
            "delivery": (None, delivery),
        },
    )
    if delivery == Invitation.Delivery.EMAIL and link_url is not None:
        from .letters import email_headers, letter_for

        link = link_url(token)
        letter = letter_for(invitation)
        from_email, reply_to = email_headers(invitation)
        # The code is never in the e-mail: it goes by another channel.
        message = EmailMessage(
            letter.subject, letter.as_text(link), from_email, [email], reply_to=reply_to
        )
        transaction.on_commit(message.send)
    return NewInvitation(invitation=invitation, token=token, code=code)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by, request=None) -> Invitation:
    """Stop an invitation from working (idempotent); audited."""
    if not may_invite(by, invitation.jeugdige):
        raise PermissionDenied(_("You do not work on this case."))
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.revoked_at is None and current.submitted_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(
            audit.events.INVITATION_REVOKED,
            request=request,
            user=by,
            obj=current,
            jeugdige=current.jeugdige,
        )
    return current


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link token belongs to, whatever its state, or ``None``."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("jeugdige", "interview")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_open(*, token: str, request=None) -> Invitation | None:
    """Opening a link: the invitation when it can still be used, else ``None``. Audited either
    way (a token that matches nothing is logged without an object)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        audit.record(
            audit.events.INVITATION_OPENED,
            request=request,
            outcome=audit.Outcome.DENIED,
            user_label="gezin (onbekende link)",
            detail={"state": "unknown"},
        )
        return None
    state = invitation.state()
    usable = state == "open"
    audit.record(
        audit.events.INVITATION_OPENED,
        request=request,
        outcome=audit.Outcome.SUCCESS if usable else audit.Outcome.DENIED,
        obj=invitation,
        jeugdige=invitation.jeugdige,
        user_label=family_label(invitation),
        detail={"state": state},
    )
    # No write on GET beyond the audit line: "first opened" is stamped when the code is right.
    return invitation if usable else None


@transaction.atomic
def code_check(*, invitation: Invitation, code: str, request=None) -> bool:
    """Check the code; count and audit a wrong one, lock after ``WEL_FAMILY_CODE_ATTEMPTS``.

    The row is locked while checking, so parallel guesses cannot pass the limit."""
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.state() != "open":
        audit.record(
            audit.events.INVITATION_CODE_FAILED,
            request=request,
            outcome=audit.Outcome.DENIED,
            obj=current,
            jeugdige=invitation.jeugdige,
            user_label=family_label(current),
            detail={"state": current.state()},
        )
        return False
    # Always run the hasher, so a wrong and a right code take the same time.
    right = check_password((code or "").strip(), current.code_hash)
    if right:
        if current.opened_at is None:
            current.opened_at = timezone.now()
            current.save(update_fields=["opened_at"])
        audit.record(
            audit.events.INVITATION_CODE_ACCEPTED,
            request=request,
            obj=current,
            jeugdige=invitation.jeugdige,
            user_label=family_label(current),
        )
        return True
    current.failed_attempts += 1
    fields = ["failed_attempts"]
    if current.failed_attempts >= settings.WEL_FAMILY_CODE_ATTEMPTS:
        current.locked_at = timezone.now()
        fields.append("locked_at")
    current.save(update_fields=fields)
    audit.record(
        audit.events.INVITATION_CODE_FAILED,
        request=request,
        outcome=audit.Outcome.FAILURE,
        obj=current,
        jeugdige=invitation.jeugdige,
        detail={"attempt": current.failed_attempts, "locked": current.locked_at is not None},
        user_label=family_label(current),
    )
    return False


@contextmanager
def _case_write(jeugdige: Jeugdige, what: Msg):
    """Run a write to the case in a savepoint; when the case's own rules refuse it, roll back
    only that write and leave a note for the LPA on the timeline (what, and why)."""
    try:
        with transaction.atomic():
            yield
    except ValidationError as exc:
        case_services.timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.IN_EIGEN_WOORDEN,
            text=Msg(
                gettext_noop(
                    "The family's answer about %(what)s could not be put on the case: %(why)s "
                    "Their answers are kept below; please record it by hand."
                ),
                what=what,
                why=" ".join(exc.messages),
            ),
        )


def _lock_open(invitation: Invitation) -> Invitation:
    current = (
        Invitation.objects.select_for_update().select_related("jeugdige").get(pk=invitation.pk)
    )
    if current.state() != "open":
        raise PermissionDenied(_("This invitation can no longer be used."))
    return current


@transaction.atomic
def contribution_submit(
    *, invitation: Invitation, data: dict[str, Any], request=None
) -> Contribution:
    """Store the family's answers before the conversation, once; the invitation is then used.

    ``data``: the answers of the audience's questions (``going_well``, ``child_needs``,
    ``parent_needs`` or ``likes``, ``get_better_at``, ``needs``), ``attendees`` (betrokkenen
    of this case), ``other_kinds`` (betrokkene kinds to add), ``other_text``, ``consent``.
    Chosen betrokkenen are marked "invited by the parents", others are added through
    :func:`cases.services.betrokkene_add`; consent is recorded on the case with date and by
    whom through :func:`cases.services.jeugdige_update`. Raises ``PermissionDenied`` when the
    invitation is no longer open, ``ValidationError`` for a betrokkene of another case.
    """
    current = _lock_open(invitation)
    if current.purpose != Invitation.Purpose.BEFORE:
        raise PermissionDenied(_("This invitation can no longer be used."))
    jeugdige = current.jeugdige
    attendees = list(data.get("attendees") or [])
    if any(b.jeugdige_id != jeugdige.pk for b in attendees):
        raise ValidationError({"attendees": _("Choose from the list.")})
    is_parent = current.audience == Invitation.Audience.PARENT
    questions = (
        ["going_well", "child_needs", "parent_needs"]
        if is_parent
        else ["likes", "get_better_at", "needs"]
    )
    contribution = Contribution(
        invitation=current,
        jeugdige=jeugdige,
        interview=current.interview,
        audience=current.audience,
        attendees_other=data.get("other_text", ""),
        consent=bool(data.get("consent")) and is_parent,
        **{q: data.get(q, "") for q in questions},
    )
    contribution.full_clean(exclude=["invitation", "jeugdige", "interview"])
    contribution.save()
    contribution.attendees_known.set(attendees)
    # What the family sent is kept whatever the case's own records say: a write to the case
    # that a staff-side rule refuses (e.g. its older exemption dates) is put on the timeline
    # for the LPA to finish, and the family never sees that message (issue 21).
    with _case_write(jeugdige, Msg(gettext_noop("who attends"))):
        case_services.betrokkenen_invited_by_parents(
            jeugdige=jeugdige,
            betrokkenen=attendees,
            request=request,
            actor_label=family_label(current),
            by_young_person=not is_parent,
        )
    kinds = dict(Betrokkene.Kind.choices)
    for kind in data.get("other_kinds") or []:
        with _case_write(jeugdige, Msg(gettext_noop("who attends"))):
            case_services.betrokkene_add(
                jeugdige=jeugdige,
                data={
                    "kind": kind,
                    "name": str(kinds[kind]),
                    "role": _("chosen by the parents")
                    if is_parent
                    else _("chosen by the young person"),
                    "invited_by_parents": is_parent,
                },
                by=None,
                request=request,
                actor_label=family_label(current),
                chosen_by_young_person=not is_parent,
            )
    if contribution.consent:
        with _case_write(jeugdige, Msg(gettext_noop("consent"))):
            fresh = Jeugdige.objects.get(pk=jeugdige.pk)
            case_services.jeugdige_update(
                jeugdige=fresh,
                data={
                    "consent_date": timezone.localdate(),
                    "consent_by": _("%(name)s (parent), in their own words via the invitation")
                    % {"name": current.recipient_name},
                },
                version=fresh.version,
                by=None,
                request=request,
                actor_label=family_label(current),
            )
    current.submitted_at = timezone.now()
    current.save(update_fields=["submitted_at"])
    case_services.timeline_add(
        jeugdige=jeugdige,
        kind=TimelineEntry.Kind.IN_EIGEN_WOORDEN,
        text=Msg(
            gettext_noop(
                "In their own words: %(who)s answered the questions before the conversation."
            ),
            who=Invitation.Audience(current.audience).label,
        ),
    )
    audit.record(
        audit.events.CONTRIBUTION_SUBMITTED,
        request=request,
        obj=contribution,
        jeugdige=jeugdige,
        changes={q: (None, data[q]) for q in questions if data.get(q)},
        detail={"attendees": len(attendees), "added": len(data.get("other_kinds") or [])},
        user_label=family_label(current),
    )
    return contribution


@transaction.atomic
def shared_steps_answer(
    *, invitation: Invitation, answers: dict[int, tuple[bool | None, str]], request=None
) -> list[SharedStep]:
    """The family's answer to the agreements shared with them: per shared step, agreed or not
    and their own words. Once; the invitation is then used."""
    current = _lock_open(invitation)
    if current.purpose != Invitation.Purpose.AFTER:
        raise PermissionDenied(_("This invitation can no longer be used."))
    steps = list(current.shared_steps.select_for_update())
    now = timezone.now()
    for step in steps:
        confirmed, words = answers.get(step.pk, (None, ""))
        step.confirmed, step.own_words, step.answered_at = confirmed, words, now
    SharedStep.objects.bulk_update(steps, ["confirmed", "own_words", "answered_at"])
    current.submitted_at = now
    current.save(update_fields=["submitted_at"])
    case_services.timeline_add(
        jeugdige=current.jeugdige,
        kind=TimelineEntry.Kind.IN_EIGEN_WOORDEN,
        text=Msg(
            gettext_noop("In their own words: %(who)s answered the agreements."),
            who=Invitation.Audience(current.audience).label,
        ),
    )
    audit.record(
        audit.events.SHARED_STEPS_ANSWERED,
        request=request,
        obj=current,
        jeugdige=current.jeugdige,
        detail={"steps": len(steps)},
        user_label=family_label(current),
    )
    return steps


# -- transfer of the case (cases.transfers, issue 21 §2) ---------------------------------------
def invitations_close_on_transfer(*, transfer, jeugdige: Jeugdige, by, request=None) -> None:
    """A transfer step: revoke the case's invitations that could still be answered. The letter
    named the sending LPA as the family's contact; an answer arriving after the move would go to
    people the family was not told about. The receiving LPA sends a new invitation when they
    have met the family. Answers already given (contributions) move with the case."""
    now = timezone.now()
    open_ones = list(
        Invitation.objects.select_for_update()
        .filter(jeugdige=jeugdige, revoked_at__isnull=True, submitted_at__isnull=True)
        .order_by("pk")
    )
    for invitation in open_ones:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            audit.events.INVITATION_REVOKED,
            request=request,
            user=by,
            obj=invitation,
            jeugdige=jeugdige,
            detail={"via": "transfer", "transfer": transfer.pk},
        )
    if open_ones:
        case_services.timeline_add(
            jeugdige=jeugdige,
            kind=TimelineEntry.Kind.OTHER,
            text=Msg(
                gettext_noop(
                    "%(count)d open invitation to the family was revoked because the case moved. "
                    "Send a new one when you have spoken with the family."
                ),
                plural=gettext_noop(
                    "%(count)d open invitations to the family were revoked because the case "
                    "moved. Send a new one when you have spoken with the family."
                ),
                count=len(open_ones),
            ),
            by=by,
        )
