"""A day's work through the work queues in a real browser, by visible labels only, on a desktop and
on a phone, with axe-core on every queue page.

The coordinator opens "Mottak og fordeling" and forwards a new case; the municipality's handler
opens "Uten saksbehandler", accepts it and answers it; the coordinator opens the answered queue
and closes it; the reporter opens "Mine meldte avvik" and reads the answer.
"""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import Status
from avvik.cases.models.saved_filters import SavedFilter
from tests.builders import file_case
from tests.e2e.helpers import DESKTOP, axe_violations, login, page_width

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TITLE = "Labsvar kom ikke fram til fastlegen"


def open_queue(page, label: str) -> None:
    """Open a work queue from the navigation: the menu on a phone, the queue menu when there are several."""
    toggler = page.get_by_role("button", name="Vis meny")
    if toggler.is_visible():
        toggler.click()
    nav = page.locator("#main-nav")
    menu = nav.get_by_role("button", name="Arbeidskøer")
    if menu.count():
        menu.click()
    nav.get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b")).click()
    expect(page.locator("h1")).to_have_text(label)


def open_action(page, label: str):
    """Open one of the case page's action panels (unless it is open) and give back its form."""
    summary = page.locator("> summary", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    details = page.locator("details", has=summary)
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    expect(details).to_have_attribute("open", "")
    return details.locator("form")


class Findings:
    """axe-core's findings on each queue page, at the test's width; sideways scrolling on a phone."""

    def __init__(self, page, size):
        self.page, self.size, self.found = page, size, []

    def check(self, name: str) -> None:
        self.found += [f"{name}: {finding}" for finding in axe_violations(self.page)]
        if self.size is PHONE and page_width(self.page) > PHONE["width"]:
            self.found.append(f"{name}: scrolls sideways ({page_width(self.page)} px wide)")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_days_work_through_the_queues(page, world, reporter, coordinator, handler, size):
    page.set_viewport_size(size)
    findings = Findings(page, size)
    deviation = file_case(reporter, world.municipality, title=TITLE)

    # The coordinator routes the new case from "Mottak og fordeling".
    login(page, coordinator.email)
    open_queue(page, "Mottak og fordeling")
    queue = page.locator("main nav[aria-label='Arbeidskøer']")
    expect(queue.get_by_role("link", name="Mottak og fordeling (1 sak)")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Søk")).to_be_visible()  # the search box, outside the folded filter
    findings.check("Mottak og fordeling")
    page.get_by_role("link", name=deviation.reference).click()
    form = open_action(page, "Send videre")
    form.get_by_role("button", name="Send videre").click()
    expect(page.locator(".messages")).to_be_visible()
    deviation.refresh_from_db()
    assert deviation.status == Status.FORWARDED

    # The municipality's handler takes it from "Uten saksbehandler", accepts and answers it.
    login(page, handler.email)
    open_queue(page, "Uten saksbehandler")
    findings.check("Uten saksbehandler")
    page.get_by_role("link", name=deviation.reference).click()
    open_action(page, "Ta imot").get_by_role("button", name="Ta imot").click()
    expect(page.locator(".messages")).to_be_visible()
    open_queue(page, "Mine saker")
    expect(page.get_by_role("link", name=deviation.reference)).to_be_visible()
    findings.check("Mine saker")
    page.get_by_role("link", name=deviation.reference).click()
    form = open_action(page, "Svar")
    form.get_by_label("Årsak").fill("Laboratoriet sendte til en gammel HER-id.")
    form.get_by_label("Avtalte tiltak").fill("Adresseregisteret er oppdatert.")
    form.get_by_label("Ja").check()
    form.get_by_role("button", name="Svar").click()
    expect(page.locator(".messages")).to_be_visible()
    open_queue(page, "Forfalt")
    findings.check("Forfalt, handler")
    open_queue(page, "Til behandling")
    expect(page.get_by_role("link", name=deviation.reference)).to_have_count(0)  # answered: the work is done
    findings.check("Til behandling")

    # The coordinator closes it from the answered queue.
    login(page, coordinator.email)
    open_queue(page, "Besvart – til lukking")
    findings.check("Besvart – til lukking")
    page.get_by_role("link", name=deviation.reference).click()
    form = open_action(page, "Lukk")
    form.get_by_label("Merknad ved lukking").fill("Takk for svaret.")
    form.get_by_role("button", name="Lukk").click()
    findings.check("Lukke avviket?")
    page.get_by_role("button", name="Ja, lukk avviket").click()
    expect(page.locator(".messages")).to_be_visible()
    open_queue(page, "Venter på melder")
    findings.check("Venter på melder")
    open_queue(page, "Forfalt")
    findings.check("Forfalt, contact point")
    deviation.refresh_from_db()
    assert deviation.status == Status.CLOSED

    # The reporter finds the answer from "Mine meldte avvik".
    login(page, reporter.email)
    open_queue(page, "Mine meldte avvik")
    findings.check("Mine meldte avvik")
    page.get_by_role("link", name=deviation.reference).click()
    answer = page.locator("#answer-heading").locator("xpath=ancestor::section[1]")
    expect(answer).to_contain_text("Laboratoriet sendte til en gammel HER-id.")
    expect(answer).to_contain_text("Adresseregisteret er oppdatert.")

    assert not findings.found, "\n".join(findings.found)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_saves_a_filter_and_opens_it_again(page, world, reporter, coordinator, size):
    page.set_viewport_size(size)
    findings = Findings(page, size)
    serious = file_case(reporter, world.municipality, consequence="significant", title="Alvorlig: epikrise borte")
    minor = file_case(reporter, world.municipality, title="Liten forsinkelse")
    login(page, coordinator.email)
    open_queue(page, "Mottak og fordeling")
    page.get_by_text("Filtrer og sorter").click()
    page.get_by_label("Betydelig skade", exact=True).check()
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_role("link", name=serious.reference)).to_be_visible()
    expect(page.get_by_role("link", name=minor.reference)).to_have_count(0)
    page.get_by_label("Navn på filteret").fill("Alvorlige nye")
    page.get_by_role("button", name="Lagre dette filteret").click()
    expect(page.locator(".messages")).to_contain_text("Alvorlige nye")
    findings.check("Mottak og fordeling, filter saved")
    page.goto("/avvik/alle/")
    page.get_by_role("link", name="Alvorlige nye").click()
    expect(page).to_have_url(re.compile(r"/avvik/triage/\?ordering=urgent&consequence=significant$"))
    expect(page.get_by_role("link", name=minor.reference)).to_have_count(0)
    page.get_by_role("button", name="Slett Alvorlige nye").click()
    expect(page.get_by_role("link", name="Alvorlige nye")).to_have_count(0)
    assert not SavedFilter.objects.filter(owner=coordinator).exists()
    assert not findings.found, "\n".join(findings.found)
