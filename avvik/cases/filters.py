"""One FilterSet for every deviation list; choices narrowed to the person's partnerships.

Every field is checked: a list with a filter in error shows nothing (the view answers 400 with
the message beside the field), so a mistyped filter never passes for "all cases".
"""

from datetime import date
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

from avvik.access.roles import roles_of
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import DeviationQuerySet
from avvik.cases.search import search_deviations
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.tenancy.models import Organisation, User

if TYPE_CHECKING:
    import django_filters.widgets


# Periods are bounded: a typed year 9999 or 0201 is a mistake, not a filter.
FIRST_YEAR = 2000
# The longest free-text search accepted.
SEARCH_MAX_LENGTH = 200
# What a ticked check box may send ("on" from a browser, "true" from a link of ours).
_CHECKBOX_VALUES = {"", "on", "true", "false", "1", "0"}


def _last_year() -> int:
    return timezone.localdate().year + 1


class PeriodField(DateRangeField):
    """From one day to another, both optional: real dates, in the years FIRST_YEAR to next year,
    the end not before the start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start, end = self.fields
        start.error_messages["invalid"] = _("The from date is not a real date.")
        end.error_messages["invalid"] = _("The to date is not a real date.")

    def compress(self, data_list: list[date | None] | None) -> slice | None:
        if data_list:
            start, end = data_list
            first, last = FIRST_YEAR, _last_year()
            errors = []
            if start and not first <= start.year <= last:
                errors.append(
                    ValidationError(
                        _("The from date must be in the years {first} to {last}.").format(first=first, last=last)
                    )
                )
            if end and not first <= end.year <= last:
                errors.append(
                    ValidationError(
                        _("The to date must be in the years {first} to {last}.").format(first=first, last=last)
                    )
                )
            if start and end and end < start:
                errors.append(ValidationError(_("The to date is before the from date.")))
            if errors:
                raise ValidationError(errors)
        return super().compress(data_list)


class PeriodFilter(django_filters.DateFromToRangeFilter):
    field_class = PeriodField


class DeviationFilterForm(forms.Form):
    """The filter form. A field in error is marked for assistive technology and points at its
    message, which the template draws beside it (partials/filter_field.html)."""

    def clean_overdue(self) -> bool | None:
        # A check box widget reads any other text as ticked.
        raw = self.data.get(self.add_prefix("overdue"), "")
        if raw.lower() not in _CHECKBOX_VALUES:
            raise ValidationError(_("Tick the box or leave it empty."))
        value: bool | None = self.cleaned_data.get("overdue")
        return value

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue  # the fieldset around the boxes is described by the message
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def error_links(self) -> list[tuple[str, str, str]]:
        """(label, message, id of the input to jump to) for every error, for the summary."""
        links: list[tuple[str, str, str]] = [("", str(error), "") for error in self.non_field_errors()]
        for field in self:
            if isinstance(field.field, PeriodField):
                target = f"{field.auto_id}_after"
            elif isinstance(field.field.widget, forms.CheckboxSelectMultiple):
                target = f"{field.auto_id}_0"
            else:
                target = field.id_for_label
            links += [(str(field.label), str(error), target) for error in field.errors]
        return links


class Ordering(django_filters.OrderingFilter):
    # Our own words for the reversed order (django-filter's are not in Norwegian).
    descending_fmt = _("%s, descending")  # type: ignore[assignment]  # formatted with %, as a str is


class DeviationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=SEARCH_MAX_LENGTH)
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a plain column: DISTINCT would sort every match before the page is cut
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.none(), label=_("Category"), empty_label=_("All categories")
    )
    reporting_organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("Reported by"), empty_label=_("All organisations")
    )
    responsible_organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("Responsible organisation"), empty_label=_("All organisations")
    )
    consequence = django_filters.MultipleChoiceFilter(
        choices=Consequence.choices,
        label=_("Consequence"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a plain column: DISTINCT would sort every match before the page is cut
    )
    created = PeriodFilter(
        field_name="created_at",
        label=_("Reported between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    occurred = PeriodFilter(
        field_name="occurred_at",
        label=_("Happened between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Only overdue"),
        widget=forms.CheckboxInput,
    )
    ordering = Ordering(
        fields=(
            ("created_at", "created"),
            ("occurred_at", "occurred"),
            ("reference", "reference"),
            ("status", "status"),
            ("consequence", "consequence"),
            ("answer_due", "answer_due"),
        ),
        field_labels={
            "created_at": _("Reported"),
            "occurred_at": _("Happened"),
            "reference": _("Reference"),
            "status": _("Status"),
            "consequence": _("Consequence"),
            "answer_due": _("Answer due"),
        },
        label=_("Sort by"),
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Deviation
        fields: list[str] = []
        form = DeviationFilterForm

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnerships = roles_of(user).partnerships
        organisations = Organisation.objects.filter(partnership__in=partnerships).order_by("name")
        self.filters["category"].queryset = Category.objects.filter(partnership__in=partnerships)  # type: ignore[attr-defined]  # a ModelChoiceFilter
        self.filters["reporting_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceFilter
        self.filters["responsible_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceFilter
        # Bootstrap's classes on the widgets themselves: the form is drawn with plain field
        # templates (partials/filter_field.html), which costs a list page far less than crispy.
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def filter_overdue(self, queryset: DeviationQuerySet, name: str, value: bool | None) -> DeviationQuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def search(self, queryset: DeviationQuerySet, name: str, value: str) -> DeviationQuerySet:
        return search_deviations(queryset, value)
