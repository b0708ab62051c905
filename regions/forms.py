from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from wel.access import scope_for
from wel.forms import WelForm, WelModelForm

from .models import Learning, Region, Theme, TrainingSession


class RegionForm(WelModelForm):
    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "reference_prefix",
            "kind",
            "phase",
            "joined_on",
            "focus_target",
            "gemeenten",
            "is_active",
            "email_from",
            "email_reply_to",
        ]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "gemeenten": forms.SelectMultiple(attrs={"size": 12}),
        }
        error_messages = {
            "code": {"unique": _("Another region already has this code. Choose a different one.")},
            "name": {"unique": _("Another region already has this name. Choose a different one.")},
            "reference_prefix": {
                "unique": _("Another region already uses this prefix. Choose a different one.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeenten"].help_text = _(
            "Hold Ctrl (Cmd on a Mac) to select several municipalities."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_code(self):
        # Capitals before the uniqueness check; the service stores them so too.
        return self.cleaned_data["code"].strip().upper()

    def clean_reference_prefix(self):
        return self.cleaned_data["reference_prefix"].strip().upper()


class LearningForm(WelForm):
    """Write or edit a learning. Publishing needs the identifying-details check."""

    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Learning.Kind.choices)
    lesson = forms.CharField(
        label=_("Lesson"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What did you learn? One or two paragraphs."),
    )
    context = forms.CharField(
        label=_("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The situation in which it was learned, without names or case details."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region of origin"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— the national team —"),
    )
    source = forms.ChoiceField(
        choices=Learning.Source.choices, required=False, widget=forms.HiddenInput
    )
    checked_identifying = forms.BooleanField(
        label=_("I have checked this text for identifying details"),
        required=False,
        help_text=_(
            "No names, references, dates of birth, schools or other details that identify a "
            "child, a family or a professional."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish now (all regions can read it)"),
        required=False,
        help_text=_("Leave unticked to keep it as a draft only you can see."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        self.fields["region"].queryset = Region.objects.filter(pk__in=sorted(scope.region_ids))
        if scope.works_in_region and not scope.is_landelijk_team:
            self.fields["region"].required = True
            self.fields["region"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("publish") and not data.get("checked_identifying"):
            self.add_error(
                "checked_identifying",
                _(
                    "Check the text for names and other identifying details, then tick the box "
                    "before publishing."
                ),
            )
        return data


class TrainingSessionForm(WelModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "training",
            "starts_at",
            "ends_at",
            "is_online",
            "place",
            "capacity",
            "is_published",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    # "The end after the start" is the service's rule (services.training_session_save).
