"""Sign-in with an organisation's account (OpenID Connect): the providers a beheerder keeps,
the link from a provider's subject to a WEL account, and the group → membership mapping.

docs/security.md "Signing in with your organisation's account" states the rules.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from wel.models import Role

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\n", ",").split(",") if part.strip()]


class Provider(models.Model):
    """One organisation's identity provider (a gemeente's Entra ID, a samenwerkingsverband's,
    the programme's), shown on the login page by its organisation's name."""

    slug = models.SlugField(
        _("short name"),
        unique=True,
        help_text=_("Used in the web address of the sign-in, e.g. gemeente-noord."),
    )
    name = models.CharField(
        _("organisation"), max_length=100, help_text=_("Shown on the login page.")
    )
    issuer = models.CharField(
        _("issuer"),
        max_length=300,
        validators=[RegexValidator(r"^https?://", _("Enter the issuer as an https:// address."))],
        help_text=_("The provider's issuer (iss) exactly as it appears in its tokens."),
    )
    discovery_url = models.CharField(
        _("discovery address"),
        max_length=300,
        blank=True,
        validators=[RegexValidator(r"^https?://", _("Enter an https:// address."))],
        help_text=_("Leave empty for the issuer's /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret = models.CharField(
        _("client secret"),
        max_length=500,
        blank=True,
        help_text=_(
            "The secret, or env:NAME to read it from the environment variable NAME "
            "(keeps it out of the database)."
        ),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    link_claim = models.CharField(
        _("claim that links an account"),
        max_length=100,
        default="email",
        help_text=_(
            "email: linked only when the provider marks the address verified (email_verified). "
            "Another claim (e.g. upn) only when the provider vouches for it; its value is "
            "compared with the WEL e-mail address."
        ),
    )
    allowed_domains = models.CharField(
        _("e-mail domains"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated. Only addresses in these domains are linked through this provider. "
            "Empty: any domain."
        ),
    )
    create_users = models.BooleanField(
        _("create accounts"),
        default=False,
        help_text=_(
            "Create a WEL account at the first sign-in when none exists (the provider must "
            "vouch for the address). Without a mapped group the account has no role."
        ),
    )
    groups_claim = models.CharField(
        _("groups claim"),
        max_length=100,
        blank=True,
        default="groups",
        help_text=_("The claim listing the user's groups, for the group mappings below."),
    )
    mfa_acr_values = models.CharField(
        _("acr values that count as a second factor"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated. Empty: the acr claim is not trusted."),
    )
    mfa_amr_values = models.CharField(
        _("amr values that count as a second factor"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. mfa. Empty: the amr claim is not trusted."),
    )
    enabled = models.BooleanField(_("shown on the login page"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Tokens and the client secret travel over these addresses: https, except for a
        # provider on this machine (development and the tests' own provider).
        for field in ("issuer", "discovery_url"):
            value = getattr(self, field) or ""
            if value.startswith("http://") and urlsplit(value).hostname not in LOOPBACK:
                raise ValidationError(
                    {field: _("Use an https:// address (http:// only for this machine).")}
                )

    @property
    def domains(self) -> list[str]:
        return [d.lower().lstrip("@") for d in _split(self.allowed_domains)]

    @property
    def acr_values(self) -> list[str]:
        return _split(self.mfa_acr_values)

    @property
    def amr_values(self) -> list[str]:
        return _split(self.mfa_amr_values)


class Identity(Device):
    """A person's account at a provider (its ``sub``), linked to one WEL user.

    It is also the django-otp device that verified a session when the provider reported its
    own second factor (``acr``/``amr``): ``user.is_verified()`` then holds as after an
    authenticator code, and removing the identity ends that. It never counts as a device the
    user enrolled (wel.second_factor leaves it out).
    """

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="identities", verbose_name=_("provider")
    )
    subject = models.CharField(_("subject (sub)"), max_length=255)
    created_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked organisation account")
        verbose_name_plural = _("linked organisation accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="oidc_identity_unique_provider_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.provider}"


class GroupMapping(models.Model):
    """A group the provider reports (groups claim) that gives a membership in WEL.

    The provider is authoritative for the (region, role) pairs its mappings name: at every
    sign-in such a membership is granted when a mapped group is present and removed when none
    is. Other memberships are left as the beheerder set them.
    """

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="group_mappings",
        verbose_name=_("provider"),
    )
    group = models.CharField(_("group"), max_length=255)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    gemeenten = models.ManyToManyField(
        "regions.Gemeente",
        blank=True,
        related_name="+",
        verbose_name=_("municipalities"),
        help_text=_("For a school attendance officer. Leave empty for the whole region."),
    )

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "group", "region", "role"],
                name="oidc_groupmapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()} — {self.region}"
