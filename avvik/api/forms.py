"""The contact point's forms for API clients."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from avvik.api.choices import Scope
from avvik.tenancy.models import Organisation, Partnership

# The longest a token may be valid: two years, so a forgotten system stops on its own.
MAX_TOKEN_DAYS = 730


class ApiClientForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        empty_label=_("Choose the organisation the system works for"),
    )
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=100,
        help_text=_("For example the name of the quality system or the electronic health record."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the system may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )
    valid_days = forms.IntegerField(
        label=_("Token valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        help_text=_("At most 730 days. Rotate the token before it expires."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            partnership=partnership, is_active=True
        ).order_by("name")
        self.initial.setdefault("valid_days", min(settings.API_TOKEN_DAYS, MAX_TOKEN_DAYS))

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the system a name."))
        return name
