"""Forms of the cases app (crispy, Bootstrap 5). They validate input; services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from localflavor.nl.validators import NLBSNFieldValidator

from regions.models import Gemeente, Region
from wel import validation
from wel.access import scope_for
from wel.forms import WelForm, WelModelForm
from wel.models import Role, User

from . import rules, services
from .importer import MAX_BYTES
from .law_messages import TITLES
from .models import (
    GRONDSLAG_INPUT_CHOICES,
    Betrokkene,
    ClosingReason,
    ContactMoment,
    Jeugdige,
    Ontwikkelactiviteit,
    Status,
)
from .services import EDITABLE_FIELDS, assignable_users

DATE = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def gemeenten_for(user, region=None):
    """The gemeenten where this user may create or move cases (optionally in one region)."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for region_id in scope.region_ids:
        if region is not None and region.pk != region_id:
            continue
        ids = scope.gemeente_ids_for_cases(region_id)
        q |= (
            Q(regions__id=region_id)
            if ids is None
            else Q(pk__in=sorted(ids), regions__id=region_id)
        )
    return Gemeente.objects.filter(q).distinct().order_by("name")


def lpas_for(user):
    scope = scope_for(user)
    return (
        User.objects.filter(
            memberships__region_id__in=sorted(scope.region_ids),
            memberships__role__in=[Role.LPA, Role.KARTREKKER],
            is_active=True,
        )
        .exclude(api_client__isnull=False)  # an API client's service account is no person
        .distinct()
        .order_by("full_name")
    )


class JeugdigeForm(WelModelForm):
    """Create and edit a case. ``version`` carries the optimistic lock."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the existing case: this is a different young person."),
        required=False,
    )
    confirm_warnings = forms.MultipleChoiceField(
        label=_("Warnings I have checked"),
        required=False,
        choices=[(code, TITLES[code]) for code in rules.CONDITION_CODES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each warning you checked; the case is then saved as it is."),
    )

    class Meta:
        model = Jeugdige
        fields = list(EDITABLE_FIELDS)
        widgets = {
            name: _date_widget()
            for name in (
                "date_of_birth",
                "notice_date",
                "doctor_statement_date",
                "exemption_start",
                "exemption_end",
                "renewal_due",
                "advice_date",
                "startkwalificatie_on",
                "consent_date",
                "next_contact_due",
            )
        } | {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "advice_conclusion": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, show_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_for(user)
        editing = self.instance.pk is not None
        regions = Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("name")
        self.fields["region"].queryset = regions
        if editing:
            del self.fields["region"]
            self.fields["gemeente"].queryset = gemeenten_for(user, self.instance.region)
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            if len(regions) == 1:
                self.fields["region"].initial = regions[0]
                self.fields["region"].widget = forms.HiddenInput()
            self.fields["gemeente"].queryset = gemeenten_for(user)
        if not show_confirm:
            del self.fields["confirm_duplicate"]
        # New input chooses vervangende leerplicht 3a or 3b; an older case keeps its value.
        current = self.instance.grondslag if editing else ""
        self.fields["grondslag"].choices = [("", "---------")] + [
            c
            for c in self.fields["grondslag"].choices
            if c[0] and (c[0] in dict(GRONDSLAG_INPUT_CHOICES) or c[0] == current)
        ]
        self.warnings: list = []
        # Shown (as tick boxes) only when the input has warnings to confirm.
        self.fields["confirm_warnings"].widget = forms.MultipleHiddenInput()
        if editing:
            # Only people who would see the case (issue 21); the current one stays listed.
            self.fields["assigned_lpa"].queryset = User.objects.filter(
                Q(
                    pk__in=assignable_users(
                        region_id=self.instance.region_id, gemeente_id=self.instance.gemeente_id
                    ).values("pk")
                )
                | Q(pk=self.instance.assigned_lpa_id)
            ).order_by("full_name", "pk")
        else:
            self.fields["assigned_lpa"].queryset = lpas_for(user)
        if not editing and scope.is_lpa:
            # A new case is the registering LPA's own until they hand it over (issue 21).
            self.fields["assigned_lpa"].initial = user.pk
        self.fields["bsn"].validators.append(NLBSNFieldValidator())
        self.fields["bsn"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

        self.helper = FormHelper()
        self.helper.form_tag = True
        person = ["given_name", "family_name", "date_of_birth", "bsn", "gemeente"]
        if not editing:
            person.insert(0, "region")
        layout = [
            Fieldset(_("The young person"), *person),
            Fieldset(
                _("Grondslag and exemption"),
                "grondslag",
                Div(
                    Div("notice_date", css_class="col-md-6"),
                    Div("doctor_statement_date", css_class="col-md-6"),
                    Div("statement_expert", css_class="col-md-6"),
                    Div("exemption_duration", css_class="col-md-6"),
                    Div("renewal_due", css_class="col-md-6"),
                    Div("exemption_start", css_class="col-md-6"),
                    Div("exemption_end", css_class="col-md-6"),
                    css_class="row",
                ),
                "last_school",
            ),
            Fieldset(
                _("Educational advice (onderwijskundig perspectief)"),
                Div(
                    Div("advice_date", css_class="col-md-6"),
                    Div("advice_by", css_class="col-md-6"),
                    css_class="row",
                ),
                "advice_conclusion",
            ),
            Fieldset(
                _("Kwalificatieplicht"),
                Div(
                    Div("startkwalificatie_on", css_class="col-md-6"),
                    Div("kwalificatieplicht_exempt", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Follow-up"),
                "assigned_lpa",
                Div(
                    Div("consent_date", css_class="col-md-6"),
                    Div("consent_by", css_class="col-md-6"),
                    css_class="row",
                ),
                "next_contact_due",
                "is_focus",
                "notes",
            ),
        ]
        if editing:
            layout.append("version")
        if show_confirm:
            layout.insert(0, "confirm_duplicate")
        layout.insert(0, "confirm_warnings")
        layout.append(Submit("save", _("Save")))
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region") or (self.instance.region if self.instance.pk else None)
        gemeente = cleaned.get("gemeente")
        if (
            region is not None
            and gemeente is not None
            and not region.gemeenten.filter(pk=gemeente.pk).exists()
        ):
            self.add_error(
                "gemeente",
                _("%(gemeente)s is not part of %(region)s. Choose one of its municipalities.")
                % {"gemeente": gemeente, "region": region},
            )
        dob = cleaned.get("date_of_birth")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        start, end = cleaned.get("exemption_start"), cleaned.get("exemption_end")
        if start and end and end < start:
            self.add_error("exemption_end", _("The exemption cannot end before it starts."))
        elif not self.errors:
            self._check_rules(cleaned)
        return cleaned

    def _check_rules(self, cleaned) -> None:
        """The grondslag's conditions, by the services' own function: errors at their field;
        warnings listed above the form until each is ticked as checked. Editing, only the
        conditions about a changed field are checked."""
        values = (
            {name: getattr(self.instance, name, None) for name in rules.Facts.__dataclass_fields__}
            if self.instance.pk
            else {}
        )
        values |= {k: v for k, v in cleaned.items() if k in rules.Facts.__dataclass_fields__}
        if not values.get("renewal_due"):
            values["renewal_due"] = services.default_renewal_due(
                grondslag=values.get("grondslag") or "",
                start=values.get("exemption_start"),
                end=values.get("exemption_end"),
                duration=values.get("exemption_duration") or "",
            )
        changed = set(self.changed_data) if self.instance.pk else None
        if changed is not None and not cleaned.get("renewal_due"):
            changed.discard("renewal_due")
        confirmed = cleaned.get("confirm_warnings") or []
        try:
            services.check_rules(values, changed=changed, confirm_warnings=confirmed)
        except services.RuleError as exc:
            for finding in exc.findings:
                if finding.level == rules.ERROR:
                    self.add_error(
                        finding.field if finding.field in self.fields else None, finding.message
                    )
            if exc.warnings_only:
                self.warnings = exc.findings
                field = self.fields["confirm_warnings"]
                field.choices = [(f.code, TITLES[f.code]) for f in exc.findings]
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
                self.add_error(
                    "confirm_warnings",
                    _("Check the warnings above and tick each one to save the case as it is."),
                )

    def _post_clean(self):
        # Model validation (unique reference, constraints) is the service's job: the instance
        # is not complete until the service sets region and reference.
        pass

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in EDITABLE_FIELDS if k in self.cleaned_data}

    def confirmed_warnings(self) -> list[str]:
        return list(self.cleaned_data.get("confirm_warnings") or [])


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", submit_label))
    return helper


class BetrokkeneForm(WelModelForm):
    class Meta:
        model = Betrokkene
        fields = [
            "kind",
            "name",
            "organisation",
            "role",
            "phone",
            "email",
            "invited_by_parents",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add betrokkene"))


class ActiviteitForm(WelModelForm):
    class Meta:
        model = Ontwikkelactiviteit
        fields = [
            "kind",
            "provider",
            "since",
            "until",
            "hours_per_week",
            "recognised_by_education",
            "description",
        ]
        widgets = {
            "since": _date_widget(),
            "until": _date_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add activity"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("“Until” cannot be before “since”."))
        return cleaned


class ContactForm(WelModelForm):
    date_rules = {"next_contact_due": validation.PLANNED}

    next_contact_due = forms.DateField(
        label=_("Next contact due"),
        required=False,
        widget=_date_widget(),
        help_text=_("When should someone get in touch again?"),
    )

    class Meta:
        model = ContactMoment
        fields = ["date", "kind", "summary"]
        widgets = {"date": _date_widget(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.helper = _helper(_("Add contact moment"))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A contact moment cannot be in the future."))
        return date

    def clean_next_contact_due(self):
        due = self.cleaned_data.get("next_contact_due")
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return due


def transition_choices(status: str) -> list:
    """The status select of a case: forward moves first (the first one preselected), backward
    moves in their own group labelled "Back to …"; with no forward move, an empty choice comes
    first so that one click never moves a case back by accident."""
    order = list(Status.values)
    moves = services.allowed_transitions(status)
    forward = [(s, Status(s).label) for s in moves if order.index(s) > order.index(status)]
    backward = [
        (s, _("Back to: %(status)s") % {"status": Status(s).label})
        for s in moves
        if order.index(s) <= order.index(status)
    ]
    choices: list = [] if forward else [("", _("— choose a status —"))]
    if forward:
        choices.append((_("Next step"), forward))
    if backward:
        choices.append((_("Back a step"), backward))
    return choices


class TransitionForm(WelForm):
    to = forms.ChoiceField(
        label=_("New status"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices


class CloseForm(WelForm):
    reason = forms.ChoiceField(
        label=_("Closing reason"),
        choices=[("", _("— choose a reason —")), *ClosingReason.choices],
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “other”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close case"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ClosingReason.ANDERS and not cleaned.get("note", "").strip():
            self.add_error("note", _("Explain the reason when you choose “other”."))
        return cleaned


class ImportForm(WelForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (as Excel saves it, or UTF-8) or XLSX, at most %(mb)d MB. "
            "Use the template's column names."
        )
        % {"mb": MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        regions = Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("name")
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]
            self.fields["region"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. Split the list into smaller files.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class HandoverForm(WelForm):
    """Hand a case over: to whom (only colleagues who would see the case) and a note."""

    to = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=User.objects.none(),
        help_text=_("Only colleagues who work on cases in this municipality are listed."),
    )
    note = forms.CharField(
        label=_("Handover note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your colleague needs to know: where things stand, what is next."),
    )

    extend_scope = forms.BooleanField(required=False)

    def __init__(self, *args, jeugdige, user, **kwargs):
        super().__init__(*args, **kwargs)
        covering = assignable_users(region_id=jeugdige.region_id, gemeente_id=jeugdige.gemeente_id)
        # Colleagues of the region who do not cover the gemeente yet: offered (marked) to the
        # kartrekker, who can add it to their municipalities in the same step; named to an LPA
        # with whom to ask (issue 21 §2).
        self.outside = list(services.scope_extension_candidates(jeugdige=jeugdige))
        self.may_extend = bool(self.outside) and services.may_extend_scope(user, jeugdige)
        self.granters = list(services.scope_granters(jeugdige=jeugdige))
        gemeente = jeugdige.gemeente.name
        if self.may_extend:
            outside_pks = {u.pk for u in self.outside}
            self.fields["to"].queryset = (
                User.objects.filter(Q(pk__in=covering.values("pk")) | Q(pk__in=sorted(outside_pks)))
                .exclude(pk=jeugdige.assigned_lpa_id or 0)
                .order_by("full_name", "pk")
            )
            self.fields["to"].help_text = _(
                'Colleagues marked "not in %(gemeente)s yet" do not work on cases there.'
            ) % {"gemeente": gemeente}
            self.fields["to"].label_from_instance = lambda u: (
                _("%(name)s (not in %(gemeente)s yet)") % {"name": u, "gemeente": gemeente}
                if u.pk in outside_pks
                else str(u)
            )
            self.fields["extend_scope"].label = _(
                "Add %(gemeente)s to the chosen colleague's municipalities and hand over"
            ) % {"gemeente": gemeente}
            self.fields["extend_scope"].help_text = _(
                'Only needed for a colleague marked "not in %(gemeente)s yet". Both are '
                "recorded in the audit log."
            ) % {"gemeente": gemeente}
        else:
            self.fields["to"].queryset = covering.exclude(pk=jeugdige.assigned_lpa_id or 0)
            del self.fields["extend_scope"]


class TransferProposeForm(WelForm):
    """Verhuizing doorgeven: where the family moves to, and a note for the receiving side."""

    target = forms.ChoiceField(
        label=_("Moves to"),
        help_text=_("The municipality and the region of the programme it belongs to."),
    )
    note = forms.CharField(
        label=_("Note for the receiving side"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why, since when, and what they need to know before they decide. They see this, "
            "the reference, the year of birth and the grondslag; the case itself only once they "
            "accept."
        ),
    )

    def __init__(self, *args, jeugdige, **kwargs):
        super().__init__(*args, **kwargs)
        from .transfers import targets

        self.pairs = {f"{t.region_id}-{t.gemeente_id}": t for t in targets(jeugdige=jeugdige)}
        self.fields["target"].choices = [("", "---------")] + [
            (key, f"{t.gemeente.name} ({t.region.name})") for key, t in self.pairs.items()
        ]

    def clean_target(self):
        pair = self.pairs.get(self.cleaned_data["target"])
        if pair is None:
            raise forms.ValidationError(_("Choose the municipality the family moves to."))
        return pair


class TransferAcceptForm(WelForm):
    assignee = forms.ModelChoiceField(
        label=_("Who takes the case on"),
        queryset=User.objects.none(),
        help_text=_("Only people who work on cases in the receiving municipality are listed."),
    )

    def __init__(self, *args, transfer, user, **kwargs):
        super().__init__(*args, prefix="accept", **kwargs)
        from .transfers import transfer_deciders

        self.fields["assignee"].queryset = transfer_deciders(transfer)
        self.fields["assignee"].initial = user.pk


class TransferDeclineForm(WelForm):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('The sending side reads this, e.g. "the family lives in Emmen after all".'),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)
