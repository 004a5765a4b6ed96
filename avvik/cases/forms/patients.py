"""The contact point's look-up of a patient's cases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.core.identity_numbers import validate_identity_number


class PatientLookupForm(forms.Form):
    # Named like the filing form's field, so static/js/drafts.js never keeps it in the tab.
    patient_identity_number = forms.CharField(
        label=_("The patient's national identity number"),
        help_text=_("11 digits. The number is not stored; the cases are found by a keyed hash of it."),
        max_length=20,
        validators=[validate_identity_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
