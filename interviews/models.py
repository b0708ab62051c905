"""Interviews about a jeugdige, moreel beraad sessions of a region, and the obstacle agenda.

Access (docs/security.md, "Roles and what each sees"): interviews hold personal data and
follow the case (``Interview.objects.visible_to``); a moreel beraad stays inside its region;
an obstacle is region content, and one linked to a case is seen only by those who may see the
case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases import rules
from wel import validation
from wel.access import AllOf, CaseContent, RegionInternal, ScopedQuerySet, Via


# -- Interviews ---------------------------------------------------------------------------------
class InterviewQuerySet(ScopedQuerySet):
    """Interviews of the cases this user may see (kartrekker: region; LPA: gemeenten)."""

    visibility = Via("jeugdige", CaseContent())


class Interview(models.Model):
    """One conversation with a parent, the young person or a professional about a jeugdige,
    along the programme's questions."""

    class RespondentKind(models.TextChoices):
        PARENT = "parent", _("parent / carer")
        YOUNG_PERSON = "young_person", _("young person")
        PROFESSIONAL = "professional", _("professional")

    jeugdige = models.ForeignKey(
        "cases.Jeugdige",
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("jeugdige"),
    )
    respondent_kind = models.CharField(
        _("respondent"), max_length=20, choices=RespondentKind.choices
    )
    respondent_name = models.CharField(_("respondent's name"), max_length=150, blank=True)
    respondent_role = models.CharField(
        _("role"),
        max_length=150,
        blank=True,
        help_text=_("E.g. mother, father, GGD doctor, teacher, care farm supervisor."),
    )
    respondent_organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    held_on = models.DateField(_("date"), validators=[validation.EVENT])
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("interviewer"),
    )
    attendees = models.TextField(
        _("who attended"),
        blank=True,
        help_text=_("The parents decide who attends the conversation about their child."),
    )
    attendees_chosen_by_parents = models.BooleanField(
        _("the parents chose who attended"), default=True
    )
    consent_to_record = models.BooleanField(
        _("consent to record"),
        default=False,
        help_text=_("The respondent agreed that this conversation is written down here."),
    )
    # The programme's questions, one field each.
    view_on_situation = models.TextField(
        _("How do you look at the exemption (or the situation without a school)?"), blank=True
    )
    development_present = models.TextField(_("What development is there already?"), blank=True)
    development_contributors = models.TextField(_("What contributed to that?"), blank=True)
    development_possible = models.TextField(
        _("What more development do you think is possible?"), blank=True
    )
    child_needs = models.TextField(_("What does the child need?"), blank=True)
    parent_needs = models.TextField(_("What do you as parents need?"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    QUESTION_FIELDS = (
        "view_on_situation",
        "development_present",
        "development_contributors",
        "development_possible",
        "child_needs",
        "parent_needs",
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [
            models.Index(fields=["jeugdige", "held_on"], name="interview_case_date"),
            # the shared-text check looks up a text's words among respondents' names
            models.Index(Lower("respondent_name"), name="interview_respondent_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.get_respondent_kind_display()} {self.held_on:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:detail", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        return f"interview {self.pk}"

    def questions(self) -> list[tuple[str, str]]:
        """(question as asked of this respondent, answer) for each of the programme's questions."""
        wording = question_wording(self.respondent_kind)
        return [(wording[name], getattr(self, name)) for name in self.QUESTION_FIELDS]


# The programme's questions as each respondent is asked them: a parent about their child, a
# young person about themself ("Wat heb jij nodig?"), a professional about the child and their
# own role. The fields are the same; only the wording follows the respondent.
QUESTION_WORDING = {
    Interview.RespondentKind.YOUNG_PERSON: {
        "view_on_situation": _("How do you look at not going to school (or your exemption)?"),
        "development_present": _("What do you already learn or do that helps you grow?"),
        "development_contributors": _("What helped you with that?"),
        "development_possible": _("What more would you like to learn or do?"),
        "child_needs": _("What do you need?"),
        "parent_needs": _("What do your parents or carers need, do you think?"),
    },
    Interview.RespondentKind.PROFESSIONAL: {
        "view_on_situation": _("How do you look at the child's exemption (or situation)?"),
        "development_present": _("What development do you see in the child already?"),
        "development_contributors": _("What contributed to that, including your own role?"),
        "development_possible": _("What more development do you think is possible?"),
        "child_needs": _("What does the child need?"),
        "parent_needs": _("What do the parents need, and what can you offer?"),
    },
}


def question_wording(kind: str) -> dict[str, str]:
    """The question per field for a respondent kind; parents (and unknown) get the fields'
    own wording."""
    own = {name: Interview._meta.get_field(name).verbose_name for name in Interview.QUESTION_FIELDS}
    return {**own, **QUESTION_WORDING.get(kind, {})}


class NextStepQuerySet(ScopedQuerySet):
    """Next steps of the interviews this user may see."""

    visibility = Via("interview", InterviewQuerySet.visibility)


class NextStep(models.Model):
    """An agreed next step from an interview: who does what by when."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="next_steps", verbose_name=_("interview")
    )
    description = models.CharField(_("next step"), max_length=300)
    # Before issue 21 the owner was free text; it stays for those steps. New steps name a user
    # whose scope covers the case (cases.services.assignable_users).
    owner = models.CharField(
        _("owner (text)"),
        max_length=150,
        blank=True,
        help_text=_("Who does it, e.g. the LPA, the mother, GGD."),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("The colleague who sees to it; they get a notification."),
    )
    due_on = models.DateField(_("due date"), validators=[validation.PLANNED])
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["done", "due_on", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        indexes = [models.Index(fields=["done", "due_on"], name="nextstep_open_due")]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        """The owner's name, or the free text of a step from before owners were users.
        Select ``owner_user`` with the step."""
        return self.owner_user.full_name if self.owner_user_id else self.owner

    def is_overdue_on(self, day: dt.date) -> bool:
        """Not done, past its due date, and its case still open (:mod:`cases.rules`).
        Reads ``interview.jeugdige``: select it with the step."""
        return rules.next_step_overdue(
            due_on=self.due_on, done=self.done, case_status=self.interview.jeugdige.status, on=day
        )


# -- Moreel beraad ------------------------------------------------------------------------------
class MoreelBeraadQuerySet(ScopedQuerySet):
    """Members of the region only: it never leaves the region (not even to national roles)."""

    visibility = RegionInternal()


class MoreelBeraad(models.Model):
    """A session in which professionals deliberate on an ethical question from their work."""

    class Method(models.TextChoices):
        DILEMMA = "dilemma", _("dilemma method")
        SOCRATIC = "socratic", _("Socratic dialogue")
        UTRECHT = "utrecht", _("Utrecht step-by-step plan")
        OTHER = "other", _("other")

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="morele_beraden",
        verbose_name=_("region"),
    )
    held_on = models.DateField(_("date"), validators=[validation.EVENT])
    facilitator = models.CharField(_("facilitator"), max_length=150)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    method_other = models.CharField(
        _("other method"), max_length=150, blank=True, help_text=_("When the method is other.")
    )
    participants = models.TextField(
        _("participants"),
        help_text=_(
            "By role and organisation, one per line, e.g. LPA – gemeente Emmen. "
            "No names of young people."
        ),
    )
    case_description = models.TextField(
        _("the case, in pseudonymous form"),
        help_text=_("Describe the situation without names, references or dates of birth."),
    )
    dilemma = models.TextField(_("the dilemma"))
    option_a = models.TextField(_("option A"))
    option_a_costs = models.TextField(_("what option A costs"), blank=True)
    option_b = models.TextField(_("option B"))
    option_b_costs = models.TextField(_("what option B costs"), blank=True)
    perspectives = models.TextField(_("perspectives"), blank=True)
    values = models.TextField(_("values at stake"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    jeugdigen = models.ManyToManyField(
        "cases.Jeugdige",
        blank=True,
        related_name="morele_beraden",
        verbose_name=_("linked jeugdigen"),
        help_text=_("Optional; only jeugdigen of this region. Visible only inside the region."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MoreelBeraadQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("moreel beraad")
        verbose_name_plural = _("morele beraden")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="other") | ~models.Q(method_other=""),
                name="moreelberaad_other_method_named",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Moreel beraad')} {self.held_on:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:beraad_detail", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        return f"moreel beraad {self.pk}"

    @property
    def method_label(self) -> str:
        return self.method_other if self.method == self.Method.OTHER else self.get_method_display()


class BeraadActionQuerySet(ScopedQuerySet):
    """Follow-up actions of a moreel beraad: the beraad's own policy (inside the region)."""

    visibility = Via("beraad", MoreelBeraadQuerySet.visibility)


class BeraadAction(models.Model):
    """A follow-up action agreed in a moreel beraad."""

    beraad = models.ForeignKey(MoreelBeraad, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=150)
    due_on = models.DateField(_("due date"), null=True, blank=True, validators=[validation.PLANNED])
    done = models.BooleanField(_("done"), default=False)

    objects = BeraadActionQuerySet.as_manager()

    class Meta:
        ordering = ["done", "due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description


# -- Belemmerende factoren (the obstacle agenda) ------------------------------------------------
class Category(models.TextChoices):
    LAWS = "laws", _("laws and rules")
    FUNDING = "funding", _("funding")
    TRANSPORT = "transport", _("transport")
    MISSING_OFFER = "missing_offer", _("missing offer")
    EDUCATION_CARE = "education_care", _("cooperation education–care")
    WAITING_LISTS = "waiting_lists", _("waiting lists")
    EXEMPTION_PROCEDURE = "exemption_procedure", _("the exemption procedure")
    OTHER = "other", _("other")


class Level(models.TextChoices):
    LOCAL = "local", _("local")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class AgendaStatus(models.TextChoices):
    GESIGNALEERD = "gesignaleerd", _("gesignaleerd (noticed)")
    GEAGENDEERD = "geagendeerd", _("geagendeerd (on the agenda)")
    OPGEPAKT = "opgepakt", _("opgepakt (being dealt with)")
    OPGELOST = "opgelost", _("opgelost (solved)")
    NIET_OPLOSBAAR = "niet_oplosbaar", _("niet oplosbaar (cannot be solved)")


class BelemmerendeFactorQuerySet(ScopedQuerySet):
    """Members of the region; one linked to a case only for those who may see the case.

    The national team reads national obstacles through ``selectors.national_agenda`` only,
    which never exposes the description or the links.
    """

    visibility = AllOf((RegionInternal(), Via("jeugdige", CaseContent(optional=True))))


class BelemmerendeFactor(models.Model):
    """Something that blocks a child's development, put on an agenda where it can be solved."""

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        CASE = "case", _("case")
        MOREEL_BERAAD = "moreel_beraad", _("moreel beraad")
        REGION = "region", _("region")

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="belemmerende_factoren",
        verbose_name=_("region"),
    )
    source = models.CharField(_("raised from"), max_length=20, choices=Source.choices)
    interview = models.ForeignKey(
        Interview,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obstacles",
        verbose_name=_("interview"),
    )
    jeugdige = models.ForeignKey(
        "cases.Jeugdige",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obstacles",
        verbose_name=_("jeugdige"),
    )
    beraad = models.ForeignKey(
        MoreelBeraad,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obstacles",
        verbose_name=_("moreel beraad"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.LOCAL)
    status = models.CharField(
        _("agenda status"),
        max_length=20,
        choices=AgendaStatus.choices,
        default=AgendaStatus.GESIGNALEERD,
    )
    agenda_where = models.CharField(
        _("put on the agenda at"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the Lokaal Educatieve Agenda, a regional meeting, the national team."),
    )
    agenda_on = models.DateField(
        _("put on the agenda on"),
        null=True,
        blank=True,
        # the meeting it is on the agenda of, often still to come
        validators=[validation.PLANNED],
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    shareable_summary = models.TextField(
        _("shareable summary"),
        blank=True,
        help_text=_("Written when escalating to the national level: no names, no case details."),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    objects = BelemmerendeFactorQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("belemmerende factor")
        verbose_name_plural = _("belemmerende factoren")
        indexes = [
            models.Index(fields=["region", "status"], name="obstacle_region_status"),
            models.Index(fields=["level", "status"], name="obstacle_level_status"),
        ]
        constraints = [
            # The national agenda shows only the shareable summary: it must be there.
            models.CheckConstraint(
                condition=~models.Q(level="national") | ~models.Q(shareable_summary=""),
                name="obstacle_national_has_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("interviews:obstacle_detail", kwargs={"pk": self.pk})

    @property
    def audit_label(self) -> str:
        return f"belemmerende factor {self.pk}"

    @property
    def is_closed(self) -> bool:
        return rules.obstacle_closed(self.status)
