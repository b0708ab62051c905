"""Users, their memberships (who works where, in which role) and the append-only audit log.

The core never imports the apps: a membership points at ``regions.Region`` by name only.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .normalise import normalise_email


class NationalRole(models.TextChoices):
    NONE = "", _("none")
    LANDELIJK_TEAM = "landelijk_team", _("national team")
    BEHEERDER = "beheerder", _("administrator")


class Role(models.TextChoices):
    """A role within one region."""

    LPA = "lpa", _("school attendance officer")
    KARTREKKER = "kartrekker", _("kartrekker")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("national_role", NationalRole.BEHEERDER)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        default="",
        help_text=_("Shown in the letters and e-mails you send to families."),
    )
    national_role = models.CharField(
        _("national role"), max_length=20, choices=NationalRole.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    wants_digest = models.BooleanField(
        _("weekly worklist e-mail"),
        default=True,
        help_text=_("Receive a weekly e-mail with the references on your worklist."),
    )
    # Unread notifications (notifications.services keeps it): the header's badge needs no query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        help_text=_("The language of the site for you. Empty: Dutch."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            # One account per address whatever its spelling (the lockout bypass of issue 10).
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username):
        # AbstractBaseUser.clean() (every model form, the admin) stores the address this way.
        return normalise_email(username)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_beheerder(self) -> bool:
        return self.national_role == NationalRole.BEHEERDER

    @property
    def is_landelijk_team(self) -> bool:
        return self.national_role == NationalRole.LANDELIJK_TEAM

    @property
    def is_staff(self) -> bool:
        # The Django admin is for beheerders only.
        return self.is_beheerder

    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and self.is_beheerder:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.is_beheerder:
            return True
        return super().has_module_perms(app_label)


class Membership(models.Model):
    """One person's role in one region; an LPA may be limited to some of its gemeenten."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("region"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    gemeenten = models.ManyToManyField(
        "regions.Gemeente",
        blank=True,
        related_name="memberships",
        verbose_name=_("municipalities"),
        help_text=_(
            "For a school attendance officer: the municipalities they work for. "
            "Leave empty for the whole region."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"], name="membership_unique_user_region_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.region}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One line of the access log, with the fields NEN 7513 asks for.

    Append-only: the queryset refuses update/delete, and on PostgreSQL a trigger refuses
    UPDATE and DELETE on the table (migration 0002).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        CREATE = "create", _("create")
        UPDATE = "update", _("change")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")
        DOWNLOAD = "download", _("download")
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        PASSWORD_SET = "password_set", _("password set")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        DENIED = "denied", _("denied")

    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now, db_index=True)
    action = models.CharField(_("event"), max_length=20, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    # No database constraint: deleting a user must never touch the log.
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    user_label = models.CharField(_("user (as logged)"), max_length=254, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    jeugdige_id = models.BigIntegerField(_("jeugdige id"), null=True, blank=True, db_index=True)
    jeugdige_reference = models.CharField(_("jeugdige"), max_length=40, blank=True)
    # The registered type (wel/audit_events.py); empty on lines written before types existed
    # (migration 0008): those keep their action and the free text in ``data``.
    # Database defaults too, so a process of the previous release that is still running while
    # migration 0008 is applied goes on writing lines (without a type).
    event_type = models.CharField(_("event type"), max_length=60, blank=True, db_default="")
    # Old and new values of what changed: [{"field", "old", "new"}], or only {"field"} for a
    # field whose value could identify someone (wel.audit.record says which).
    changes = models.JSONField(_("changes"), default=list, blank=True, db_default=[])
    # Free text of lines written before event types existed; new lines leave it empty.
    data = models.CharField(_("data"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("network address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["user", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_label} "
            f"{self.event_type or self.action} {self.object_label}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")

    @property
    def type(self):
        """The registered :class:`~wel.audit_events.EventType`, or ``None`` on an old line."""
        from .audit_events import get

        return get(self.event_type)


class ProcessingRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The processing log is append-only.")

    def delete(self):
        raise TypeError("The processing log is append-only.")


class ProcessingRecord(models.Model):
    """One line of the processing log (Logius *Logboek Dataverwerkingen*): one action on the
    data of at most one data subject (a jeugdige). Written by :func:`wel.audit.record` alone,
    in the same transaction as the audit event it belongs to (``audit_event_id``).

    The standard's fields are ``trace_id``, ``span_id``, ``parent_span_id``, ``name``,
    ``status``, ``start_time``, ``end_time``, ``resource`` (the application, the same for every
    line: built on export from settings) and ``attributes`` (``dpl.core.processing_activity_id``,
    ``dpl.core.data_subject_id``, ``dpl.core.data_subject_id_type``); see
    :func:`wel.processing_log.as_standard`. By the standard's decision "no users in log lines"
    the line names no user: who did it is in the audit event, joined by ``audit_event_id``.

    Append-only like the audit log: the queryset and the model refuse update/delete, and on
    PostgreSQL a trigger refuses UPDATE and DELETE (migration ``0010_plog_processing_log``).
    """

    class Status(models.TextChoices):
        # The standard's three values (Unset, Ok, Error), spelled as in its text.
        UNSET = "Unset", "Unset"
        OK = "Ok", "Ok"
        ERROR = "Error", "Error"

    # Indexed plainly (Meta.indexes), not with db_index: a CharField's db_index adds a second,
    # LIKE-pattern index that no query uses.
    trace_id = models.CharField(max_length=32)
    # Not indexed: no query looks a line up by its span alone (within a trace, trace_id finds
    # it), and an index on 64 random bits puts each of a page's lines in a different leaf: the
    # worklist's 150 lines were 30–45 ms of index writes (docs/benchmarks.md, issue 23).
    # Not a unique constraint: the ids come from OpenTelemetry's RandomIdGenerator (Python's
    # process-wide generator, reseeded per process and after a fork); a test framework that
    # seeds it the same way for every example (hypothesis) repeats them, and a clash of 64
    # random bits in production must not refuse the action it records.
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.UNSET)
    start_time = models.DateTimeField()
    end_time = models.DateTimeField(db_index=True)
    processing_activity_id = models.CharField(max_length=500)
    purpose = models.CharField(max_length=40)
    data_subject_id = models.CharField(max_length=100, blank=True)
    data_subject_id_type = models.CharField(max_length=100, blank=True)
    # Internal only, never exported: to find a child's lines (the family's "who looked", the
    # kartrekker's export per case). No database constraint: the log outlives the case.
    jeugdige_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    audit_event_id = models.BigIntegerField(db_index=True)
    event_type = models.CharField(max_length=60)

    objects = ProcessingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-end_time", "-id"]
        indexes = [models.Index(fields=["trace_id"], name="wel_plog_trace_id")]

    def __str__(self) -> str:
        return f"{self.trace_id}/{self.span_id} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The processing log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The processing log is append-only.")
