from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Betrokkene
from interviews.models import Interview, NextStep
from wel.forms import WelForm

from .models import Invitation

ANSWER_MAX = 4000  # characters per answer: room for a long story, not for a file
TEXTAREA = {"rows": 4}
# Kinds the family can add by role (the parents and the young person are there already), in
# the family's words: no professional jargon ("Gedragswerk / OZJ", "Samenwerkingsverband").
_K = Betrokkene.Kind
ADDABLE_KINDS = [
    (_K.SCHOOL, _("Someone from school")),
    (_K.SAMENWERKINGSVERBAND, _("Someone who helps find a suitable school")),
    (_K.GGD, _("The youth doctor")),
    (_K.SOCIAAL_TEAM, _("Someone from the neighbourhood team")),
    (_K.ZORGAANBIEDER, _("A care worker or therapist")),
    (_K.EXPERTTEAM, _("A specialist who advises on difficult situations")),
    (_K.GEDRAGSWERK_OZJ, _("A support worker for learning and care")),
    (_K.OTHER, _("Someone else")),
]


class InvitationForm(WelForm):
    """The professional's invitation; combinations are checked by the service."""

    audience = forms.ChoiceField(
        label=_("Who do you invite?"), choices=Invitation.Audience.choices, widget=forms.RadioSelect
    )
    purpose = forms.ChoiceField(
        label=_("What for?"), choices=Invitation.Purpose.choices, widget=forms.RadioSelect
    )
    recipient_name = forms.CharField(
        label=_("Name of the recipient"),
        max_length=150,
        help_text=_("Used to greet them. The family never sees the file."),
    )
    delivery = forms.ChoiceField(
        label=_("How do they get the link?"),
        choices=Invitation.Delivery.choices,
        widget=forms.RadioSelect,
        help_text=_("You pass on the code yourself, by phone or in person: never with the link."),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    interview = forms.ModelChoiceField(
        label=_("Conversation"),
        queryset=Interview.objects.none(),
        required=False,
        help_text=_("The conversation the answers belong to (optional before it)."),
    )
    steps = forms.ModelMultipleChoiceField(
        label=_("Agreements to share"),
        queryset=NextStep.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for an invitation after the conversation."),
    )

    def __init__(self, *args, jeugdige, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = Interview.objects.filter(jeugdige=jeugdige).order_by(
            "-held_on"
        )
        self.fields["steps"].queryset = NextStep.objects.filter(
            interview__jeugdige=jeugdige
        ).select_related("interview")
        self.fields["steps"].label_from_instance = lambda s: (
            f"{s.description} ({s.interview.held_on:%d-%m-%Y})"
        )
        self.fields["interview"].label_from_instance = lambda i: (
            f"{i.get_respondent_kind_display()}, {i.held_on:%d-%m-%Y}"
        )


class CodeForm(WelForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("Six digits. You got them by phone or in person."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _answer(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class _BeforeForm(WelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who do you want at the conversation?"),
        queryset=Betrokkene.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the people you want there. You decide."),
    )
    other_kinds = forms.MultipleChoiceField(
        label=_("Someone else? Tick who"),
        choices=ADDABLE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_text = forms.CharField(
        label=_("Anyone else, in your own words"),
        required=False,
        max_length=500,
        help_text=_("For example: my sister, the coach of the care farm."),
    )

    def __init__(self, *args, jeugdige, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Betrokkene.objects.filter(jeugdige=jeugdige).exclude(
            kind=Betrokkene.Kind.JEUGDIGE_ZELF
        )
        self.fields["attendees"].label_from_instance = lambda b: (
            f"{b.name} ({b.get_kind_display()})"
        )


class ParentAnswersForm(_BeforeForm):
    going_well = _answer(_("What is going well?"), _("With your child, at home, elsewhere."))
    child_needs = _answer(_("What does your child need?"))
    parent_needs = _answer(_("What do you need as a parent?"))
    consent = forms.BooleanField(
        label=_("Yes, we take part in WEL in Ontwikkeling."),
        required=False,
        help_text=_(
            "This means: we talk together about what helps your child to learn and grow. "
            "The leerplichtambtenaar writes down what is agreed. You can stop at any time."
        ),
    )
    field_order = [
        "going_well",
        "child_needs",
        "parent_needs",
        "attendees",
        "other_kinds",
        "other_text",
        "consent",
    ]


class YoungPersonAnswersForm(_BeforeForm):
    likes = _answer(_("What do you like doing?"))
    get_better_at = _answer(_("What do you want to get better at?"))
    needs = _answer(_("What do you need?"), _("From home, from school, from us."))
    field_order = ["likes", "get_better_at", "needs", "attendees", "other_kinds", "other_text"]


class StepsAnswerForm(WelForm):
    """One yes/no and one text per shared agreement."""

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        for step in steps:
            self.fields[f"agree_{step.pk}"] = forms.TypedChoiceField(
                label=step.next_step.description,
                choices=[("yes", _("Yes, I agree")), ("no", _("Not quite"))],
                coerce=lambda v: v == "yes",
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"words_{step.pk}"] = _answer(_("In your own words (optional)"))

    def answers(self) -> dict[int, tuple[bool | None, str]]:
        out = {}
        for step in self.steps:
            raw = self.data.get(f"agree_{step.pk}")
            agree = self.cleaned_data.get(f"agree_{step.pk}") if raw in ("yes", "no") else None
            out[step.pk] = (agree, self.cleaned_data.get(f"words_{step.pk}", ""))
        return out
