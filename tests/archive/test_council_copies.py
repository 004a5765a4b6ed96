import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from avvik.council.choices import ReportStatus
from avvik.council.models import CouncilReport
from avvik.council.periods import Period
from tests.archive.pdfs import pdf_streams, pdfa_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    period = Period.quarter(2026, 3)
    report = CouncilReport.objects.create(
        partnership=world.partnership,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        status=ReportStatus.DONE,
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 test"))
    return report


def copy(client, report, variant):
    return client.get(reverse("archive:council_report", args=[report.pk, variant]))


def test_coordinators_get_the_report_as_pdfa(client, report, coordinator):
    client.force_login(coordinator)
    response = copy(client, report, "pdf-a")
    assert response.status_code == 200
    assert pdfa_part(response.content) == "3"


def test_coordinators_get_the_report_as_tagged_pdfua(client, report, coordinator):
    client.force_login(coordinator)
    response = copy(client, report, "pdf-ua")
    assert response.status_code == 200
    streams = [response.content, *pdf_streams(response.content)]
    assert any(b"/StructTreeRoot" in stream for stream in streams)  # tagged
    assert any(b'pdfuaid:part="1"' in stream or b"<pdfuaid:part>1<" in stream for stream in streams)


def test_an_unknown_variant_is_404(client, report, coordinator):
    client.force_login(coordinator)
    assert copy(client, report, "pdf-x").status_code == 404


def test_council_members_read_the_report_but_get_no_archive_copy(client, report, council_member):
    client.force_login(council_member)
    assert copy(client, report, "pdf-a").status_code == 403
    assert "arkivkopi" not in client.get(reverse("council:report", args=[report.pk])).content.decode()


def test_another_partnerships_coordinator_gets_404(client, report, foreigner):
    client.force_login(foreigner)
    assert copy(client, report, "pdf-a").status_code == 404


def test_the_report_page_offers_coordinators_both_copies(client, report, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("council:report", args=[report.pk])).content.decode()
    assert reverse("archive:council_report", args=[report.pk, "pdf-a"]) in page
    assert reverse("archive:council_report", args=[report.pk, "pdf-ua"]) in page
