"""Saving a list's filter under a name."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from avvik.cases.filters import DeviationFilter, PeriodFilter

# What a saved query may hold: the filter's own parameters (never a page number, a download format
# or anything else a link carried along).
FILTER_PARAMETERS = frozenset(
    parameter
    for name, filter_ in DeviationFilter.base_filters.items()
    for parameter in ((f"{name}_after", f"{name}_before") if isinstance(filter_, PeriodFilter) else (name,))
)
QUERY_MAX_LENGTH = 2000


def filter_query(query: str) -> QueryDict:
    """The filter's own parameters of a query string, with the empty ones left out."""
    kept = QueryDict(mutable=True)
    for key, values in QueryDict(query).lists():
        if key in FILTER_PARAMETERS:
            kept.setlist(key, [value for value in values if value])
    for key in [key for key, values in kept.lists() if not values]:
        del kept[key]
    return kept


class SavedFilterForm(forms.Form):
    """The name to save the current filter under; the list and the query come with the page."""

    name = forms.CharField(label=_("Name of the filter"), max_length=80)
    list_name = forms.CharField(widget=forms.HiddenInput, max_length=40)
    query = forms.CharField(widget=forms.HiddenInput, max_length=QUERY_MAX_LENGTH, required=False, strip=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwarded as given
        self.fields["name"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})
