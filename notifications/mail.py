"""Notifications by e-mail: straight away (on commit) or as a daily or weekly digest, by each
user's choice (:class:`notifications.models.Preference`). An e-mail carries the notice's
sentence (kind and reference) and links into WEL, never a name: e-mail leaves our systems.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wel.models import User

from .models import DEFAULT_EMAIL, EmailChoice, Notification

log = logging.getLogger(__name__)
DIGEST_LIMIT = 50  # notices per digest; the rest is counted


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _send(user: User, notices: list[Notification], *, subject_one: bool) -> bool:
    """Render and send one e-mail of ``notices`` to ``user``; ``False`` when sending failed."""
    site = _site()
    with translation.override(user.language or settings.LANGUAGE_CODE):
        lines = [(n.message, site + n.link) for n in notices[:DIGEST_LIMIT]]
        subject = (
            _("WEL: %(what)s") % {"what": notices[0].get_kind_display()}
            if subject_one
            else _("WEL: %(n)s new notifications") % {"n": len(notices)}
        )
        body = render_to_string(
            "notifications/email/notifications.txt",
            {
                "lines": lines,
                "more": max(0, len(notices) - DIGEST_LIMIT),
                "list_url": site + reverse("notifications:list"),
                "settings_url": site + reverse("notifications:settings"),
            },
        )
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        log.exception("notification e-mail to user %s failed", user.pk)
        return False
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    return True


def send_direct(*, notification_id: int) -> bool:
    """Send one notice now (the user chose "straight away"); ``False`` when it is gone, read,
    or e-mailed already."""
    notice = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
        .first()
    )
    if notice is None or not notice.recipient.is_active:
        return False
    return _send(notice.recipient, [notice], subject_one=True)


def send_digests(*, choice: str, now=None) -> int:
    """One e-mail per user whose choice is ``choice`` (daily or weekly) with their unread
    notices not e-mailed yet (of the last day or week); returns how many e-mails went out."""
    if choice not in (EmailChoice.DAILY, EmailChoice.WEEKLY):
        raise ValueError(f"not a digest: {choice!r}")
    now = now or timezone.now()
    since = now - timedelta(days=1 if choice == EmailChoice.DAILY else 7)
    wants = Q(notification_preference__email=choice)
    if choice == DEFAULT_EMAIL:
        wants |= Q(notification_preference__isnull=True)
    pending = Notification.objects.filter(
        read_at__isnull=True, emailed_at__isnull=True, created_at__gte=since
    )
    users = (
        User.objects.filter(wants, is_active=True, notifications__in=pending)
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for user in users:
        notices = list(pending.filter(recipient=user).order_by("created_at", "pk"))
        if notices and _send(user, notices, subject_one=False):
            sent += 1
    return sent
