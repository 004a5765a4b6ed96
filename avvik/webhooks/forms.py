from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.webhooks.targets import check_target


class EndpointForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example the name of your quality system."))
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The https address in your own system that takes in the notices."),
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organisations

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        check_target(url)
        return url
