"""A person's exports: the page that follows one being made, its status as JSON, and the download."""

from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from avvik.cases import services as case_services
from avvik.cases.choices import AccessKind
from avvik.core.downloads import file_download
from avvik.exports.choices import ExportStatus
from avvik.exports.models import Export
from avvik.exports.selectors import exports_of

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _get_export_for_user(request: "AuthenticatedHttpRequest", pk: int) -> Export:
    """The person's own export; 404 for anyone else's."""
    return get_object_or_404(exports_of(request.user), pk=pk)


@require_GET
def export_list(request: "AuthenticatedHttpRequest") -> HttpResponse:
    return render(request, "exports/export_list.html", {"exports": exports_of(request.user)[:50]})


@require_GET
def export_detail(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponse:
    export = _get_export_for_user(request, pk)
    if request.GET.get("format") == "json":
        done = export.status == ExportStatus.DONE
        return JsonResponse(
            {
                "status": export.status,
                "label": str(export.get_status_display()),
                "written": export.rows_written,
                "total": export.rows_total,
                "percent": export.percent,
                "text": render_to_string("exports/export_progress_text.html", {"export": export}, request).strip(),
                "download": reverse("exports:download", args=[export.pk]) if done else None,
            }
        )
    return render(request, "exports/export_detail.html", {"export": export})


@require_GET
def export_download(request: "AuthenticatedHttpRequest", pk: int) -> HttpResponseBase:
    export = _get_export_for_user(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    # Logged as the list's download always was: the person, the list and its filter.
    case_services.access_log_write(
        user=request.user, kind=AccessKind.EXPORT, detail=f"{export.list_name}?{export.query}"
    )
    return file_download(export.file, filename=export.download_name, content_type=export.content_type)
