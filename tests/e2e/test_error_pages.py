"""The error pages and a list refusing its filter, in the browser: axe-clean at both widths, and a text
too long for the server is kept in the tab and offered back."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from avvik.cases.models.deviation import Deviation
from tests.builders import file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def test_the_error_pages_and_a_refused_filter_are_accessible(page, world, reporter, coordinator):
    listed = file_case(reporter, world.municipality)
    audit = Audit(page)
    page.goto("/finnes-ikke/")
    expect(page.locator("h1")).to_have_text(nb("Page not found"))
    audit.check("404, signed out", phone_width=True)

    login(page, reporter.email)
    response = page.goto("/avvik/triage/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text(nb("You do not have access"))
    audit.check("403", phone_width=True)
    response = page.goto("/avvik/SA-2026-FINNES/")
    assert response.status == 404
    audit.check("404, signed in", phone_width=True)

    login(page, coordinator.email)
    response = page.goto("/avvik/alle/?created_after=2026-13-45&created_before=2026-01-01&category=999999")
    assert response.status == 400
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_role("link", name=listed.reference)).to_have_count(0)
    expect(page.locator("#id_created-error")).to_have_text(nb("The from date is not a real date."))
    # Each link of the summary leads to its field.
    for index in range(summary.locator("a").count()):
        link = summary.locator("a").nth(index)
        target = page.locator(link.get_attribute("href"))
        expect(target).to_have_attribute("aria-invalid", "true")
        link.click()
        expect(target).to_be_focused()
    audit.check("all deviations, the filter refused", phone_width=True)
    audit.assert_clean()


def test_a_text_too_long_for_the_server_gets_413_and_is_offered_back(page, world, reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    page.fill("#id_title", "For lang beskrivelse")
    page.select_option("#id_counterpart", label=world.municipality.name)
    # More than the server reads, typed (pasted) into the description.
    too_long = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10
    page.locator("#id_description").evaluate(
        """(field, length) => {
            field.value = "Lang tekst. ".repeat(Math.ceil(length / 12));
            field.dispatchEvent(new Event("input", { bubbles: true }));
        }""",
        too_long,
    )
    with page.expect_response(re.compile(r"/avvik/ny/")) as answer:
        page.get_by_role("button", name="Send avviket").click()
    assert answer.value.status == 413
    expect(page.locator("h1")).to_have_text(nb("The text was too long"))
    audit = Audit(page)
    audit.check("413", phone_width=True)
    assert not Deviation.objects.exists()

    page.get_by_role("link", name=nb("Back to the form")).click()
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_be_visible()
    notice.get_by_role("button", name=nb("Restore what you typed")).click()
    expect(page.locator("#id_title")).to_have_value("For lang beskrivelse")
    length = page.locator("#id_description").evaluate("field => field.value.length")
    assert length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    audit.assert_clean()


def test_files_too_large_are_named_before_anything_is_sent(page, world, reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    too_large = settings.ATTACHMENT_MAX_BYTES + 1024 * 1024
    page.set_input_files(
        "#id_attachments",
        [{"name": "skannet-epikrise.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * too_large}],
    )
    message = page.locator("#id_attachments-size")
    expect(message).to_contain_text("skannet-epikrise.pdf")
    expect(message).to_contain_text("11 MB")
    expect(page.locator("#id_attachments")).to_have_attribute("aria-invalid", "true")
    audit = Audit(page)
    audit.check("filing form, a file too large", phone_width=True)

    page.get_by_role("button", name="Send avviket").click()
    expect(page.locator("#id_attachments")).to_be_focused()
    assert posts == []  # nothing went to the server

    page.set_input_files(
        "#id_attachments", [{"name": "notat.txt", "mimeType": "text/plain", "buffer": b"Melding sendt kl. 10.\n"}]
    )
    expect(message).to_have_text("")
    expect(page.locator("#id_attachments")).not_to_have_attribute("aria-invalid", "true")
    audit.assert_clean()
