"""One FilterSet for every deviation list; choices narrowed to the person's partnerships."""

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class Ordering(django_filters.OrderingFilter):
    # Our own words for the reversed order (django-filter's are not in Norwegian).
    descending_fmt = _("%s, descending")  # type: ignore[assignment]  # formatted with %, as a str is


class DeviationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
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
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at",
        label=_("Reported between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    occurred = django_filters.DateFromToRangeFilter(
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
