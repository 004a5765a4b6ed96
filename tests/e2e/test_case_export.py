"""A case exported in a real browser: the handler opens an ended case, downloads it as PDF, as JSON and as
its archive package from the buttons on the case page; each download is access-logged. axe-core on the
case page with the export buttons, at desktop and phone width."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import AccessKind, Status
from avvik.cases.models.logs import AccessLog
from tests.archive.pdfs import pdf_text
from tests.builders import drive, file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def download(page, href: str):
    # By address: the buttons' words follow the person's language.
    with page.expect_download() as info:
        page.locator(f"a[href='{href}']").click()
    return info.value


def test_a_handler_exports_an_ended_case(page, world, reporter, handler, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = file_case(reporter, world.municipality, attachment=True, title="Epikrise sendt til feil HER-id")
    drive(case, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    audit = Audit(page)

    login(page, handler.email)
    page.goto(f"/avvik/{case.reference}/")
    expect(page.locator(f"a[href='/avvik/{case.reference}/arkiv.zip']")).to_be_visible()
    audit.check("case page with exports", phone_width=True)

    pdf = download(page, f"/avvik/{case.reference}/eksport.pdf")
    assert pdf.suggested_filename == f"{case.reference}.pdf"
    with open(pdf.path(), "rb") as file:
        assert case.reference in pdf_text(file.read())

    exported = download(page, f"/avvik/{case.reference}/eksport.json")
    with open(exported.path(), "rb") as file:
        assert json.load(file)["case"]["reference"] == case.reference

    package = download(page, f"/avvik/{case.reference}/arkiv.zip")
    with open(package.path(), "rb") as file:
        names = zipfile.ZipFile(io.BytesIO(file.read())).namelist()
    assert "arkivuttrekk.xml" in names and f"dokumenter/{case.reference}.pdf" in names

    logged = AccessLog.objects.filter(kind=AccessKind.CASE_EXPORT, user=handler, deviation=case)
    assert sorted(logged.values_list("detail", flat=True)) == ["archive", "json", "pdf"]
    audit.assert_clean()
