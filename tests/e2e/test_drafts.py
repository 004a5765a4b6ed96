"""Nothing typed is lost when the server refuses or fails: static/js/drafts.js keeps the filing form
and the message form in the tab's sessionStorage (never the patient section), offers them back,
and forgets them when the form was saved and at logout."""

import json
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from avvik.cases import services
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment
from tests.builders import file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e

TITLE = "Medisinlisten fulgte ikke pasienten"
DESCRIPTION = "Pasienten kom til hjemmetjenesten uten oppdatert medisinliste.\nSykepleier ringte legevakten."
PATIENT_NAME = "Kari Pasientsen"
PATIENT_NUMBER = "01010012356"


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def drafts(page) -> dict:
    """What this tab keeps: every draft, by key."""
    stored = page.evaluate("() => JSON.stringify(sessionStorage)")
    return {key: value for key, value in json.loads(stored).items() if key.startswith("samhandling.draft:")}


def fails(**kwargs):
    raise RuntimeError("the database went away")


def _fill_filing_form(page, world) -> None:
    page.fill("#id_title", TITLE)
    page.fill("#id_occurred_at", (timezone.localtime() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_consequence", "minor")
    page.select_option("#id_potential_consequence", "moderate")
    page.select_option("#id_category", label="Nedetid (planlagt eller uplanlagt)")
    page.fill("#id_description", DESCRIPTION)
    page.select_option("#id_counterpart", label=world.municipality.name)
    page.fill("#id_patient_name", PATIENT_NAME)
    page.fill("#id_patient_identity_number", PATIENT_NUMBER)


def test_a_failed_filing_is_offered_back_without_the_patient_and_forgotten_at_logout(
    page, world, reporter, monkeypatch
):
    audit = Audit(page)
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_be_hidden()  # nothing kept yet
    _fill_filing_form(page, world)

    # The server fails: our own 500 page says the text is kept.
    monkeypatch.setattr(services, "deviation_submit", fails)
    page.get_by_role("button", name="Send avviket").click()
    expect(page.locator("h1")).to_have_text(nb("Something went wrong on our side"))
    assert "the database went away" not in page.content()
    audit.check("500 page")
    assert not Deviation.objects.exists()

    # What was typed is in the tab, the patient is not.
    kept = drafts(page)
    assert list(kept) == ["samhandling.draft:/avvik/ny/"]
    stored = kept["samhandling.draft:/avvik/ny/"]
    assert TITLE in stored and "legevakten" in stored
    assert PATIENT_NAME not in stored and PATIENT_NUMBER not in stored
    assert "patient_name" not in stored and "csrfmiddlewaretoken" not in stored

    # Back to the form: it is empty, and the notice offers the text back.
    page.goto("/avvik/ny/")
    expect(page.locator("#id_title")).to_have_value("")
    expect(notice).to_be_visible()
    audit.check("filing form offering a draft back", phone_width=True)
    notice.get_by_role("button", name=nb("Restore what you typed")).click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
    expect(page.locator("#id_consequence")).to_have_value("minor")
    expect(page.locator("#id_category option:checked")).to_have_text("Nedetid (planlagt eller uplanlagt)")
    expect(page.locator("#id_counterpart option:checked")).to_have_text(world.municipality.name)
    expect(page.locator("#id_patient_name")).to_have_value("")
    expect(page.locator("#id_patient_identity_number")).to_have_value("")
    expect(page.locator("[data-draft-restored]")).to_be_focused()
    expect(page.locator("[data-draft-offer]")).to_be_hidden()
    audit.check("filing form with the draft restored", phone_width=True)

    # Logging out forgets every draft: wards share computers.
    page.locator("form[data-drafts-clear] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert drafts(page) == {}
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    expect(notice).to_be_hidden()
    audit.assert_clean()


def test_a_filing_that_succeeds_forgets_its_draft(page, world, reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    _fill_filing_form(page, world)
    page.get_by_role("button", name="Send avviket").click()
    deviation = Deviation.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/avvik/{deviation.reference}/$"))
    expect(page.locator("[data-message-level=success]")).to_contain_text(deviation.reference)
    assert drafts(page) == {}
    page.goto("/avvik/ny/")
    expect(page.locator("[data-draft-notice]")).to_be_hidden()


def test_a_refused_filing_shows_what_was_typed_without_offering_it_again(page, world, reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", DESCRIPTION)
    page.get_by_role("button", name="Send avviket").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("[data-draft-notice]")).to_be_hidden()  # the form holds it already
    assert TITLE in drafts(page)["samhandling.draft:/avvik/ny/"]


def test_a_failed_message_is_offered_back_on_the_case_page(page, world, reporter, monkeypatch):
    deviation = file_case(reporter, world.municipality)
    case_page = f"/avvik/{deviation.reference}/"
    login(page, reporter.email)
    page.goto(case_page)
    page.fill("#id_body", "Har dere fått epikrisen nå?")
    monkeypatch.setattr(services, "comment_add", fails)
    page.get_by_role("button", name="Send kommentar").click()
    expect(page.locator("h1")).to_have_text(nb("Something went wrong on our side"))
    assert not Comment.objects.exists()

    monkeypatch.undo()
    page.goto(case_page)
    form = page.locator("form[data-draft]")
    expect(form.locator("#id_body")).to_have_value("")
    notice = form.locator("[data-draft-notice]")
    expect(notice).to_be_visible()
    audit = Audit(page)
    audit.check("case page offering a message back", phone_width=True)
    notice.get_by_role("button", name=nb("Restore what you typed")).click()
    expect(form.locator("#id_body")).to_have_value("Har dere fått epikrisen nå?")
    page.get_by_role("button", name="Send kommentar").click()
    expect(page.locator("[data-message-level=success]")).to_be_visible()
    assert Comment.objects.get().body == "Har dere fått epikrisen nå?"
    assert drafts(page) == {}
    audit.assert_clean()


def test_another_persons_drafts_are_gone_when_someone_else_signs_in(page, world, reporter, counterpart_reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    page.fill("#id_title", TITLE)
    assert drafts(page)
    # The session ends without a logout (e.g. it expired), and a colleague signs in in the same tab.
    login(page, counterpart_reporter.email)
    assert drafts(page) == {}
    page.goto("/avvik/ny/")
    expect(page.locator("[data-draft-notice]")).to_be_hidden()
