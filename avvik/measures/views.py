"""The measures list, adding a measure to a case and following a measure up."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from avvik.access.guards import role_required
from avvik.cases.models.deviation import Deviation
from avvik.measures import permissions, services
from avvik.measures.filters import MeasureFilter
from avvik.measures.forms import FollowUpForm, MeasureForm
from avvik.measures.models import Measure
from avvik.measures.selectors import followed_measures, followed_organisations

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The same sentence as the case page's, so it has one translation.
NOT_SAVED = gettext_noop("The form has errors. Nothing was saved; see the fields marked below.")


@require_GET
@role_required(lambda roles: roles.is_handler or roles.is_coordinator)
def measure_list(request: "AuthenticatedHttpRequest") -> HttpResponse:
    """The measures the person follows, filtered and sorted by due date."""
    measures = followed_measures(request.user)
    measure_filter = MeasureFilter(
        request.GET or None, queryset=measures, organisations=followed_organisations(request.user)
    )
    listed = measure_filter.qs if measure_filter.is_bound else measures
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/measure_list.html",
        {"filter": measure_filter, "page_obj": page, "query": query.urlencode()},
        status=200 if not measure_filter.is_bound or measure_filter.is_valid() else 400,
    )


@require_http_methods(["GET", "POST"])
def measure_create(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    """Add a measure to a case: a page of its own, also reached from the form on the case page."""
    deviation = get_object_or_404(
        Deviation.objects.visible_to(request.user).select_related("responsible_organisation"), reference=reference
    )
    if not permissions.may_add(request.user, deviation):
        raise PermissionDenied
    form = MeasureForm(request.POST or None, deviation=deviation)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(deviation=deviation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure is added. It will be followed up until it is carried out."))
            return redirect("cases:detail", reference=deviation.reference)
    status = 200
    if form.is_bound:
        messages.error(request, _(NOT_SAVED))
        status = 400
    return render(request, "measures/measure_form.html", {"deviation": deviation, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def measure_detail(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    """A measure, and its follow-up form for those who may follow it up."""
    measure = get_object_or_404(
        Measure.objects.visible_to(request.user).select_related(
            "deviation", "responsible_organisation", "responsible_person", "evaluated_by", "created_by"
        ),
        pk=pk,
    )
    may_follow_up = permissions.may_follow_up(request.user, measure)
    if request.method == "POST" and not may_follow_up:
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, measure=measure) if may_follow_up else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.measure_follow_up(measure=measure, by=request.user, change=form.follow_up())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measure is updated."))
            return redirect("measures:detail", pk=measure.pk)
    status = 200
    if form is not None and form.is_bound:
        messages.error(request, _(NOT_SAVED))
        status = 400
    return render(request, "measures/measure_detail.html", {"measure": measure, "form": form}, status=status)
