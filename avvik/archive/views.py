"""Downloads of one case: JSON, PDF and the archive package. Fetch through the scoped door, one service call."""

from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from avvik.archive import services
from avvik.cases.views.common import deviation_for_user
from avvik.council.models import CouncilReport

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def case_json(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    content = services.case_export_json(deviation=deviation, by=request.user)
    return _download(content, filename=f"{deviation.reference}.json", content_type="application/json")


@never_cache
@require_GET
def case_pdf(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    content = services.case_export_pdf(deviation=deviation, by=request.user)
    return _download(content, filename=f"{deviation.reference}.pdf", content_type="application/pdf")


@never_cache
@require_GET
def case_package(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    content = services.case_archive_package(deviation=deviation, by=request.user)
    return _download(content, filename=f"{deviation.reference}-arkiv.zip", content_type="application/zip")


@never_cache
@require_GET
def council_report_copy(request: "AuthenticatedHttpRequest", pk: int, variant: str) -> HttpResponse:
    if variant not in services.COUNCIL_VARIANTS:
        raise Http404
    reports = CouncilReport.objects.visible_to(request.user).select_related("partnership")
    report = get_object_or_404(reports, pk=pk)
    content = services.council_report_archive_copy(report=report, by=request.user, variant=variant)
    label = report.period_label.replace(" ", "")
    name = f"samhandlingsavvik-{report.partnership.slug}-{label}-v{report.version}-{variant}.pdf"
    return _download(content, filename=name, content_type="application/pdf")
