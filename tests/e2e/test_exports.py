"""An Excel export in a real browser: the coordinator asks for it from the list, follows its progress
on the export page (updated by static JavaScript from the status endpoint), and downloads the file
when the worker is done; axe-core on the export pages at desktop and phone width.

Nothing is queued in the browser tests (tests/e2e/conftest.py): the test runs the worker's task itself."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from avvik.exports.choices import ExportStatus
from avvik.exports.models import Export
from avvik.exports.tasks import build_export
from tests.builders import file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def test_an_excel_export_is_followed_and_downloaded(page, world, reporter, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cases = [file_case(reporter, world.municipality, title=f"Labsvar {n} kom ikke fram") for n in range(3)]
    audit = Audit(page)

    login(page, coordinator.email)
    page.goto("/avvik/alle/?q=labsvar")
    page.locator("a[href*='format=xlsx']").click()
    expect(page).to_have_url(re.compile(r"/eksport/\d+/$"))
    export = Export.objects.get(requested_by=coordinator)
    assert export.query == "q=labsvar&format=xlsx"
    expect(page.locator("progress#export-progress")).to_be_visible()
    audit.check("export page, waiting", phone_width=True)

    # A worker has written one row of three: the page follows without being reloaded.
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_written=1, rows_total=3)
    expect(page.locator("[data-status-text]")).to_contain_text(re.compile(r"\b1\b.*\b3\b"))
    expect(page.locator("progress#export-progress")).to_have_attribute("value", "33")
    audit.check("export page, running", phone_width=True)

    # The worker makes the file; the page notices and offers the download.
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.PENDING, rows_written=0, rows_total=None)
    build_export(export.pk)
    download_link = page.locator(f"a[href='/eksport/{export.pk}/last-ned/']")
    expect(download_link).to_be_visible()
    audit.check("export page, done", phone_width=True)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("avvik-all-") and download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        sheet = load_workbook(file).active
    references = {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]}
    assert references == {case.reference for case in cases}

    page.goto("/eksport/")
    expect(page.locator(f"a[href='/eksport/{export.pk}/last-ned/']")).to_be_visible()
    audit.check("exports list", phone_width=True)
    audit.assert_clean()
