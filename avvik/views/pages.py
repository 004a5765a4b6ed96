"""The start page, organisations, the accessibility statement and the health check."""

from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from avvik.health import health_report
from avvik.selectors import (
    organisations_visible_to,
    roles_of,
)
from avvik.views.common import role_required


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the start page of their main role."""
    roles = roles_of(request.user)
    if roles.is_coordinator:
        return redirect("avvik:triage")
    if roles.is_handler:
        return redirect("avvik:handling")
    if roles.is_reporter:
        return redirect("avvik:mine")
    if roles.is_council:
        return redirect("avvik:statistics")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "avvik/no_role.html")


# Other pages ---------------------------------------------------------------------------


@require_GET
@role_required(lambda r: r.has_any)
def organisations(request: HttpRequest) -> HttpResponse:
    return render(request, "avvik/organisations.html", {"organisations": organisations_visible_to(request.user)})


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tilgjengelighetserklæring), open to everyone."""
    return render(
        request,
        "avvik/accessibility.html",
        {"contact_email": settings.CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health_report()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}},
        status=200 if healthy else 503,
    )
