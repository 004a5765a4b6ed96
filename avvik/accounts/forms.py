"""Forms for a person's own account: settings and the second factor."""

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.tenancy.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("notification_delivery", "language", "keyboard_shortcuts")
        widgets = {"notification_delivery": forms.RadioSelect}
        labels = {"keyboard_shortcuts": _("Use keyboard shortcuts")}


class SecondFactorForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Type the code from your authenticator app.")},
    )


class AuthenticatorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After adding Samhandling in the app, type the six digits it shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the six digits from the app.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The code is six digits."), code="format")
        return code
