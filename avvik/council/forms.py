"""Forms for the statistics page, volumes and the council summary of a case."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.core.form_fields import ReadOnceChoiceField
from avvik.core.identity_numbers import strict_free_text_validator
from avvik.council.periods import Period
from avvik.tenancy.models import Organisation


def period_choices(today: date, *, custom: bool = True) -> list[tuple[str, str]]:
    """Coordinators: the last twelve quarters and the last three years, newest first, and own dates.

    The council (custom=False): completed quarters and years only. A running quarter's figures change
    from day to day, and two readings of it, like two overlapping date ranges, could be subtracted.
    """
    if custom:
        quarters = Period.containing(today).previous_quarters(12)
        years = range(today.year, today.year - 3, -1)
    else:
        quarters = Period.last_completed_quarter(today).previous_quarters(12)
        years = range(today.year - 1, today.year - 4, -1)
    choices = [(q.tag, q.label) for q in reversed(quarters)]
    choices += [(str(year), str(year)) for year in years]
    return [*choices, ("custom", _("Choose dates"))] if custom else choices


# The earliest year a period may start in; a period may end at most a year ahead.
FIRST_YEAR = 2000


class StatisticsFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    organisation = ReadOnceChoiceField(queryset=Organisation.objects.none(), required=False, label=_("Organisation"))

    def __init__(self, *args, partnership, council: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Council members get whole quarters and years only: narrow, overlapping date ranges
        # could be subtracted to reveal single cases.
        self.fields["period"].choices = period_choices(today, custom=not council)
        self.fields["period"].initial = self.fields["period"].choices[0][0]
        self.fields["organisation"].queryset = Organisation.objects.filter(partnership=partnership).order_by("name")
        self.fields["organisation"].empty_label = _("All organisations")
        if council:
            # The council sees the partnership as a whole, as in its report: figures for one
            # organisation could be set against the whole to uncover counts hidden in either.
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise ValidationError(_("Choose both dates for your own period."))
            if end < start:
                raise ValidationError(_("The end date is before the start date."))
            first, last = date(FIRST_YEAR, 1, 1), date(timezone.localdate().year + 1, 12, 31)
            if start < first or end > last:
                raise ValidationError(
                    _("Choose dates from {first} to {last}.").format(first=f"{first:%d.%m.%Y}", last=f"{last:%d.%m.%Y}")
                )
            cleaned["chosen"] = Period(start, end, f"{start:%d.%m.%Y}–{end:%d.%m.%Y}")
        elif cleaned.get("period"):
            cleaned["chosen"] = Period.parse(cleaned["period"])
        cleaned.setdefault("organisation", None)
        return cleaned


class VolumeForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=[(q, str(q)) for q in range(1, 5)], coerce=int)
    kind = forms.CharField(label=_("What is counted"), max_length=60, help_text=_("For example: discharges."))
    amount = forms.IntegerField(label=_("Number"), min_value=0)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(partnership=partnership).order_by("name")


class CouncilSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Anonymised summary for the council"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[strict_free_text_validator],  # no box to confirm an account number here
        help_text=_("No names and no patient data. Leave empty to keep the case out of the report."),
    )


class ThresholdDecisionForm(forms.Form):
    new_threshold = forms.IntegerField(label=_("New threshold"), min_value=2, max_value=50)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        help_text=_("The meeting or case, for example SSU 12.03.2027, sak 14/27."),
        error_messages={"required": _("Give the meeting or case where the change was decided.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[strict_free_text_validator],
        error_messages={"required": _("Give the reason for the change.")},
    )

    def clean_decided_on(self) -> date:
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise ValidationError(_("A decision cannot be dated in the future."))
        return decided_on
