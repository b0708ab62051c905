"""Phases of the rollout, regions and the gemeenten they cover (reference data)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wel import validation
from wel.access import AnyOf, LandelijkTeam, Own, Published, RegionOpen, ScopedQuerySet, Via


class Phase(models.Model):
    """One of the four rollout phases; ``target_regions`` counts all regions joined so far."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    name = models.CharField(_("name"), max_length=100)
    target_regions = models.PositiveSmallIntegerField(
        _("target number of regions"),
        help_text=_("The number of regions taking part by the end of this phase, in total."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validation.PLANNED]
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Gemeente(models.Model):
    """A Dutch municipality with its 4-digit CBS code (reference data, 342 as of 2025)."""

    cbs_code = models.CharField(
        _("CBS code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A CBS code has four digits, e.g. 0114."))],
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    province = models.CharField(_("province"), max_length=50)
    # The letterhead of letters to families (documents/letters.py), set by the beheerder.
    letter_address = models.CharField(
        _("postal address"),
        max_length=150,
        blank=True,
        default="",
        help_text=_("E.g. Postbus 30001"),
    )
    letter_postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    letter_city = models.CharField(_("place"), max_length=100, blank=True, default="")
    letter_phone = models.CharField(_("phone"), max_length=30, blank=True, default="")
    letter_email = models.EmailField(_("e-mail address"), blank=True, default="")
    letter_website = models.CharField(
        _("website"), max_length=200, blank=True, default="", help_text=_("E.g. www.emmen.nl")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def gm_code(self) -> str:
        return f"GM{self.cbs_code}"


class RegionQuerySet(ScopedQuerySet):
    """Regions a user may look at: members their own, national roles all."""

    visibility = RegionOpen()

    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)


class Region(models.Model):
    """A region of the programme, usually a samenwerkingsverband's area, led by a kartrekker."""

    class Kind(models.TextChoices):
        SWV_VO = "swv_vo", _("samenwerkingsverband VO")
        SWV_PO = "swv_po", _("samenwerkingsverband PO")
        OTHER = "other", _("other")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9-]+$", _("Use capital letters, digits and hyphens, e.g. VO2202.")
            )
        ],
        help_text=_("E.g. the samenwerkingsverband's code, VO2202."),
    )
    name = models.CharField(_("name"), max_length=150, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=4,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{3,4}$", _("Use three or four capital letters, e.g. EMM."))
        ],
        help_text=_(
            "Starts the pseudonymous references of this region's jeugdigen (EMM-2026-0007)."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SWV_VO)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        related_name="regions",
        verbose_name=_("phase"),
    )
    joined_on = models.DateField(
        _("joined on"), null=True, blank=True, validators=[validation.PLANNED]
    )
    gemeenten = models.ManyToManyField(
        Gemeente, related_name="regions", verbose_name=_("municipalities")
    )
    focus_target = models.PositiveSmallIntegerField(
        _("focus target"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many jeugdigen the region follows closely (the programme's 5)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    email_from = models.EmailField(
        _("sender address for e-mails to families"),
        blank=True,
        default="",
        help_text=_(
            "E.g. leerplicht@gemeente.nl. Empty: the site's own sender address. Replies go to "
            "the person who invited."
        ),
    )
    email_reply_to = models.EmailField(
        _("reply address for e-mails to families"),
        blank=True,
        default="",
        help_text=_(
            "E.g. leerplicht@gemeente.nl. Empty: replies go to the person who sent the e-mail."
        ),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", kwargs={"code": self.code})


# -- Shared learnings ("wat werkt", "wat waardevol is") -----------------------------------------
class Theme(models.TextChoices):
    """The fixed list of themes a learning can carry."""

    PARENTS = "parents", _("working with parents")
    YOUNG_PERSON = "young_person", _("the young person's voice")
    DEVELOPMENT = "development", _("development outside school")
    RECOGNITION = "recognition", _("recognising development")
    EDUCATION_CARE = "education_care", _("cooperation education–care")
    EXEMPTION = "exemption", _("the exemption procedure")
    FUNDING = "funding", _("funding")
    TRANSPORT = "transport", _("transport")
    CONVERSATION = "conversation", _("the conversation")
    MOREEL_BERAAD = "moreel_beraad", _("moreel beraad")
    RULES = "rules", _("laws and rules")
    OTHER = "other", _("other")


class LearningQuerySet(ScopedQuerySet):
    """Published learnings for everyone with a role; drafts for their author only."""

    visibility = AnyOf((Published(models.Q(status="published")), Own("author")))


class Learning(models.Model):
    """A lesson a region shares with the others. Never personal data: the author confirms that
    the text was checked for identifying details before it can be published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Kind(models.TextChoices):
        WHAT_WORKS = "what_works", _("what works")
        WHAT_IS_VALUABLE = "what_is_valuable", _("what is valuable")

    class Source(models.TextChoices):
        DIRECT = "", _("written directly")
        INTERVIEW = "interview", _("an interview")
        MOREEL_BERAAD = "moreel_beraad", _("a moreel beraad")

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WHAT_WORKS)
    lesson = models.TextField(
        _("lesson"), help_text=_("What did you learn? One or two paragraphs.")
    )
    context = models.TextField(
        _("context"),
        blank=True,
        help_text=_("The situation in which it was learned, without names or case details."),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learnings",
        verbose_name=_("region of origin"),
        help_text=_("Leave empty for a learning of the national team."),
    )
    author = models.ForeignKey(
        "wel.User", on_delete=models.PROTECT, related_name="learnings", verbose_name=_("author")
    )
    source = models.CharField(
        _("shared from"), max_length=20, choices=Source.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    checked_identifying = models.BooleanField(
        _("checked for identifying details"),
        default=False,
        help_text=_(
            "I have checked that the text contains no names, references, dates of birth or other "
            "details that identify a child, a family or a professional."
        ),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LearningQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(checked_identifying=True),
                name="learning_published_is_checked",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regions:learning_detail", kwargs={"pk": self.pk})

    @property
    def theme_values(self) -> list[str]:
        return [t.theme for t in self.themes.all()]

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels.get(t.theme, t.theme) for t in self.themes.all()]


class LearningThemeQuerySet(ScopedQuerySet):
    """A learning's themes: the learning's own policy."""

    visibility = Via("learning", LearningQuerySet.visibility)


class LearningTheme(models.Model):
    learning = models.ForeignKey(Learning, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, db_index=True)

    objects = LearningThemeQuerySet.as_manager()

    class Meta:
        ordering = ["theme"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["learning", "theme"], name="learning_theme_unique")
        ]

    def __str__(self) -> str:
        return self.get_theme_display()


# -- The training for LPAs ----------------------------------------------------------------------
DEFAULT_TRAINING_TITLE = "Hoe voer je een gesprek over ontwikkelmogelijkheden?"


class Training(models.Model):
    """A training the national team offers, given in one or more sessions."""

    title = models.CharField(_("title"), max_length=200, default=DEFAULT_TRAINING_TITLE)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


class TrainingSessionQuerySet(ScopedQuerySet):
    """Published sessions for everyone with a role; unpublished ones for the national team,
    who manage them."""

    visibility = AnyOf((Published(models.Q(is_published=True)), LandelijkTeam()))


class TrainingSession(models.Model):
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("training")
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[validation.PLANNED])
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, validators=[validation.PLANNED]
    )
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(
        _("place"),
        max_length=200,
        help_text=_("The address, or for an online session the name of the meeting tool."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many people can take part; more sign-ups go on the waiting list."),
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Only published sessions can be signed up for.")
    )
    created_by = models.ForeignKey(
        "wel.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="training_session_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} ({timezone.localtime(self.starts_at):%d-%m-%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("regions:training_session_detail", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        return f"training session {self.pk}"


class TrainingRegistrationQuerySet(ScopedQuerySet):
    """A sign-up for a training session: the person's own, and every one for the landelijk
    team, who run the sessions."""

    visibility = AnyOf((Own("user"), LandelijkTeam()))


class TrainingRegistration(models.Model):
    """One person's place in a session, or on its waiting list (first come, first served)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey("wel.User", on_delete=models.CASCADE, related_name="registrations")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_registrations",
        help_text=_("The region the person works in, for the attendance per region."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = TrainingRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="training_registration_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} — {self.get_status_display()}"
