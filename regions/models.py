"""Phases of the rollout, regions and the gemeenten they cover (reference data)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wel.access import scope_for


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
    start_date = models.DateField(_("start date"), null=True, blank=True)

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

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def gm_code(self) -> str:
        return f"GM{self.cbs_code}"


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegionQuerySet:
        """Regions a user may look at: members their own, national roles all."""
        return self.filter(scope_for(user).region_q("pk"))

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
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
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

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", kwargs={"code": self.code})
