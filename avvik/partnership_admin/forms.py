"""Forms of the partnership administrator's pages. Explicit field lists: a field added to a
model later is one line here."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from avvik.catalogue.models import AgreementClause, Category
from avvik.register.models import RegisterEntry
from avvik.tenancy.models import Organisation, Partnership, Unit


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = Organisation
        fields = ["name", "kind", "organisation_number", "her_id", "written_form"]


class UnitForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = Unit
        fields = ["name", "her_id"]


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = Category
        fields = ["name", "name_nn", "name_en", "concerns_message", "position"]


class ClauseForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = AgreementClause
        fields = ["document", "code", "title", "title_nn", "title_en", "position"]


class PartnershipSettingsForm(forms.ModelForm):  # type: ignore[type-arg]  # not generic at run time
    class Meta:
        model = Partnership
        fields = ["name", "written_form", "council_name"]
        help_texts = {
            "council_name": _(
                "What the partnership calls its joint council: fagråd, SSU, OSO or partnerskapsmøte. "
                "Empty: the council."
            )
        }


class RegisterEntryChoiceForm(forms.Form):
    """Pick an organisation of the register copy; its name and HER-id fill in the new organisation."""

    entry = forms.ModelChoiceField(
        label=_("Organisation in the address register"), queryset=RegisterEntry.objects.none()
    )

    def __init__(self, *args: Any, entries: QuerySet[RegisterEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries  # type: ignore[attr-defined]
