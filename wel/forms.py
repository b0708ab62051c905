from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from . import validation
from .models import User
from .normalise import normalise_email


class WelFormMixin:
    """Every form of the product inherits this (before ``forms.Form``/``forms.ModelForm``):
    before any ``clean`` runs, each field refuses what the database or the rules would refuse.

    - text: no NUL or other control characters; at most the model column's ``max_length``,
      else :data:`~wel.validation.TEXT_MAX_LENGTH` (and the widget says so, ``maxlength``);
    - dates and date-times: the model field's :class:`~wel.validation.DateRule`, else the form's
      ``date_rules[name]``, else ``SEARCH`` (far from year 1 and 9999);
    - integers: within PostgreSQL's ``integer`` unless the field says narrower.

    ``tests/test_forms_hostile.py`` checks that every form class inherits it and drives each form
    with generated input.
    """

    date_rules: dict[str, validation.DateRule] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            harden_field(
                field, model_field=_model_field(model, name), rule=self.date_rules.get(name)
            )


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: a form-only field
        return None


def harden_field(field, *, model_field=None, rule=None) -> None:
    """Add the product's input rules to one form field (idempotent)."""
    if isinstance(field, forms.CharField):
        if not any(
            isinstance(v, validation.ProhibitControlCharactersValidator) for v in field.validators
        ):
            field.validators.append(validation.ProhibitControlCharactersValidator())
        if field.max_length is None:
            limit = getattr(model_field, "max_length", None) or validation.TEXT_MAX_LENGTH
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.setdefault("maxlength", str(limit))
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        rule = (
            rule
            or validation.date_rule_of(getattr(model_field, "validators", ()))
            or validation.SEARCH
        )
        if validation.date_rule_of(field.validators) is None:
            field.validators.append(rule)
    elif isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = validation.INTEGER_MAX
            field.validators.append(MaxValueValidator(validation.INTEGER_MAX))
        if field.min_value is None:
            field.min_value = validation.INTEGER_MIN
            field.validators.append(MinValueValidator(validation.INTEGER_MIN))


class WelForm(WelFormMixin, forms.Form):
    pass


class WelModelForm(WelFormMixin, forms.ModelForm):
    pass


class AccountSettingsForm(WelModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "wants_digest", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class WelAuthenticationForm(WelFormMixin, AuthenticationForm):
    """The login form: the address is normalised before it is checked, so every spelling of
    it shares one lockout counter and one audit label (wel.accounts.normalise_email)."""

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username"))


class WelPasswordResetForm(WelFormMixin, PasswordResetForm):
    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email"))


class SecondFactorTokenForm(WelForm):
    """A code from the authenticator app (six digits) or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        help_text=_("The six digits your authenticator app shows now, or one recovery code."),
    )


class TotpEnrolForm(WelForm):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        help_text=_("After scanning, your app shows six digits that change every 30 seconds."),
    )


def service_error_items(error) -> list[tuple[str | None, ValidationError]]:
    """A service's ``ValidationError`` as ``(field or None, one error)`` pairs, whatever its
    shape (a dict of fields, a list, one message): for a caller that is not a form (the API's
    ``invalid-params``). The one place besides :func:`add_service_errors` that reads the
    shape."""
    if hasattr(error, "error_dict"):
        return [(field, e) for field, errors in error.error_dict.items() for e in errors]
    return [(None, e) for e in error.error_list]


def add_service_errors(form, error) -> None:
    """Show a service's refusal on the form, for every view (the one error map).

    A service raises ``django.core.exceptions.ValidationError``: with field keys (a dict) each
    message goes to that field when the form has it, else to the form as a whole; a plain
    message or list goes to the form as a whole. Never raises, whatever the error's shape, so
    a refusal from anything a view calls is a message on the page, not a 500.
    """
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
