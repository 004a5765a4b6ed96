"""The filters of the measures list: status, overdue, organisation, and the sort by due date."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.measures.choices import OPEN_STATUSES, MeasureStatus
from avvik.measures.models import Measure
from avvik.tenancy.models import Organisation

SORTS = {
    "due": (_("Due date, earliest first"), ("due_date", "pk")),
    "-due": (_("Due date, latest first"), ("-due_date", "-pk")),
}


class MeasureFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=MeasureStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Only overdue"), widget=forms.CheckboxInput)
    responsible_organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("Responsible organisation"), empty_label=_("All organisations")
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _sort) in SORTS.items()],
        method="sort",
        label=_("Sort by"),
        empty_label=None,
    )

    class Meta:
        model = Measure
        fields: list[str] = []

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the organisations whose measures the person may list.
        organisation_filter = self.filters["responsible_organisation"]
        assert isinstance(organisation_filter, django_filters.ModelChoiceFilter)
        organisation_filter.queryset = organisations.order_by("name")
        for form_field in self.form.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")

    def filter_overdue(self, queryset: QuerySet[Measure], name: str, value: bool) -> QuerySet[Measure]:
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())

    def sort(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        return queryset.order_by(*SORTS.get(value, SORTS["due"])[1])
