from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .normalise import normalise_email


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "wants_digest", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class WelAuthenticationForm(AuthenticationForm):
    """The login form: the address is normalised before it is checked, so every spelling of
    it shares one lockout counter and one audit label (wel.accounts.normalise_email)."""

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username"))


class WelPasswordResetForm(PasswordResetForm):
    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email"))


class SecondFactorTokenForm(forms.Form):
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


class TotpEnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        help_text=_("After scanning, your app shows six digits that change every 30 seconds."),
    )
