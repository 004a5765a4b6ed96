"""The rows of an export, read in the worker exactly as the list reads them: the list's own view,
set up for the person who asked, with the filter they had chosen. So the visibility
(`Deviation.objects.visible_to(user)`), the list's scope and the filter are the list's, evaluated now."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve

from avvik.access.roles import roles_of
from avvik.cases.views.lists import DeviationListView
from avvik.exports.choices import ExportFormat
from avvik.exports.models import Export


class ExportRefused(PermissionDenied):
    """The list cannot be read for this export now (gone, no longer allowed, or a filter in error).
    The reason is for the operators (the export's error); the person is told the export failed."""


@dataclass
class ListRows:
    """The number of deviations in the export, and its rows (a header first)."""

    total: int
    rows: Iterator[list[str]]


def list_rows(export: Export) -> ListRows:
    """The rows of the export's list for its owner, read now; ExportRefused when they may not be."""
    user = export.requested_by
    try:
        match = resolve(export.list_path)
    except Resolver404:
        raise ExportRefused("The list no longer exists.") from None
    view_class = getattr(match.func, "view_class", None)
    if not (isinstance(view_class, type) and issubclass(view_class, DeviationListView)):
        raise ExportRefused("The list no longer exists.")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = export.list_path
    request.GET = QueryDict(export.query)
    request.user = user
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    roles = roles_of(user)
    assert view.allowed is not None  # the list view refuses to run without it
    if not view.allowed(roles) or (export.file_format == ExportFormat.XLSX and not roles.is_coordinator):
        raise ExportRefused("You may no longer read this list.")
    queryset = view.get_queryset()
    if view.filterset.is_bound and not view.filterset.is_valid():
        raise ExportRefused("The filter has errors.")
    # The list's own columns and row order, in the language the person asked in.
    return ListRows(total=queryset.count(), rows=view._rows(export.language))
