"""Relating a case to another: the other case by its reference, and how they are related."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import RelationKind
from avvik.cases.models.deviation import Deviation
from avvik.tenancy.models import User


class RelationForm(forms.Form):
    other = forms.CharField(
        label=_("Reference of the other case"),
        max_length=20,
        help_text=_("As it stands on the case, for example SA-2026-K7QX4M."),
    )
    kind = forms.ChoiceField(label=_("This case is"), choices=RelationKind.choices)

    def __init__(self, *args: Any, deviation: Deviation, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "relation")
        super().__init__(*args, **kwargs)
        self.deviation = deviation
        self.user = user

    def clean_other(self) -> Deviation:
        # Only a case the person may read: another one is "not found", so nothing leaks about it.
        reference = self.cleaned_data["other"].strip().upper()
        other = (
            Deviation.objects.visible_to(self.user)
            .filter(reference=reference, partnership_id=self.deviation.partnership_id)
            .first()
        )
        if other is None:
            raise ValidationError(_("There is no case with this reference in the partnership."))
        if other.pk == self.deviation.pk:
            raise ValidationError(_("A case cannot be related to itself."))
        return other
