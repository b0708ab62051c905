from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from wel import validation
from wel.forms import WelForm

from .letters import PARENT, YOUNG_PERSON
from .models import Document

AUDIENCES = [(PARENT, _("Parent / verzorger")), (YOUNG_PERSON, _("The young person"))]


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class DocumentForm(WelForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most %(mb)s MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"mb": max_mb}
        self.helper = _helper(_("Upload document"))
        self.helper.form_tag = False


class ConversationLetterForm(WelForm):
    audience = forms.ChoiceField(label=_("Letter for"), choices=AUDIENCES)
    recipient_name = forms.CharField(label=_("Name of the recipient"), max_length=150)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("E.g. the address of the town hall, or “at your home”."),
    )
    date_rules = {"date": validation.PLANNED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Download letter (PDF)"))


class AgreementsLetterForm(WelForm):
    interview = forms.ModelChoiceField(label=_("Conversation"), queryset=None)
    audience = forms.ChoiceField(label=_("Letter for"), choices=AUDIENCES)
    recipient_name = forms.CharField(label=_("Name of the recipient"), max_length=150)

    def __init__(self, *args, interviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = interviews
        self.fields["interview"].label_from_instance = lambda i: (
            f"{i.held_on:%d-%m-%Y} · {i.get_respondent_kind_display()}"
        )
        self.helper = _helper(_("Download letter (PDF)"))
