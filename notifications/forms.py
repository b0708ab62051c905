from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wel.forms import WelForm

from .models import EmailChoice


class PreferenceForm(WelForm):
    email = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Notifications always appear in WEL. An e-mail shows references and links only, "
            "never names."
        ),
    )
