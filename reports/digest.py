"""The weekly worklist e-mail for LPAs: counts and references with links, never a name.

Who: active users with an LPA membership and ``wants_digest`` on (switched off on the account
settings page). What: the open cases on their worklist (``cases.selectors.worklist_queryset``)
with a contact overdue, a renewal due within the window, and the open next steps of their
interviews due within a week. A user with nothing on the list gets no e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import rules
from cases.selectors import worklist_queryset, worklist_signals
from interviews.models import NextStep
from wel.models import Role, User

log = logging.getLogger(__name__)
LIMIT = 25  # references per list; the rest is counted
NEXT_STEP_WINDOW_DAYS = 7


@dataclass
class Digest:
    contact_overdue: list[tuple[str, date]] = field(default_factory=list)
    contact_overdue_count: int = 0
    renewal_due: list[tuple[str, date]] = field(default_factory=list)  # overdue or due soon
    renewal_due_count: int = 0
    next_steps: list[tuple[str, date]] = field(default_factory=list)
    next_steps_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.contact_overdue_count or self.renewal_due_count or self.next_steps_count)


def digest_for(user: User, *, today: date | None = None) -> Digest:
    """The user's worklist as references and dates (six queries)."""
    today = today or timezone.localdate()
    base = worklist_queryset(user=user)
    signals = worklist_signals(today)
    overdue = base.filter(signals["contact_overdue"]).order_by("next_contact_due", "pk")
    renewal = base.filter(signals["renewal_overdue"] | signals["renewal_due_soon"]).order_by(
        "renewal_due", "pk"
    )
    steps = (
        NextStep.objects.visible_to(user)
        .filter(rules.case_open_q("interview__jeugdige__"))
        .filter(done=False, due_on__lte=today + timedelta(days=NEXT_STEP_WINDOW_DAYS))
        .filter(Q(interview__interviewer=user) | Q(interview__jeugdige__assigned_lpa=user))
        .order_by("due_on", "pk")
    )
    return Digest(
        contact_overdue=list(overdue.values_list("reference", "next_contact_due")[:LIMIT]),
        contact_overdue_count=overdue.count(),
        renewal_due=list(renewal.values_list("reference", "renewal_due")[:LIMIT]),
        renewal_due_count=renewal.count(),
        next_steps=list(steps.values_list("interview__jeugdige__reference", "due_on")[:LIMIT]),
        next_steps_count=steps.count(),
    )


def recipients():
    return (
        User.objects.filter(is_active=True, wants_digest=True, memberships__role=Role.LPA)
        .distinct()
        .order_by("pk")
    )


def _links(site: str, items: list[tuple[str, date]]) -> list[tuple[str, date, str]]:
    return [
        (ref, day, site + reverse("cases:detail", kwargs={"reference": ref})) for ref, day in items
    ]


def _renewal_links(site: str, items: list[tuple[str, date]], today: date) -> list[tuple]:
    """As :func:`_links`, with whether the renewal is overdue (``cases.rules``)."""
    return [(*link, rules.renewal_overdue(link[1], today)) for link in _links(site, items)]


def send_digests(*, today: date | None = None) -> int:
    """Send this week's digests; returns how many e-mails went out. One failing address does
    not stop the others."""
    sent = 0
    site = settings.SITE_URL.rstrip("/")
    day = today or timezone.localdate()
    for user in recipients():
        digest = digest_for(user, today=today)
        if digest.is_empty:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "digest": digest,
                "contact_overdue": _links(site, digest.contact_overdue),
                "renewal_due": _renewal_links(site, digest.renewal_due, day),
                "next_steps": _links(site, digest.next_steps),
                "worklist_url": site + reverse("cases:worklist"),
                "settings_url": site + reverse("account_settings"),
                "limit": LIMIT,
            }
            subject = _("Your WEL worklist this week")
            body = render_to_string("reports/email/digest.txt", context)
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            log.exception("digest to user %s failed", user.pk)
            continue
        sent += 1
    return sent
