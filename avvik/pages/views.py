"""The start page, the organisation directory and the accessibility statement."""

from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from avvik.access.guards import role_required
from avvik.access.roles import roles_of
from avvik.access.scoping import organisations_visible_to
from avvik.tenancy.models import Unit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the start page of their main role."""
    roles = roles_of(request.user)
    if roles.is_coordinator:
        return redirect("cases:triage")
    if roles.is_handler:
        return redirect("cases:handling")
    if roles.is_reporter:
        return redirect("cases:mine")
    if roles.is_council:
        return redirect("council:statistics")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "pages/no_role.html")


@require_GET
@role_required(lambda r: r.has_any)
def organisations(request: HttpRequest) -> HttpResponse:
    organisations = (
        organisations_visible_to(request.user)
        .select_related("partnership")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.filter(is_active=True).order_by("name")))
        .order_by("partnership__name", "kind", "name")
    )
    return render(request, "pages/organisations.html", {"organisations": organisations})


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tilgjengelighetserklæring), open to everyone."""
    return render(
        request,
        "pages/accessibility.html",
        {"contact_email": settings.CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]},
    )
