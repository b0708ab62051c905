from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Phase
from wel import validation
from wel.forms import WelForm

DATE = {"type": "date"}


class PeriodForm(WelForm):
    """The period a dashboard or report covers; both ends optional (defaults apply)."""

    date_rules = {"start": validation.PROGRAMME, "end": validation.PROGRAMME}

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The period starts after it ends. Choose a start date before the end date.")
            )
        return data


class PhaseReportForm(PeriodForm):
    phase = forms.ModelChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.order_by("number"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the four phases.")},
    )
