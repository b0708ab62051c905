from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region


class RegionForm(forms.ModelForm):
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
        return self.cleaned_data["code"].strip().upper()

    def clean_reference_prefix(self):
        return self.cleaned_data["reference_prefix"].strip().upper()
