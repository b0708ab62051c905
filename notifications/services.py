"""Writing notifications (docs/cases.md, "Notifications").

:func:`notify` is the one writer: it never tells actors about their own action, never tells a
user about a case they may no longer see, keeps the user's unread count (the header's badge)
and, for users who want it straight away, sends the e-mail once the transaction commits.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Jeugdige
from wel.models import User

from .models import DEFAULT_EMAIL, EmailChoice, Kind, Notification, Preference

log = logging.getLogger(__name__)


def email_choice(user: User) -> str:
    """The user's e-mail choice (:class:`EmailChoice`); the default without a row."""
    pref = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return pref or DEFAULT_EMAIL


def _recount(user_ids) -> None:
    """Set each user's ``unread_notifications`` from the rows (one UPDATE)."""
    ids = list(user_ids)
    if not ids:
        return
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=ids).update(unread_notifications=Coalesce(Subquery(unread), 0))


def notify(
    *,
    recipient: User | None,
    kind: str,
    reference: str,
    link: str,
    jeugdige: Jeugdige | None = None,
    actor_id: int | None = None,
    key: str = "",
    check_access: bool = True,
) -> Notification | None:
    """Tell ``recipient`` that ``kind`` happened to ``reference`` (a case's reference, or a
    job's number), with ``link`` (a path in WEL) to look.

    Nothing (``None``) when there is no recipient, the recipient is inactive, is the actor
    (``actor_id``: nobody hears of their own action), may not see ``jeugdige``
    (:meth:`wel.access.ScopedQuerySet.visible_to`; unless ``check_access`` is off, for a
    transfer's receiving side), or already has a notice with this ``key``
    (the daily check: once per item per state; the database's unique constraint holds it).
    """
    if recipient is None or not recipient.is_active:
        return None
    if actor_id is not None and recipient.pk == actor_id:
        return None
    if (
        check_access
        and jeugdige is not None
        and not (Jeugdige.objects.visible_to(recipient).filter(pk=jeugdige.pk).exists())
    ):
        return None
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                jeugdige=jeugdige,
                reference=reference[:40],
                link=link[:300],
                key=key[:120],
            )
    except IntegrityError:
        if key and Notification.objects.filter(recipient=recipient, key=key[:120]).exists():
            return None  # told already
        raise
    _recount([recipient.pk])
    if email_choice(recipient) == EmailChoice.DIRECT:
        from .mail import send_direct

        pk = notice.pk
        transaction.on_commit(lambda: send_direct(notification_id=pk))
    return notice


def mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of ``user``'s notices read; ``False`` when it is not theirs (or gone)."""
    changed = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    exists = changed or Notification.objects.filter(pk=notification_id, recipient=user).exists()
    if changed:
        _recount([user.pk])
    return bool(exists)


def mark_all_read(*, user: User) -> int:
    """Mark all of ``user``'s notices read; returns how many were unread."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _recount([user.pk])
    return changed


def set_preference(*, user: User, email: str) -> Preference:
    """Save the user's e-mail choice (one of :class:`EmailChoice`; ``ValueError`` else)."""
    if email not in EmailChoice.values:
        raise ValueError(f"unknown e-mail choice: {email!r}")
    pref, _created = Preference.objects.update_or_create(user=user, defaults={"email": email})
    return pref


def recount_all() -> int:
    """Set every user's unread count from the rows (one UPDATE): the daily repair after
    notices went with their case (retention deletes cases through the ORM's cascade, which
    does not call :func:`notify`'s bookkeeping). Returns how many counts changed."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    actual = Coalesce(Subquery(unread), 0)
    return (
        User.objects.annotate(actual=actual)
        .exclude(unread_notifications=F("actual"))
        .update(unread_notifications=actual)
    )
