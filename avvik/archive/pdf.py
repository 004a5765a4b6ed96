"""One case as a PDF, rendered like the council's report: WeasyPrint fetching only our static files."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from avvik.archive.documents import parties
from avvik.archive.selectors import CaseRecord
from avvik.council.pdf import StaticOnlyFetcher

TEMPLATE = "archive/case_pdf.html"
# The archival variant: PDF/A-3 allows embedded files, level b keeps the rendering exact.
PDF_A = "pdf/a-3b"


def render_case_html(record: CaseRecord) -> str:
    """The case as HTML in the active language, with what the reader's case page shows."""
    labels = {
        "reporting_organisation": _("Reported by"),
        "counterpart": _("Other party"),
        "responsible_organisation": _("Responsible organisation"),
    }
    context: dict[str, Any] = {
        "record": record,
        "deviation": record.deviation,
        "parties": [{**party, "label": labels[party["role"]]} for party in parties(record.deviation)],
    }
    return render_to_string(TEMPLATE, context)


def render_case_pdf(html: str, *, variant: str | None = None) -> bytes:
    """The PDF, tagged; `variant` is a WeasyPrint PDF variant such as PDF_A."""
    fetcher = StaticOnlyFetcher()  # type: ignore[no-untyped-call]  # the council's fetcher is typed loosely
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(pdf_tags=True, pdf_variant=variant)
    return pdf
