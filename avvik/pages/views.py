"""The start page, the organisation directory, the accessibility statement and the error pages."""

import logging
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
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


@login_not_required
@require_GET
def shortcuts(request: HttpRequest) -> HttpResponse:
    """The keyboard shortcuts (hurtigtaster): this page, and the "?" dialog that shows its list."""
    shortcuts_on = not request.user.is_authenticated or request.user.keyboard_shortcuts
    return render(request, "pages/shortcuts.html", {"shortcuts_on": shortcuts_on})


# The error pages: our layout, in the person's language, without Django's English text. Django
# calls them through samhandling/urls.py (handler400 …) and CSRF_FAILURE_VIEW; they are not routed.

log = logging.getLogger(__name__)


def _error_page(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    """The page in the site's layout; if even that fails (the layout reads the database), the plain
    server error page, which needs nothing."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()  # refused before AuthenticationMiddleware ran (e.g. an unknown host)
    try:
        return render(request, template, context or {}, status=status)
    except Exception:
        log.exception("the %s page could not be drawn", status)
        return server_error(request)


@requires_csrf_token  # the layout's forms (log out, language) carry a token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "403.html", 403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that had expired (or from another site): refused, and said so."""
    return _error_page(request, "403.html", 403, {"expired_form": True})


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


@requires_csrf_token
def request_too_large(request: HttpRequest, *, files: bool = False) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE, or (`files`) attachments over their limits: nothing
    was saved; what was typed is in the browser tab (static/js/drafts.js), and the way back is the
    page the form was on."""
    if request.path.startswith("/api/"):
        # Systems get the API's own answer (RFC 9457 problem+json, as avvik/api answers), not a page.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + (settings.ATTACHMENTS_MAX_TOTAL_BYTES if files else 0)
        problem = {
            "type": "about:blank",
            "title": _("Too large"),
            "status": 413,
            "code": "too_large",
            "detail": _("The request body may be at most {limit} bytes; nothing was saved.").format(limit=limit),
        }
        return JsonResponse(problem, status=413, content_type="application/problem+json")
    referer = request.headers.get("Referer", "")
    ours = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    back = referer if ours else ""
    context = {
        "back": back,
        "files": files,
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "file_limit": settings.ATTACHMENT_MAX_BYTES,
        "total_limit": settings.ATTACHMENTS_MAX_TOTAL_BYTES,
        "most_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
    return _error_page(request, "413.html", 413, context)


def server_error(request: HttpRequest) -> HttpResponse:
    """Drawn without the request: no context processor, no session and no database, which may be
    the very thing that failed. Only the translation of the active language is used."""
    return HttpResponseServerError(loader.get_template("500.html").render())
