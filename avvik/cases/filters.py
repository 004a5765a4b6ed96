"""One FilterSet for every deviation list; choices narrowed to the person's partnerships.

Every field is checked: a list with a filter in error shows nothing (the view answers 400 with
the message beside the field), so a mistyped filter never passes for "all cases".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Model, Value, When
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

from avvik.access.roles import roles_of
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import DeviationQuerySet
from avvik.cases.search import search_deviations
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.core.statements import kept_rows
from avvik.tenancy.models import Organisation, User

if TYPE_CHECKING:
    import django_filters.widgets
    from django_stubs_ext import StrOrPromise


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


@dataclass(frozen=True)
class DrawnField:
    """What the list's hand-written filter form needs of a field (cases/partials/list_filter_field.html):
    the widget's attributes already joined, and each choice with its id and whether it is chosen."""

    field: forms.BoundField
    attrs: str
    options: list[tuple[str, str, bool, str]]

    # The choices' markup is made here rather than in the template: a list page draws about a
    # hundred of them, each several template nodes.
    @property
    def select_options(self) -> SafeString:
        """A drop-down's <option> elements."""
        return mark_safe(  # noqa: S308  # the values and labels are escaped
            "".join(
                f'<option value="{escape(value)}"{" selected" if chosen else ""}>{escape(label)}</option>'
                for value, label, chosen, _id in self.options
            )
        )

    @property
    def check_boxes(self) -> SafeString:
        """A multiple choice's check boxes, each with its label; marked invalid with the field."""
        name = escape(self.field.html_name)
        invalid = ' aria-invalid="true"' if self.field.errors else ""
        return mark_safe(  # noqa: S308  # the names, values, ids and labels are escaped; attrs is flatatt's
            "".join(
                f'<div class="form-check"><input type="checkbox" name="{name}" value="{escape(value)}"{self.attrs}'
                f' id="{escape(id_)}"{" checked" if chosen else ""}{invalid}>'
                f'<label for="{escape(id_)}" class="form-check-label">{escape(label)}</label></div>'
                for value, label, chosen, id_ in self.options
            )
        )


class DeviationFilterForm(forms.Form):
    """The filter form. A field in error is marked for assistive technology and points at its
    message, which the template draws beside it (cases/partials/list_filter_field.html)."""

    # The person's partnerships, which the choices are narrowed to (set by DeviationFilter).
    partnerships: tuple[int, ...] = ()

    @cached_property
    def drawn(self) -> dict[str, DrawnField]:
        """Every field as the list page draws it. Django's widget templates render an include per
        option and per attribute, which cost a list page more than its rows; this is plain data."""
        return {name: self._drawn(self[name], self.choice_rows) for name in self.fields}

    @cached_property
    def choice_rows(self) -> dict[type[Model], list[Any]]:
        """The rows the model choice fields offer, by model. Both organisation fields list the same
        rows: read once, and as a plain query (a model choice field reads through a server-side
        cursor, three statements each). The list's rows take their organisations and categories
        from here too."""
        rows: dict[type[Model], list[Any]] = {}
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                queryset = field.queryset
                assert queryset is not None  # set in DeviationFilter.__init__
                if queryset.model not in rows:
                    # Made from the partnerships alone (DeviationFilter.__init__), so its SQL is kept.
                    rows[queryset.model] = kept_rows(queryset, ("list filter", self.partnerships))
        return rows

    @staticmethod
    def _drawn(bound: forms.BoundField, rows: dict[type[Model], list[Any]]) -> DrawnField:
        field, widget = bound.field, bound.field.widget
        options: list[tuple[str, str, bool, str]] = []
        if isinstance(widget, forms.Select | forms.CheckboxSelectMultiple):
            value = bound.value()
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
                chosen = {str(v) for v in value or ()}
            else:
                chosen = {"" if value is None else str(value)}
            if isinstance(field, forms.ModelChoiceField):
                assert field.queryset is not None  # set in DeviationFilter.__init__
                choices: list[tuple[Any, Any]] = [("", field.empty_label)] if field.empty_label is not None else []
                choices += [(row.pk, field.label_from_instance(row)) for row in rows[field.queryset.model]]
            else:
                choices = list(field.choices)  # type: ignore[attr-defined]  # a choice field
            options = [
                (str(key), str(label), str(key) in chosen, f"{bound.auto_id}_{i}")
                for i, (key, label) in enumerate(choices)
            ]
        return DrawnField(field=bound, attrs=flatatt(widget.attrs), options=options)

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


def _by(*fields: Any) -> "Callable[[DeviationQuerySet], DeviationQuerySet]":
    return lambda queryset: queryset.order_by(*fields)


# Status in the order of the lifecycle, consequence from the least serious: not the stored words' order.
_STATUS_RANK = Case(
    *(When(status=value, then=Value(i)) for i, value in enumerate(Status.values)), output_field=IntegerField()
)
_CONSEQUENCE_RANK = Case(
    *(When(consequence=value, then=Value(i)) for i, value in enumerate(Consequence.values)), output_field=IntegerField()
)

# Every order a list can be sorted in: its label (each a whole sentence to translate, never put
# together from parts) and how to sort. The keys are what the query string says (?ordering=...).
SORTS: dict[str, tuple["StrOrPromise", "Callable[[DeviationQuerySet], DeviationQuerySet]"]] = {
    "urgent": (_("Most urgent deadline first"), lambda queryset: queryset.most_urgent_first()),
    "waiting_first": (_("Waiting for your answer first"), lambda queryset: queryset.waiting_first()),
    "-created": (_("Newest first"), _by("-created_at", "-pk")),
    "created": (_("Oldest first"), _by("created_at", "pk")),
    "-occurred": (_("Happened most recently first"), _by("-occurred_at", "-pk")),
    "occurred": (_("Happened longest ago first"), _by("occurred_at", "pk")),
    "answer_due": (_("Answer due, earliest first"), _by(F("answer_due").asc(nulls_last=True), "pk")),
    "-answer_due": (_("Answer due, latest first"), _by(F("answer_due").desc(nulls_last=True), "-pk")),
    "consequence": (_("Consequence, least serious first"), _by(_CONSEQUENCE_RANK, "-created_at", "-pk")),
    "-consequence": (_("Consequence, most serious first"), _by(_CONSEQUENCE_RANK.desc(), "-created_at", "-pk")),
    "status": (_("Status, new cases first"), _by(_STATUS_RANK, "-created_at", "-pk")),
    "-status": (_("Status, ended cases first"), _by(_STATUS_RANK.desc(), "-created_at", "-pk")),
    "reference": (_("Reference, ascending"), _by("reference")),
    "-reference": (_("Reference, descending"), _by("-reference")),
}
# Offered only on the list whose default it is (avvik.cases.queues: the reporter's own list).
_OWN_LIST_ONLY = {"waiting_first"}


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
    ordering = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _sort) in SORTS.items()],
        method="sort",
        label=_("Sort by"),
    )

    class Meta:
        model = Deviation
        fields: list[str] = []
        form = DeviationFilterForm

    def __init__(
        self,
        *args: Any,
        user: User,
        default_ordering: str = "-created",
        default_statuses: tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # In a fixed order: the choices' SQL is kept by it (DeviationFilterForm.choice_rows).
        partnerships = tuple(sorted(roles_of(user).partnerships))
        organisations = Organisation.objects.filter(partnership__in=partnerships).order_by("name")
        self.filters["category"].queryset = Category.objects.filter(partnership__in=partnerships)  # type: ignore[attr-defined]  # a ModelChoiceFilter
        self.filters["reporting_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceFilter
        self.filters["responsible_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceFilter
        # The form is made from the filters on first use, so only now.
        cast("DeviationFilterForm", self.form).partnerships = partnerships
        # The list's own order comes first (and is what the list shows without one chosen); then the
        # others, but the reporter's order only on the reporter's list.
        self.default_ordering = default_ordering
        self.default_statuses = default_statuses
        ordering = self.form.fields["ordering"]
        ordering.empty_label = None  # type: ignore[attr-defined]  # django-filter's ChoiceField
        ordering.choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (key, label)
            for key, (label, _sort) in sorted(SORTS.items(), key=lambda item: item[0] != default_ordering)
            if key == default_ordering or key not in _OWN_LIST_ONLY
        ]
        # Bootstrap's classes on the widgets themselves: the form is drawn by hand
        # (cases/partials/list_filter_field.html), which costs a list page far less than widgets.
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    @property
    def qs(self) -> DeviationQuerySet:
        """The filtered cases, with the list's defaults where the filter says nothing: also
        without any filter at all (an unbound filter set does not filter)."""
        if not hasattr(self, "_defaults_applied"):
            self._qs = self._with_defaults(cast("DeviationQuerySet", super().qs))
            self._defaults_applied = True
        return self._qs

    def _with_defaults(self, queryset: DeviationQuerySet) -> DeviationQuerySet:
        data = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
        if self.default_statuses is not None and not data.get("status"):
            # A work queue leaves ended (or finished) cases out until the status filter asks for them.
            queryset = queryset.filter(status__in=self.default_statuses)
        if not data.get("ordering"):
            queryset = SORTS[self.default_ordering][1](queryset)
        return queryset

    def sort(self, queryset: DeviationQuerySet, name: str, value: str) -> DeviationQuerySet:
        return SORTS[value][1](queryset)

    def filter_overdue(self, queryset: DeviationQuerySet, name: str, value: bool | None) -> DeviationQuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset

    def search(self, queryset: DeviationQuerySet, name: str, value: str) -> DeviationQuerySet:
        return search_deviations(queryset, value)
