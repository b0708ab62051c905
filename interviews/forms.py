import copy
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wel import validation
from wel.forms import WelForm, WelModelForm

from .models import (
    AgendaStatus,
    BelemmerendeFactor,
    BeraadAction,
    Category,
    Interview,
    Level,
    MoreelBeraad,
    NextStep,
    question_wording,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class InterviewForm(WelModelForm):
    class Meta:
        model = Interview
        fields = [
            "respondent_kind",
            "respondent_name",
            "respondent_role",
            "respondent_organisation",
            "held_on",
            "interviewer",
            "attendees",
            "attendees_chosen_by_parents",
            "consent_to_record",
            *Interview.QUESTION_FIELDS,
        ]
        widgets = {
            "held_on": DATE,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            **dict.fromkeys(Interview.QUESTION_FIELDS, TEXT),
        }

    def __init__(self, *args, interviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = interviewers
        # The questions follow the respondent; interviews.js swaps them when the kind changes.
        kind = self["respondent_kind"].value() or ""
        wording = {k: question_wording(k) for k in Interview.RespondentKind.values}
        for name in Interview.QUESTION_FIELDS:
            field = self.fields[name]
            field.label = question_wording(kind)[name]
            field.widget = copy.deepcopy(field.widget)  # Meta.widgets shares one instance
            field.widget.attrs.update(
                {f"data-question-{k.replace('_', '-')}": str(w[name]) for k, w in wording.items()}
            )

    # "Only with the respondent's consent" is the service's rule (services.interview_save).


class NextStepForm(WelModelForm):
    """A next step; its owner is one of ``owners`` (``interviews.services.step_owners``). A step
    from before owners were users keeps its free-text owner until one is chosen."""

    class Meta:
        model = NextStep
        fields = ["description", "owner_user", "due_on", "done"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner_user"]
        if owners is not None:
            field.queryset = owners
        field.label_from_instance = lambda u: u.full_name or u.email
        legacy = self.instance.pk and self.instance.owner and not self.instance.owner_user_id
        field.required = not legacy
        if legacy:
            field.help_text = _("Until now: %(owner)s") % {"owner": self.instance.owner}


NextStepFormSet = forms.inlineformset_factory(
    Interview, NextStep, form=NextStepForm, extra=3, can_delete=False
)


LONG_TEXT = (
    "participants",
    "case_description",
    "dilemma",
    "option_a",
    "option_a_costs",
    "option_b",
    "option_b_costs",
    "perspectives",
    "values",
    "conclusion",
    "evaluation",
)


class ObstacleSeenForm(WelForm):
    """An obstacle seen in the interview; each filled row becomes a belemmerende factor."""

    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *Category.choices]
    )
    description = forms.CharField(label=_("Obstacle seen"), max_length=2000)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[(Level.LOCAL, Level.LOCAL.label), (Level.REGIONAL, Level.REGIONAL.label)],
        initial=Level.LOCAL,
    )

    def has_changed(self):
        # The level has an initial value; a row counts only when something was written.
        return bool(
            self.data.get(self.add_prefix("description"))
            or self.data.get(self.add_prefix("category"))
        )


ObstacleSeenFormSet = forms.formset_factory(ObstacleSeenForm, extra=2)


class BeraadForm(WelModelForm):
    class Meta:
        model = MoreelBeraad
        fields = [
            "held_on",
            "facilitator",
            "method",
            "method_other",
            "participants",
            "case_description",
            "dilemma",
            "option_a",
            "option_a_costs",
            "option_b",
            "option_b_costs",
            "perspectives",
            "values",
            "conclusion",
            "evaluation",
        ]
        widgets = {"held_on": DATE, **dict.fromkeys(LONG_TEXT, TEXT)}

    # A text field of references rather than a list of every case: a region can have thousands.
    jeugdige_references = forms.CharField(
        label=_("Linked jeugdigen (optional)"),
        required=False,
        max_length=1000,
        help_text=_(
            "References of jeugdigen of this region, separated by commas, e.g. EMM-2026-0007. "
            "Visible only inside the region."
        ),
    )

    def __init__(self, *args, jeugdigen, **kwargs):
        super().__init__(*args, **kwargs)
        self.jeugdigen = jeugdigen  # the cases of the region this user may link
        if self.instance.pk and not self.is_bound:
            linked = self.instance.jeugdigen.filter(pk__in=jeugdigen.values("pk"))
            self.initial["jeugdige_references"] = ", ".join(
                linked.order_by("reference").values_list("reference", flat=True)
            )
        self.hidden_jeugdigen = (
            list(self.instance.jeugdigen.exclude(pk__in=jeugdigen.values("pk")))
            if self.instance.pk
            else []
        )

    def clean_jeugdige_references(self):
        raw = self.cleaned_data.get("jeugdige_references", "")
        references = list(
            dict.fromkeys(r.strip().upper() for r in re.split(r"[\s,;]+", raw) if r.strip())
        )
        found = {j.reference: j for j in self.jeugdigen.filter(reference__in=references)}
        unknown = [r for r in references if r not in found]
        if unknown:
            raise forms.ValidationError(
                _("%(refs)s: not a jeugdige of this region that you can see. Check the reference.")
                % {"refs": ", ".join(unknown)}
            )
        # Links to cases this user cannot see stay as they are.
        self.cleaned_data["jeugdigen"] = [found[r] for r in references] + self.hidden_jeugdigen
        return ", ".join(references)

    # "Name the method" for method "other" is the service's rule (services.beraad_save).


class BeraadActionForm(WelModelForm):
    class Meta:
        model = BeraadAction
        fields = ["description", "owner", "due_on", "done"]
        widgets = {"due_on": DATE}


BeraadActionFormSet = forms.inlineformset_factory(
    MoreelBeraad, BeraadAction, form=BeraadActionForm, extra=3, can_delete=True
)


class ObstacleForm(WelModelForm):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[(Level.LOCAL, Level.LOCAL.label), (Level.REGIONAL, Level.REGIONAL.label)],
        help_text=_("Where it can be solved. The kartrekker escalates to the national level."),
    )

    class Meta:
        model = BelemmerendeFactor
        fields = ["category", "description", "level"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ObstacleRegionForm(ObstacleForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None)

    class Meta(ObstacleForm.Meta):
        fields = ["region", "category", "description", "level"]

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()


class ObstacleStatusForm(WelForm):
    date_rules = {"agenda_on": validation.PLANNED}

    status = forms.ChoiceField(label=_("New status"), choices=())
    agenda_where = forms.CharField(
        label=_("Put on the agenda at"),
        required=False,
        max_length=200,
        help_text=_("E.g. the Lokaal Educatieve Agenda, a regional meeting, the national team."),
    )
    agenda_on = forms.DateField(label=_("On"), required=False, widget=DATE)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(AgendaStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class EscalateForm(WelForm):
    shareable_summary = forms.CharField(
        label=_("Shareable summary for the national team"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only this summary, the category, the region, the status and the dates reach the "
            "national team. Write it so that no child or family can be recognised: no names, "
            "references, schools, places or dates."
        ),
    )


CATEGORY_CHOICES = Category.choices


class NextStepDoneForm(WelForm):
    """The "done" / "open again" button of a next step, and where to go back to."""

    done = forms.ChoiceField(choices=(("1", "1"), ("0", "0")), required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean_done(self) -> bool:
        return self.cleaned_data.get("done", "") in ("", "1")  # a plain button means "done"

    def clean_next(self) -> str:
        # Only a path on this site, else back to the interview (never an open redirect). Its
        # length is checked before the write, so the redirect cannot fail after it.
        target = self.cleaned_data.get("next", "")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            return ""
        return target


class NationalStatusForm(WelForm):
    """The landelijk team moves a national obstacle on its agenda (the national agenda page)."""

    status = forms.ChoiceField(choices=AgendaStatus.choices)
    agenda_where = forms.CharField(
        required=False,
        max_length=BelemmerendeFactor._meta.get_field("agenda_where").max_length,
    )
