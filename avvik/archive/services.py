"""Exports of one case: each download is access-logged, and the archive package is for ended cases only."""

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.archive import noark
from avvik.archive.documents import case_document
from avvik.archive.pdf import PDF_A, render_case_html, render_case_pdf
from avvik.archive.selectors import case_record
from avvik.cases.choices import AccessKind
from avvik.cases.models.deviation import Deviation
from avvik.cases.services import access_log_write
from avvik.council.choices import ReportStatus
from avvik.council.freezing import published_figures
from avvik.council.models import CouncilReport
from avvik.council.pdf import render_report_html, render_report_pdf
from avvik.council.periods import Period
from avvik.council.selectors import council_summaries
from avvik.tenancy.models import User

JSON = "json"
PDF = "pdf"
PACKAGE = "archive"


def case_export_json(*, deviation: Deviation, by: User) -> bytes:
    """The case as JSON (docs/case-export.md), for someone who reads it; `deviation` comes from the scoped door."""
    document = case_document(case_record(by, deviation))
    access_log_write(user=by, kind=AccessKind.CASE_EXPORT, deviation=deviation, detail=JSON)
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def case_export_pdf(*, deviation: Deviation, by: User) -> bytes:
    """The case page as a PDF."""
    pdf = render_case_pdf(render_case_html(case_record(by, deviation)))
    access_log_write(user=by, kind=AccessKind.CASE_EXPORT, deviation=deviation, detail=PDF)
    return pdf


def may_archive(deviation: Deviation) -> bool:
    """A package is the case's final record: only once it has ended (closed, rejected, withdrawn)."""
    return deviation.is_ended


def case_archive_package(*, deviation: Deviation, by: User) -> bytes:
    """The archive package (ZIP) of an ended case; refused while the case is still open."""
    if not may_archive(deviation):
        raise PermissionDenied(_("An archive package can only be made once the case has ended."))
    record = case_record(by, deviation)
    pdf = render_case_pdf(render_case_html(record), variant=PDF_A)
    content = noark.package(record, pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
    access_log_write(user=by, kind=AccessKind.CASE_EXPORT, deviation=deviation, detail=PACKAGE)
    return content


# The council report's archive copies: PDF/A for the archive, PDF/UA (tagged, for screen readers).
COUNCIL_VARIANTS = {"pdf-a": PDF_A, "pdf-ua": "pdf/ua-1"}


def council_report_archive_copy(*, report: CouncilReport, by: User, variant: str) -> bytes:
    """The report rendered again in an archive variant, for the partnership's coordinators.

    A completed period's figures are frozen at their first publication (avvik.council.freezing), so the
    copy shows the figures the archived report shows; the copy states its own time of rendering."""
    if report.partnership_id not in roles_of(by).coordinator_of:
        raise PermissionDenied(_("Only the contact point can download archive copies of the report."))
    if report.status != ReportStatus.DONE:
        raise PermissionDenied(_("The report is not finished yet."))
    period = Period(report.period_start, report.period_end, report.period_label)
    language = report.partnership.written_form
    with translation.override(language):
        stats, figures = published_figures(report.partnership, period)
        summaries = council_summaries(report.partnership, period)
    html = render_report_html(
        stats, summaries=summaries, generated_at=timezone.now(), language=language, figures=figures
    )
    return render_report_pdf(html, variant=COUNCIL_VARIANTS[variant])
