"""Forms of the statutory duties on the case page; the rules themselves are in services."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.core.form_fields import DateTimeLocalInput
from avvik.duties.choices import BreachDecision


def _now() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class AlertForm(forms.Form):
    sent_at = forms.DateTimeField(label=_("When the alert was sent"), widget=DateTimeLocalInput())
    recipients = forms.MultipleChoiceField(
        label=_("Sent to"), widget=forms.CheckboxSelectMultiple, choices=(), required=False
    )
    reference = forms.CharField(label=_("The recipient's case number"), max_length=100, required=False)
    informed_at = forms.DateTimeField(
        label=_("When the patient or next of kin was informed"), widget=DateTimeLocalInput(), required=False
    )
    informed_by = forms.CharField(label=_("Informed by"), max_length=200, required=False)
    not_informed_reason = forms.CharField(
        label=_("Or: why they were not informed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, recipients: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [(name, name) for name in recipients]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.update(sent_at=_now(), recipients=list(recipients))


class BreachForm(forms.Form):
    aware_at = forms.DateTimeField(label=_("When the organisation became aware of it"), widget=DateTimeLocalInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["aware_at"] = _now()


class BreachDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=BreachDecision.choices, widget=forms.RadioSelect)
    notified_at = forms.DateTimeField(
        label=_("When Datatilsynet was notified"), widget=DateTimeLocalInput(), required=False
    )
    authority_reference = forms.CharField(label=_("Datatilsynet's reference"), max_length=100, required=False)
    not_notified_reason = forms.CharField(
        label=_("Why it was not notified"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
