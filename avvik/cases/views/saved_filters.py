"""A person's saved filters: save the current filter under a name, open it, delete it. Each is the
owner's alone (404 for anyone else); only the query string is kept, and checked again when opened."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from avvik.access.roles import Roles, roles_of
from avvik.cases.filters import DeviationFilter
from avvik.cases.forms.saved_filters import SavedFilterForm, filter_query
from avvik.cases.models import Deviation, SavedFilter
from avvik.cases.queues import QUEUES
from avvik.cases.services.saved_filters import saved_filter_delete, saved_filter_save
from avvik.cases.views.lists import AllDeviationsView

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# Every list a filter can be saved for, and who may open it.
LISTS: dict[str, Callable[[Roles], bool]] = {
    **{name: queue.allowed for name, queue in QUEUES.items()},
    AllDeviationsView.list_name: AllDeviationsView.allowed,
}


def list_url(list_name: str, query: str = "") -> str:
    url = reverse(f"cases:{list_name}")
    return f"{url}?{query}" if query else url


def _saved_filter(request: "AuthenticatedHttpRequest", pk: int) -> SavedFilter:
    return get_object_or_404(SavedFilter.objects.owned_by(request.user), pk=pk)


@require_POST
def saved_filter_create(request: "AuthenticatedHttpRequest") -> HttpResponse:
    form = SavedFilterForm(request.POST)
    list_name = request.POST.get("list_name", "")
    allowed = LISTS.get(list_name)
    if allowed is None or not allowed(roles_of(request.user)):
        raise PermissionDenied
    query = filter_query(request.POST.get("query", "")).urlencode()
    back = HttpResponseRedirect(list_url(list_name, query))
    if not form.is_valid():
        messages.error(request, _("The filter was not saved: give it a name of at most 80 characters."))
        return back
    data = filter_query(query) if query else None
    checked = DeviationFilter(data, queryset=Deviation.objects.none(), user=request.user)
    if checked.is_bound and not checked.is_valid():
        messages.error(request, _("The filter was not saved: it has errors. Correct them first."))
        return back
    name = form.cleaned_data["name"]
    try:
        saved_filter_save(owner=request.user, name=name, list_name=list_name, query=query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(request, _("The filter “{name}” is saved.").format(name=name))
    return back


@require_GET
def saved_filter_open(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    """To the filter's list with its query; the list checks the person's rights and the query again."""
    saved = _saved_filter(request, pk)
    if saved.list_name not in LISTS:
        raise Http404
    return HttpResponseRedirect(list_url(saved.list_name, filter_query(saved.query).urlencode()))


@require_POST
def saved_filter_remove(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    saved = _saved_filter(request, pk)
    name, list_name = saved.name, saved.list_name
    saved_filter_delete(saved_filter=saved)
    messages.success(request, _("The filter “{name}” is deleted.").format(name=name))
    back = request.POST.get("back", "")
    return HttpResponseRedirect(list_url(back if back in LISTS else list_name if list_name in LISTS else "all"))
