"""Notifications (issue 21 §3): a notice for one user that something happened on a case or a
job of theirs, in the product and, by the user's choice, by e-mail.

A notice holds no personal data of its own: its text is built from its ``kind`` and a
``reference`` (the case's pseudonymous reference, or a report's or import's number) in the
reader's language. It goes with its case (``on_delete=CASCADE``): retention that destroys a
case destroys its notices.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to you")
    FAMILY_ANSWERED = "family_answered", _("The family answered")
    FAMILY_CONFIRMED = "family_confirmed", _("The family answered the agreements")
    RENEWAL_DUE = "renewal_due", _("Renewal due soon")
    RENEWAL_OVERDUE = "renewal_overdue", _("Renewal overdue")
    CONTACT_DUE = "contact_due", _("Next contact due soon")
    CONTACT_OVERDUE = "contact_overdue", _("Next contact overdue")
    NEXT_STEP_DUE = "next_step_due", _("Next step due soon")
    NEXT_STEP_OVERDUE = "next_step_overdue", _("Next step overdue")
    NEXT_STEP_OWNER = "next_step_owner", _("A next step is yours")
    IMPORT_DONE = "import_done", _("Import finished")
    IMPORT_FAILED = "import_failed", _("Import failed")
    REPORT_DONE = "report_done", _("Report ready")
    REPORT_FAILED = "report_failed", _("Report failed")
    TRANSFER_PROPOSED = "transfer_proposed", _("A transfer is waiting for you")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
    TRANSFER_DECLINED = "transfer_declined", _("Transfer declined")


# The sentence of each kind; %(reference)s is the case's reference or the job's number.
MESSAGES = {
    Kind.ASSIGNED: _("Case %(reference)s has been assigned to you."),
    Kind.FAMILY_ANSWERED: _("The family answered the questions of case %(reference)s."),
    Kind.FAMILY_CONFIRMED: _("The family answered the agreements of case %(reference)s."),
    Kind.RENEWAL_DUE: _("The renewal of case %(reference)s is due soon."),
    Kind.RENEWAL_OVERDUE: _("The renewal of case %(reference)s is overdue."),
    Kind.CONTACT_DUE: _("The next contact of case %(reference)s is due soon."),
    Kind.CONTACT_OVERDUE: _("The next contact of case %(reference)s is overdue."),
    Kind.NEXT_STEP_DUE: _("A next step of case %(reference)s is due soon."),
    Kind.NEXT_STEP_OVERDUE: _("A next step of case %(reference)s is overdue."),
    Kind.NEXT_STEP_OWNER: _("You are the owner of a next step of case %(reference)s."),
    Kind.IMPORT_DONE: _("Import %(reference)s has finished."),
    Kind.IMPORT_FAILED: _("Import %(reference)s has failed."),
    Kind.REPORT_DONE: _("Report %(reference)s is ready."),
    Kind.REPORT_FAILED: _("Report %(reference)s has failed."),
    Kind.TRANSFER_PROPOSED: _("A transfer of case %(reference)s is waiting for you."),
    Kind.TRANSFER_ACCEPTED: _("Your transfer of case %(reference)s was accepted."),
    Kind.TRANSFER_DECLINED: _("Your transfer of case %(reference)s was declined."),
}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    jeugdige = models.ForeignKey(
        "cases.Jeugdige",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    reference = models.CharField(_("reference"), max_length=40)
    link = models.CharField(_("link"), max_length=300)
    # Once per item per state: the daily check's notices carry a key (kind, item, day), so
    # running it twice makes no second notice (the constraint below).
    key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The notice in the active language: kind and reference, never a name."""
        return str(MESSAGES[self.kind]) % {"reference": self.reference}


class EmailChoice(models.TextChoices):
    DIRECT = "direct", _("straight away")
    DAILY = "daily", _("once a day")
    WEEKLY = "weekly", _("once a week")
    OFF = "off", _("never")


DEFAULT_EMAIL = EmailChoice.DAILY


class Preference(models.Model):
    """How a user wants notices by e-mail; without a row, :data:`DEFAULT_EMAIL`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-mail"),
        max_length=10,
        choices=EmailChoice.choices,
        default=DEFAULT_EMAIL,
        help_text=_("Notifications always appear in WEL; this is when you also get an e-mail."),
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return self.get_email_display()
