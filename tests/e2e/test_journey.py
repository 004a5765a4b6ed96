"""The whole journey in a real browser, with axe-core on every page at 1280 and 375 px.

A reporter files a deviation with an attachment, the coordinator forwards it, the municipality's
handler accepts and answers, the coordinator closes it and the reporter reads the answer. Then a
council member makes the quarterly report and downloads the PDF.
"""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.council.models import CouncilReport
from avvik.council.services import report_build
from avvik.demo.cases import demo_png
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e

TITLE = "Epikrise kom ikke fram til hjemmetjenesten"


def _open_action(page, label: str):
    """Open one of the case page's action panels (unless it is open) and give back its form."""
    summary = page.locator("> summary", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    details = page.locator("details", has=summary)
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    expect(details).to_have_attribute("open", "")
    return details.locator("form")


def test_the_journey_from_filing_to_the_council_report(
    page, world, reporter, coordinator, handler, council_member, tmp_path
):
    audit = Audit(page)

    # The login page, before anyone is signed in.
    page.goto("/accounts/login/")
    audit.check("login")

    # The reporter files a deviation with an attachment.
    login(page, reporter.email)
    expect(page).to_have_url(re.compile(r"/avvik/mine/$"))
    audit.check("my deviations, empty", phone_width=True)
    page.locator("main").get_by_role("link", name="Meld avvik").click()
    expect(page.locator("h1")).to_have_text("Meld avvik")
    audit.check("filing form", phone_width=True)

    page.get_by_role("button", name="Send avviket").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    assert page.locator(target).count() == 1, f"the error links to {target}, which is not on the page"
    audit.check("filing form with errors", phone_width=True)

    page.fill("#id_title", TITLE)
    page.select_option("#id_consequence", "minor")
    page.select_option("#id_potential_consequence", "moderate")
    page.select_option("#id_category", label="Nedetid (planlagt eller uplanlagt)")
    page.fill("#id_description", "Epikrisen var ikke mottatt tre dager etter utskrivning.")
    page.select_option("#id_counterpart", label=world.municipality.name)
    screenshot = tmp_path / "skjermbilde.png"
    screenshot.write_bytes(demo_png())
    page.set_input_files("#id_attachments", str(screenshot))
    page.get_by_role("button", name="Send avviket").click()

    deviation = Deviation.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/avvik/{deviation.reference}/$"))
    expect(page.locator(".messages")).to_contain_text(deviation.reference)
    expect(page.get_by_role("link", name="skjermbilde.png")).to_be_visible()
    audit.check("case page, reporter, submitted", phone_width=True)
    page.goto("/avvik/mine/")
    expect(page.get_by_role("link", name=deviation.reference)).to_be_visible()
    audit.check("my deviations", phone_width=True)

    # The coordinator finds it in triage and forwards it to the municipality.
    login(page, coordinator.email)
    expect(page).to_have_url(re.compile(r"/avvik/triage/$"))
    audit.check("triage list", phone_width=True)
    page.get_by_role("link", name=deviation.reference).click()
    audit.check("case page, coordinator, submitted", phone_width=True)
    form = _open_action(page, "Send videre")
    expect(form.locator("select[name=forward-to]")).to_have_value(str(world.municipality.pk))
    audit.check("case page, coordinator, forward panel open", phone_width=True)
    form.get_by_role("button", name="Send videre").click()
    expect(page.locator(".messages")).to_be_visible()
    deviation.refresh_from_db()
    assert deviation.status == Status.FORWARDED
    assert deviation.responsible_organisation == world.municipality

    page.goto("/avvik/alle/")
    page.locator("details > summary", has_text="Filtrer og sorter").click()
    expect(page.locator("#id_q")).to_be_visible()
    audit.check("all deviations, filters open", phone_width=True)
    page.goto("/frister/")
    audit.check("deadlines")

    # The municipality's handler accepts and answers.
    login(page, handler.email)
    expect(page).to_have_url(re.compile(r"/avvik/til-behandling/$"))
    audit.check("handling list", phone_width=True)
    page.get_by_role("link", name=deviation.reference).click()
    audit.check("case page, handler, forwarded", phone_width=True)
    form = _open_action(page, "Ta imot")
    form.get_by_role("button", name="Ta imot").click()
    expect(page.locator(".messages")).to_be_visible()
    form = _open_action(page, "Svar")
    form.get_by_role("button", name="Svar").click()  # nothing filled in
    form = _open_action(page, "Svar")
    expect(form.locator("#error-summary")).to_be_focused()
    audit.check("case page, handler, answer with errors", phone_width=True)
    form.get_by_label("Årsak").fill("Feil adresse i adresseregisteret.")
    form.get_by_label("Avtalte tiltak").fill("Adresselisten er rettet og kontrollert.")
    form.get_by_label("Ja").check()
    form.get_by_role("button", name="Svar").click()
    expect(page.locator(".messages")).to_be_visible()
    deviation.refresh_from_db()
    assert deviation.status == Status.ANSWERED
    assert deviation.measures_done is True

    # The coordinator closes it with a note.
    login(page, coordinator.email)
    page.goto(f"/avvik/{deviation.reference}/")
    audit.check("case page, coordinator, answered", phone_width=True)
    form = _open_action(page, "Lukk")
    form.get_by_label("Merknad ved lukking").fill("Godt svar, tiltaket er gjennomført.")
    form.get_by_role("button", name="Lukk").click()
    # A page says what closing will do, before it is done.
    expect(page.locator("h1")).to_have_text("Lukke avviket?")
    audit.check("close confirmation", phone_width=True)
    page.get_by_role("button", name="Ja, lukk avviket").click()
    expect(page.locator(".messages")).to_contain_text("Avviket er lukket.")
    deviation.refresh_from_db()
    assert deviation.status == Status.CLOSED

    # The reporter reads the answer.
    login(page, reporter.email)
    page.get_by_role("link", name=deviation.reference).click()
    answer = page.locator("#answer-heading").locator("xpath=ancestor::section[1]")
    expect(answer).to_contain_text("Feil adresse i adresseregisteret.")
    expect(answer).to_contain_text("Adresselisten er rettet og kontrollert.")
    expect(page.locator("main")).to_contain_text("Godt svar, tiltaket er gjennomført.")
    audit.check("case page, reporter, closed", phone_width=True)
    page.goto("/innstillinger/")
    audit.check("preferences")

    # A council member makes the quarterly report and downloads it.
    login(page, council_member.email)
    expect(page).to_have_url(re.compile(r"/statistikk/$"))
    audit.check("statistics")
    page.get_by_role("button", name=re.compile(r"^Lag PDF-rapporten for")).click()
    expect(page.locator("progress")).to_be_visible()
    audit.check("report page, in progress")
    report = CouncilReport.objects.get(partnership=world.partnership)
    assert report_build(report_id=report.pk) is True  # as the worker would
    download_link = page.get_by_role("link", name=re.compile("Last ned"))
    expect(download_link).to_be_visible(timeout=20_000)  # the page polls, then reloads
    audit.check("report page, done")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    audit.assert_clean()
