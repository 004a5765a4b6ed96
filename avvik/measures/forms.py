"""Forms for adding a measure and following one up; they validate and hand over to the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from avvik.access.people import HANDLING_ROLES
from avvik.cases.models.deviation import Deviation
from avvik.core.form_fields import ReadOnceChoiceField
from avvik.measures.choices import Effect, MeasureStatus
from avvik.measures.models import Measure
from avvik.measures.services import FollowUp
from avvik.tenancy.models import Organisation, User


class PersonChoiceField(ReadOnceChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class MeasureForm(forms.Form):
    """A new measure on a case: what, who owns it and by when."""

    # The case page holds other forms; their fields' ids must not meet.
    prefix = "measure"

    what = forms.CharField(label=_("What is to be done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_organisation = ReadOnceChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    responsible_person = PersonChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The organisation's handlers"),
        help_text=_("Optional. Reminders go to this person, else to all the organisation's handlers."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, deviation: Deviation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = Organisation.objects.filter(pk__in=deviation.parties).order_by("name")
        organisation_field = self.fields["responsible_organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        organisation_field.queryset = parties
        organisation_field.initial = deviation.responsible_organisation_id
        person_field = self.fields["responsible_person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        # Choices narrowed to the handlers of the case's parties; the service checks the pair.
        person_field.queryset = (
            User.objects.filter(
                is_active=True,
                memberships__organisation__in=parties,
                memberships__role__in=HANDLING_ROLES,
            )
            .exclude(email__iendswith=".invalid")
            .distinct()
            .order_by("full_name", "email")
        )


class FollowUpForm(forms.Form):
    """A measure's status and the evaluation of its effect."""

    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    dropped_reason = forms.CharField(
        label=_("Why it was dropped"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the measure is dropped."),
    )
    effect = forms.ChoiceField(
        label=_("Effect"),
        choices=Effect.choices,
        help_text=_("Evaluate the effect once the measure is carried out."),
    )
    effect_note = forms.CharField(
        label=_("About the effect"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": measure.status,
                "dropped_reason": measure.dropped_reason,
                "effect": measure.effect,
                "effect_note": measure.effect_note,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == MeasureStatus.DROPPED and not cleaned.get("dropped_reason", "").strip():
            self.add_error("dropped_reason", _("Say why the measure is dropped."))
        return cleaned

    def follow_up(self) -> FollowUp:
        data = self.cleaned_data
        return FollowUp(
            status=data["status"],
            dropped_reason=data["dropped_reason"],
            effect=data["effect"],
            effect_note=data["effect_note"],
        )
