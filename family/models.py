"""Invitations for parents and young people, and what they write "in eigen woorden".

Only hashes of the link token and the code are stored (``token_hash``, ``code_hash``): a copy of
the database opens no invitation. Everything here belongs to the case (``on_delete=CASCADE``), so
it is destroyed with the case by the retention job (cases/retention.py) and appears in the
inzage export.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wel.access import CaseContent, ScopedQuerySet, Via, scope_for


class InvitationQuerySet(ScopedQuerySet):
    """Invitations of the cases the user works on (the case's own policy)."""

    visibility = Via("jeugdige", CaseContent())


class Invitation(models.Model):
    """One single-purpose invitation for one person about one case."""

    class Audience(models.TextChoices):
        PARENT = "parent", _("Parent / verzorger")
        YOUNG_PERSON = "young_person", _("The young person")

    class Purpose(models.TextChoices):
        BEFORE = "before", _("Before the conversation")
        AFTER = "after", _("After the conversation: the agreements")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        LETTER = "letter", _("As a printed letter")

    jeugdige = models.ForeignKey(
        "cases.Jeugdige",
        on_delete=models.CASCADE,
        related_name="family_invitations",
        verbose_name=_("jeugdige"),
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_invitations",
        verbose_name=_("conversation"),
    )
    audience = models.CharField(_("for"), max_length=20, choices=Audience.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    delivery = models.CharField(_("sent"), max_length=10, choices=Delivery.choices)
    recipient_name = models.CharField(_("name of the recipient"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.jeugdige.reference} invitation {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"{self.jeugdige.reference} uitnodiging {self.pk}"

    def state(self, now=None) -> str:
        """One of: open, answered, revoked, locked, expired (the first that applies)."""
        now = now or timezone.now()
        if self.submitted_at:
            return "answered"
        if self.revoked_at:
            return "revoked"
        if self.locked_at:
            return "locked"
        if self.expires_at <= now:
            return "expired"
        return "open"

    def get_state_display(self) -> str:
        return str(STATE_LABELS[self.state()])


STATE_LABELS = {
    "open": _("open"),
    "answered": _("answered"),
    "revoked": _("revoked"),
    "locked": _("locked after wrong codes"),
    "expired": _("expired"),
}


class ContributionQuerySet(ScopedQuerySet):
    """What a family wrote: the case's own policy."""

    visibility = Via("jeugdige", CaseContent())


class SharedStepQuerySet(ScopedQuerySet):
    """Agreements shared with a family: the invitation's (the case's) policy."""

    visibility = Via("invitation", InvitationQuerySet.visibility)


class Contribution(models.Model):
    """What a parent or the young person wrote before the conversation, in their own words.

    Written once by the family through :func:`family.services.contribution_submit`; no view,
    form or admin lets staff change it.
    """

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="contribution"
    )
    jeugdige = models.ForeignKey(
        "cases.Jeugdige", on_delete=models.CASCADE, related_name="family_contributions"
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_contributions",
    )
    audience = models.CharField(max_length=20, choices=Invitation.Audience.choices)
    going_well = models.TextField(_("What is going well?"), blank=True, default="")
    child_needs = models.TextField(_("What does your child need?"), blank=True, default="")
    parent_needs = models.TextField(_("What do you need as a parent?"), blank=True, default="")
    likes = models.TextField(_("What do you like doing?"), blank=True, default="")
    get_better_at = models.TextField(
        _("What do you want to get better at?"), blank=True, default=""
    )
    needs = models.TextField(_("What do you need?"), blank=True, default="")
    attendees_known = models.ManyToManyField(
        "cases.Betrokkene", blank=True, related_name="chosen_in_contributions"
    )
    attendees_other = models.TextField(
        _("Others you want at the conversation"), blank=True, default=""
    )
    consent = models.BooleanField(_("agrees to take part in the programme"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("contribution in their own words")
        verbose_name_plural = _("contributions in their own words")

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.jeugdige.reference} eigen woorden {self.pk}"

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) pairs for the audience's questions, in order."""
        names = (
            ["going_well", "child_needs", "parent_needs"]
            if self.audience == Invitation.Audience.PARENT
            else ["likes", "get_better_at", "needs"]
        )
        return [(str(self._meta.get_field(n).verbose_name), getattr(self, n)) for n in names]


class SharedStep(models.Model):
    """A next step of a conversation that the professional shared with the family in an
    "after" invitation, and the family's answer (confirmed, and/or their own words)."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="shared_steps"
    )
    next_step = models.ForeignKey(
        "interviews.NextStep", on_delete=models.CASCADE, related_name="shared_with_family"
    )
    confirmed = models.BooleanField(_("agreed"), null=True, blank=True)
    own_words = models.TextField(_("in your own words"), blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = SharedStepQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "next_step"], name="family_shared_step_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}/{self.next_step_id}"


def may_invite(user, jeugdige) -> bool:
    """An LPA or kartrekker who works on this case (the case's own policy) may invite."""
    return scope_for(user).may_work_on_cases_in(jeugdige.region_id, jeugdige.gemeente_id)
