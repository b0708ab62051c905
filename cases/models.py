"""The jeugdige's dossier: the case, the people around it, the development that is there,
contact moments and a timeline.

Writes go through :mod:`cases.services`; reads through :mod:`cases.selectors`, which start
from ``Jeugdige.objects.visible_to(user)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from localflavor.nl.validators import NLBSNFieldValidator
from simple_history.models import HistoricalRecords

from jobs.models import Job
from wel import validation
from wel.access import AllOf, AnyOf, CaseContent, Own, RegionInternal, Rule, ScopedQuerySet, Via

from . import rules


class Grondslag(models.TextChoices):
    """Why the young person is not at school (the legal ground)."""

    VRIJSTELLING_5A = "vrijstelling_5a", _("Vrijstelling 5 onder a")
    ABSOLUUT_VERZUIM = "absoluut_verzuim", _("Absoluut verzuim")
    NOG_NIET_LEERPLICHTIG = "nog_niet_leerplichtig", _("Not yet leerplichtig (4 years old)")
    VRIJSTELLING_5B = "vrijstelling_5b", _("Vrijstelling 5 onder b")
    VRIJSTELLING_5C = "vrijstelling_5c", _("Vrijstelling 5 onder c")
    ARTIKEL_15 = "artikel_15", _("Vrijstelling artikel 15")
    # Older records said "vervangende leerplicht" without the article; they are listed for
    # review (cases.rules "vervangend_article") and new input chooses 3a or 3b.
    VERVANGENDE_LEERPLICHT = "vervangende_leerplicht", _("Vervangende leerplicht")
    ARTIKEL_5A = "artikel_5a", _("Vrijstelling artikel 5a (trekkend bestaan)")
    VERVANGENDE_LEERPLICHT_3A = "vervangende_leerplicht_3a", _("Vervangende leerplicht art. 3a")
    VERVANGENDE_LEERPLICHT_3B = (
        "vervangende_leerplicht_3b",
        _("Vervangende leerplicht art. 3b (last school year)"),
    )


# Grondslagen new input may choose (the older, article-less vervangende leerplicht is not one).
GRONDSLAG_INPUT_CHOICES = [c for c in Grondslag.choices if c[0] != Grondslag.VERVANGENDE_LEERPLICHT]


class Status(models.TextChoices):
    """The step in the trajectory. Allowed moves: ``cases.services.TRANSITIONS``."""

    AANGEMELD = "aangemeld", _("Registered")
    IN_BEELD = "in_beeld", _("In view")
    CONTACT_OUDERS = "contact_ouders", _("In contact with parents")
    GESPREK_GEPLAND = "gesprek_gepland", _("Conversation planned")
    GESPREK_GEVOERD = "gesprek_gevoerd", _("Conversation held")
    AANBOD_IN_VOORBEREIDING = "aanbod_in_voorbereiding", _("Development offer in preparation")
    IN_ONTWIKKELING = "in_ontwikkeling", _("In development")
    AFGESLOTEN = "afgesloten", _("Closed")


class ClosingReason(models.TextChoices):
    INGESCHREVEN_SCHOOL = "ingeschreven_school", _("Enrolled at a school")
    PASSEND_AANBOD = "passend_aanbod", _("Suitable development offer in place")
    VERHUISD = "verhuisd", _("Moved out of the region")
    OUDERS_ZIEN_AF = "ouders_zien_af", _("Parents decline the programme")
    LEERPLICHT_VOORBIJ = "leerplicht_voorbij", _("No longer leerplichtig or kwalificatieplichtig")
    OVERLEDEN = "overleden", _("Deceased")
    DUBBEL = "dubbel", _("Duplicate registration")
    ANDERS = "anders", _("Other (explain in the notes)")


class ExemptionDuration(models.TextChoices):
    SCHOOL_YEAR = "school_year", _("One school year")
    WHOLE_PERIOD = "whole_period", _("The whole leerplicht period")


class KwalificatieplichtExempt(models.TextChoices):
    """Leerplichtwet art. 4a lid 2: young people to whom the kwalificatieplicht does not apply."""

    PRAKTIJKONDERWIJS = "praktijkonderwijs", _("Certificate or diploma of praktijkonderwijs")
    VSO_UITSTROOMPROFIEL = (
        "vso_uitstroomprofiel",
        _("VSO in the uitstroomprofiel arbeidsmarkt or dagbesteding"),
    )


class StatementExpert(models.TextChoices):
    """Who wrote the statement for a 5 onder a exemption: an expert appointed by the
    municipality who does not treat the child (Leerplichtwet art. 7)."""

    ARTS = "arts", _("Doctor (arts)")
    PSYCHOLOOG = "psycholoog", _("Psychologist")
    ORTHOPEDAGOOG_GENERALIST = "orthopedagoog_generalist", _("Orthopedagoog-generalist")


class JeugdigeQuerySet(ScopedQuerySet):
    """The cases whose personal data a user may see (kartrekker: region; LPA: gemeenten)."""

    visibility = CaseContent()

    def open(self) -> JeugdigeQuerySet:
        return self.filter(rules.case_open_q())


class CaseRecordQuerySet(ScopedQuerySet):
    """What is recorded about a case (betrokkenen, activities, contacts, the timeline): the
    case's own policy."""

    visibility = Via("jeugdige", CaseContent())


class ImportJobQuerySet(ScopedQuerySet):
    """An import job: the person who confirmed it, while they work in its region."""

    visibility = AllOf((Own("created_by"), RegionInternal()))


class ReferenceCounter(models.Model):
    """The last sequence number handed out per region and year (locked while incremented)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="referencecounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class CasesVersion(models.Model):
    """A token per region that changes when a transaction that wrote one of the region's
    jeugdigen commits: database triggers replace it (cases/db_triggers.py), whoever writes.
    Counts over the region's cases are cached under the tokens they were computed at, so a
    changed case makes the next read count again: exact figures, never a stale number
    (cases/counts.py)."""

    # No foreign-key constraint in the database: the SQLite triggers write a token for every
    # deleted case, also while a test runner's flush empties the regions (deleting table after
    # table); a token left for a region that is gone is harmless, a failed flush is not.
    region = models.OneToOneField(
        "regions.Region",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    token = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.region_id}: {self.token}"


class Jeugdige(models.Model):
    """One young person at no school (one case per young person per region)."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="jeugdigen",
        verbose_name=_("region"),
    )
    gemeente = models.ForeignKey(
        "regions.Gemeente",
        on_delete=models.PROTECT,
        related_name="jeugdigen",
        verbose_name=_("municipality"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=150)
    # Given and family name in lower case without accents, for the search (cases.search);
    # written by save() and the import, never by hand.
    search_name = models.CharField(max_length=300, blank=True, default="", editable=False)
    date_of_birth = models.DateField(_("date of birth"), validators=[validation.DATE_OF_BIRTH])
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        default="",
        validators=[NLBSNFieldValidator()],
        help_text=_("Optional. Nine digits; checked with the 11-test."),
    )
    grondslag = models.CharField(_("grondslag"), max_length=30, choices=Grondslag.choices)

    # Exemption (vrijstelling 5 onder a and the other grounds)
    notice_date = models.DateField(
        _("date of notice"),
        validators=[validation.EVENT],
        null=True,
        blank=True,
        help_text=_("When the parents submitted the notice (kennisgeving) of the exemption."),
    )
    doctor_statement_date = models.DateField(
        _("date of the expert's statement"),
        validators=[validation.EVENT],
        null=True,
        blank=True,
        help_text=_(
            "The statement of the expert appointed by the municipality (doctor, psychologist "
            "or orthopedagoog-generalist)."
        ),
    )
    statement_expert = models.CharField(
        _("statement by"),
        max_length=30,
        choices=StatementExpert.choices,
        blank=True,
        default="",
        help_text=_(
            "Which kind of appointed expert wrote the statement. Never one who treats the child."
        ),
    )
    exemption_duration = models.CharField(
        _("exemption duration"),
        max_length=20,
        choices=ExemptionDuration.choices,
        blank=True,
        default="",
    )
    exemption_start = models.DateField(
        _("exemption starts"), null=True, blank=True, validators=[validation.PLANNED]
    )
    exemption_end = models.DateField(
        _("exemption ends"), null=True, blank=True, validators=[validation.PLANNED]
    )
    renewal_due = models.DateField(
        _("renewal due"),
        validators=[validation.PLANNED],
        null=True,
        blank=True,
        help_text=_(
            "A yearly exemption must be renewed before 1 July; left empty, it is worked out "
            "from the exemption dates."
        ),
    )

    # The educational advice (onderwijskundig perspectief) next to the expert's statement of a
    # 5 onder a; compulsory from settings.WEL_ADVICE_REQUIRED_FROM (Kamerstuk 36 663).
    advice_date = models.DateField(
        _("date of the educational advice"),
        validators=[validation.EVENT],
        null=True,
        blank=True,
    )
    advice_by = models.CharField(
        _("educational advice by"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Who gave the advice, e.g. the samenwerkingsverband's orthopedagoog."),
    )
    advice_conclusion = models.TextField(
        _("conclusion of the educational advice"), blank=True, default=""
    )
    startkwalificatie_on = models.DateField(
        _("startkwalificatie obtained on"),
        validators=[validation.EVENT],
        null=True,
        blank=True,
        help_text=_("The kwalificatieplicht ends then (Leerplichtwet art. 4b)."),
    )
    kwalificatieplicht_exempt = models.CharField(
        _("not kwalificatieplichtig (art. 4a lid 2)"),
        max_length=30,
        choices=KwalificatieplichtExempt.choices,
        blank=True,
        default="",
    )

    last_school = models.CharField(_("last school"), max_length=200, blank=True, default="")
    assigned_lpa = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_jeugdigen",
        verbose_name=_("assigned leerplichtambtenaar"),
    )
    consent_date = models.DateField(
        _("consent given on"), null=True, blank=True, validators=[validation.EVENT]
    )
    consent_by = models.CharField(
        _("consent given by"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Who gave consent for taking part in the programme, e.g. both parents."),
    )
    is_focus = models.BooleanField(
        _("focus case"),
        default=False,
        help_text=_("One of the jeugdigen the region follows closely (the region's 5)."),
    )
    next_contact_due = models.DateField(
        _("next contact due"), null=True, blank=True, validators=[validation.PLANNED]
    )
    # Denormalised, maintained by services.contact_add: the worklist asks "no contact 6 months".
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.AANGEMELD
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=30, choices=ClosingReason.choices, blank=True, default=""
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True, default="")

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(
        _("status changed"), default=timezone.now, editable=False
    )

    # The history is read per case (by ``id``) only: the indexes simple-history would put on
    # its copies of the keys and the reference served no query and were written for every
    # change (issue 23, migration 0020).
    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_name"],
        no_db_index=["region", "gemeente", "assigned_lpa", "created_by", "reference"],
    )
    objects = JeugdigeQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("jeugdige")
        verbose_name_plural = _("jeugdigen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "bsn"],
                condition=~Q(bsn=""),
                name="jeugdige_unique_bsn_per_region",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.AFGESLOTEN) & ~Q(closing_reason=""))
                | (~Q(status=Status.AFGESLOTEN) & Q(closing_reason="")),
                name="jeugdige_closed_iff_reason",
            ),
            models.CheckConstraint(
                condition=Q(exemption_end__isnull=True)
                | Q(exemption_start__isnull=True)
                | Q(exemption_end__gte=models.F("exemption_start")),
                name="jeugdige_exemption_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="jeugdige_region_status"),
            models.Index(fields=["region", "-created_at"], name="jeugdige_region_created"),
            models.Index(fields=["region"], condition=Q(is_focus=True), name="jeugdige_focus"),
            models.Index(fields=["region", "family_name", "date_of_birth"], name="jeugdige_dup"),
            # the search by date of birth (cases.search)
            models.Index(fields=["region", "date_of_birth"], name="jeugdige_region_birth"),
            # the shared-text check looks up a text's words among the names (wel.shared_text)
            models.Index(Lower("given_name"), name="jeugdige_given_lower"),
            models.Index(Lower("family_name"), name="jeugdige_family_lower"),
            # the worklist: per region, in order of urgency
            models.Index(
                fields=["region", "next_contact_due"], name="jeugdige_region_next_contact"
            ),
            models.Index(fields=["region", "renewal_due"], name="jeugdige_region_renewal"),
            models.Index(fields=["region", "last_contact_on"], name="jeugdige_region_last_contact"),
            # The worklist reads the first 50 open cases per list in exactly these orders; partial
            # indexes on open cases let PostgreSQL walk them in order and stop after 50 rows
            # instead of sorting every open case of the region. (The "no recent contact" order
            # needs NULLS FIRST, which SQLite indexes cannot express: that index is created for
            # PostgreSQL only, in migration 0003.)
            models.Index(
                fields=["region", "next_contact_due", "id"],
                condition=~Q(status=Status.AFGESLOTEN),
                name="jeugdige_open_next_contact",
            ),
            models.Index(
                fields=["region", "renewal_due", "id"],
                condition=~Q(status=Status.AFGESLOTEN),
                name="jeugdige_open_renewal",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        from .search import search_name_of

        self.search_name = search_name_of(self.given_name, self.family_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "family_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"reference": self.reference})

    # -- labels -------------------------------------------------------------------------------
    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_closed(self) -> bool:
        return not rules.case_open(self.status)

    # -- derived dates and signals: every rule lives in cases.rules -------------------------
    def age_on(self, day: dt.date) -> int:
        return rules.age_on(self.date_of_birth, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def leerplicht_start(self) -> dt.date:
        return rules.leerplicht_start(self.date_of_birth)

    @property
    def leerplicht_end(self) -> dt.date:
        return rules.leerplicht_end(self.date_of_birth)

    @property
    def kwalificatieplicht_end(self) -> dt.date:
        return rules.kwalificatieplicht_end(self.date_of_birth, self.startkwalificatie_on)

    @property
    def contact_overdue(self) -> bool:
        """Open case whose planned contact is overdue today (``rules.contact_overdue``)."""
        return rules.case_open(self.status) and rules.contact_overdue(
            self.next_contact_due, timezone.localdate()
        )

    @property
    def renewal_overdue(self) -> bool:
        """Open case whose exemption renewal is overdue today (``rules.renewal_overdue``)."""
        return rules.case_open(self.status) and rules.renewal_overdue(
            self.renewal_due, timezone.localdate()
        )

    @property
    def renewal_due_soon(self) -> bool:
        return rules.case_open(self.status) and rules.renewal_due_soon(
            self.renewal_due, timezone.localdate()
        )

    def findings(self) -> list:
        """Every condition of its grondslag this case does not meet (``rules.findings``)."""
        return rules.findings(
            rules.Facts.of(self), advice_required_from=settings.WEL_ADVICE_REQUIRED_FROM
        )


class Betrokkene(models.Model):
    """A person or organisation around the young person."""

    class Kind(models.TextChoices):
        OUDER_VERZORGER = "ouder_verzorger", _("Parent / verzorger")
        JEUGDIGE_ZELF = "jeugdige_zelf", _("The young person")
        SCHOOL = "school", _("School")
        SAMENWERKINGSVERBAND = "samenwerkingsverband", _("Samenwerkingsverband")
        GGD = "ggd", _("GGD (youth doctor)")
        SOCIAAL_TEAM = "sociaal_team", _("Sociaal team / wijkteam")
        ZORGAANBIEDER = "zorgaanbieder", _("Care provider")
        EXPERTTEAM = "expertteam", _("Expertteam")
        GEDRAGSWERK_OZJ = "gedragswerk_ozj", _("Gedragswerk / OZJ")
        OTHER = "other", _("Other")

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="betrokkenen", verbose_name=_("jeugdige")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    role = models.CharField(_("role"), max_length=200, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=30, blank=True, default="")
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    invited_by_parents = models.BooleanField(
        _("invited by the parents"),
        default=False,
        help_text=_("The parents decide who attends the conversation."),
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        indexes = [models.Index(Lower("name"), name="betrokkene_name_lower")]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"{self.jeugdige.reference} betrokkene {self.pk}"


class Ontwikkelactiviteit(models.Model):
    """Development that is there: education, care, day activity, work…"""

    class Kind(models.TextChoices):
        ONDERWIJS = "onderwijs", _("Education")
        ZORG_THERAPIE = "zorg_therapie", _("Care / therapy")
        DAGBESTEDING = "dagbesteding", _("Day activity")
        ZORGBOERDERIJ = "zorgboerderij", _("Care farm")
        THUISONDERWIJS = "thuisonderwijs", _("Learning at home")
        SPORT_CULTUUR = "sport_cultuur", _("Sport / culture")
        WERK_STAGE = "werk_stage", _("Work / internship")
        OTHER = "other", _("Other")

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="activiteiten", verbose_name=_("jeugdige")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True, default="")
    since = models.DateField(_("since"), null=True, blank=True, validators=[validation.EVENT])
    until = models.DateField(_("until"), null=True, blank=True, validators=[validation.PLANNED])
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    recognised_by_education = models.BooleanField(
        _("recognised by education"),
        default=False,
        help_text=_("Does a school or the inspectorate count this as education?"),
    )
    description = models.TextField(_("description"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "kind"]
        verbose_name = _("ontwikkelactiviteit")
        verbose_name_plural = _("ontwikkelactiviteiten")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="activiteit_until_after_since",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        return rules.activity_current(self.until, timezone.localdate())


class ContactMoment(models.Model):
    class Kind(models.TextChoices):
        TELEFOON = "telefoon", _("Phone call")
        HUISBEZOEK = "huisbezoek", _("Home visit")
        GESPREK_SCHOOL = "gesprek_school", _("Meeting at school")
        EMAIL = "email", _("E-mail")
        OVERLEG = "overleg", _("Consultation with professionals")
        OTHER = "other", _("Other")

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="contacten", verbose_name=_("jeugdige")
    )
    date = models.DateField(_("date"), validators=[validation.EVENT])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_kind_display()}"


class TimelineEntry(models.Model):
    """One line in the case's chronological timeline (written by services only)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Registered")
        STATUS = "status", _("Status")
        UPDATE = "update", _("Change")
        CONTACT = "contact", _("Contact")
        ACTIVITY = "activity", _("Activity")
        BETROKKENE = "betrokkene", _("Betrokkene")
        NOTE = "note", _("Note")
        INTERVIEW = "interview", _("Conversation")
        NEXT_STEP = "next_step", _("Next step")
        IMPORT = "import", _("Import")
        # Written by a parent or the young person through an invitation (family app).
        IN_EIGEN_WOORDEN = "eigen_woorden", _("In their own words")
        OTHER = "other", _("Other")

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("jeugdige")
    )
    # Read per case (the jeugdige index), never across cases by moment: no index of its own.
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    # The text in each language of the site (cases.timeline.Msg); empty for older entries.
    texts = models.JSONField(default=dict, blank=True, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    status_from = models.CharField(max_length=30, choices=Status.choices, blank=True, default="")
    status_to = models.CharField(max_length=30, choices=Status.choices, blank=True, default="")

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_kind_display()}"

    @property
    def shown_text(self) -> str:
        """The text in the reader's language when it was written in every language."""
        from django.utils.translation import get_language

        return self.texts.get((get_language() or "")[:2]) or self.text


class RuleFinding(models.Model):
    """A condition of the law (``cases.rules.CONDITIONS``) that a case's recorded values do not
    meet: listed for review on its LPA's worklist and counted for the kartrekker, never a
    reason to refuse unrelated work on the case. Written by ``cases.services.findings_refresh``
    (after every save, the import, the data migration and ``manage.py law_review``); a
    warning the user confirmed stays, marked confirmed, and is no longer listed."""

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="rule_findings", verbose_name=_("jeugdige")
    )
    code = models.CharField(_("rule"), max_length=40)
    level = models.CharField(max_length=10)
    found_on = models.DateField(_("found on"), default=timezone.localdate, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["jeugdige", "code"]
        verbose_name = _("rule finding")
        verbose_name_plural = _("rule findings")
        constraints = [
            models.UniqueConstraint(fields=["jeugdige", "code"], name="rulefinding_unique")
        ]
        indexes = [
            models.Index(
                fields=["jeugdige"],
                condition=Q(confirmed_at__isnull=True),
                name="rulefinding_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.jeugdige_id}: {self.code}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ImportJob(Job):
    """A confirmed import too big to write inside the web request (over
    ``settings.WEL_IMPORT_JOB_THRESHOLD`` new rows): a Celery task writes it, all rows or none,
    and the page shows its progress. Only the person who confirmed it sees it. A job of the one
    job machinery (jobs.models.Job, jobs.services): claimed, stamped, swept and given up as a
    report is."""

    job_task = "cases.run_import_job"
    job_task_kwarg = "job_id"
    job_reason_field = "outcome"
    job_file_field = "upload"
    job_requester_field = "created_by"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    # The uploaded file (with its hash), owned by this job: deleted when the job ends.
    upload = models.OneToOneField(
        "jobs.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded file"),
    )
    ignore_columns = models.JSONField(default=list, blank=True)
    # The user's other decisions in the preview: {"confirm_warnings": bool, "hidden_rows": ...}
    decisions = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    outcome = models.TextField(_("outcome"), blank=True)  # the summary or why it failed

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def audit_label(self) -> str:
        return f"import job {self.pk}"

    def job_files(self) -> list:
        return [self.upload] if self.upload_id else []


# -- transfer (verhuizing) to another gemeente or region: issue 21 §2 ----------------------------
@dataclass(frozen=True)
class WorksOn(Rule):
    """The people who work (or would work) on cases in the region and gemeente that the
    ``region`` and ``gemeente`` fields name: :class:`wel.access.CaseContent`'s rule on other
    fields (a transfer's sending and receiving side)."""

    region: str
    gemeente: str

    def q(self, scope, prefix: str = "") -> Q:
        join = (lambda name: f"{prefix}__{name}") if prefix else (lambda name: name)
        return scope.case_q(join(self.region), join(self.gemeente))


class TransferQuerySet(ScopedQuerySet):
    """A transfer is seen by the people who work on the case at the sending side (its
    ``from_region``/``from_gemeente``, also after acceptance: their trace of where it went,
    without the case itself) and by those who would work on it at the receiving side."""

    visibility = AnyOf(
        (WorksOn("from_region", "from_gemeente"), WorksOn("to_region", "to_gemeente"))
    )

    def open(self) -> TransferQuerySet:
        return self.filter(status=Transfer.Status.PROPOSED)


class Transfer(models.Model):
    """A case handed to another gemeente or region when the young person moves (verhuizing):
    the sending side proposes, the receiving side accepts or declines (cases.transfers)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for the receiving side")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    jeugdige = models.ForeignKey(
        Jeugdige, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("jeugdige")
    )
    from_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from region"),
    )
    from_gemeente = models.ForeignKey(
        "regions.Gemeente",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from municipality"),
    )
    to_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("to region")
    )
    to_gemeente = models.ForeignKey(
        "regions.Gemeente",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to municipality"),
    )
    note = models.TextField(_("note for the receiving side"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True, default="")
    new_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new assigned LPA"),
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["jeugdige"],
                condition=Q(status="proposed"),
                name="transfer_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="transfer_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["to_region", "status"], name="transfer_to_region_status")]

    def __str__(self) -> str:
        return f"{self.jeugdige_id}: {self.from_gemeente_id} → {self.to_gemeente_id}"

    def get_absolute_url(self) -> str:
        return reverse("cases:transfer", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        return f"overdracht {self.pk}"
