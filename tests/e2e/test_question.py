"""The reporter answers the handler's question in the browser: the question at the top of the case
page, the answer box under it, and the case running again; axe-core clean at 1280 and 375 px."""

import pytest
from playwright.sync_api import expect

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment
from avvik.outbox.models import Notification
from tests.builders import drive, file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e

QUESTION = "Hvilket klokkeslett ble epikrisen sendt?"
ANSWER = "Den ble sendt kl. 14.05 fra DIPS."


def test_the_reporter_answers_the_question_and_the_case_runs_again(page, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.deviation_transition(action=Action.WAIT, deviation=deviation, by=handler, note=QUESTION)
    audit = Audit(page)

    login(page, reporter.email)
    page.goto(f"/avvik/{deviation.reference}/")
    card = page.locator("section", has=page.locator("#question-heading"))
    expect(card.get_by_role("heading", name="Et spørsmål til deg")).to_be_visible()
    expect(card).to_contain_text(QUESTION)
    expect(card).to_contain_text(handler.full_name)
    # The question comes first in the main column, and the comments say there is one.
    first_heading = page.locator("main .col-lg-8 h2").first
    expect(first_heading).to_have_text("Et spørsmål til deg")
    expect(page.locator("main")).not_to_contain_text("Ingen kommentarer ennå")
    audit.check("case page, reporter, a question waits", phone_width=True)

    # Sent empty: the error is named and the case still waits.
    card.get_by_role("button", name="Send svaret ditt").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    audit.check("case page, reporter, empty answer", phone_width=True)
    assert Deviation.objects.get(pk=deviation.pk).status == Status.WAITING

    card = page.locator("section", has=page.locator("#question-heading"))
    card.get_by_label("Svaret ditt").fill(ANSWER)
    card.get_by_role("button", name="Send svaret ditt").click()
    expect(page.locator("[data-message-level=success]")).to_contain_text(
        f"Svaret ditt er sendt. {world.municipality.name} får beskjed og går videre med saken."
    )
    expect(page.locator("#question-heading")).to_have_count(0)
    thread = page.locator("section", has=page.locator("#thread-heading"))
    expect(thread).to_contain_text(QUESTION)
    expect(thread).to_contain_text(ANSWER)
    expect(page.locator("section", has=page.locator("#timeline-heading"))).to_contain_text(
        "Gjenopptatt fordi melderen svarte på spørsmålet."
    )
    audit.check("case page, reporter, answered the question", phone_width=True)

    deviation.refresh_from_db()
    assert deviation.status == Status.IN_PROGRESS and deviation.waiting_since is None
    assert Comment.objects.get(deviation=deviation).body == ANSWER
    assert Notification.objects.filter(kind="reporter_replied", recipient=handler).exists()

    # The handler sees the answer under Comments, and the deadline running again.
    login(page, handler.email)
    page.goto(f"/avvik/{deviation.reference}/")
    expect(page.locator("section", has=page.locator("#thread-heading"))).to_contain_text(ANSWER)
    expect(page.locator("main")).not_to_contain_text("Satt på vent mens melder svarer")
    audit.check("case page, handler, after the reporter answered", phone_width=True)
    audit.assert_clean()


def test_the_reporter_confirms_withdrawing_on_a_page_that_says_what_happens(page, world, reporter):
    deviation = file_case(reporter, world.municipality)
    audit = Audit(page)
    login(page, reporter.email)
    page.goto(f"/avvik/{deviation.reference}/")
    details = page.locator("details", has=page.locator("summary", has_text="Trekk tilbake"))
    details.locator("summary").click()
    details.get_by_label("Hvorfor du trekker avviket tilbake").fill("Meldt på feil virksomhet.")
    details.get_by_role("button", name="Trekk tilbake").click()

    expect(page.locator("h1")).to_have_text("Trekke tilbake avviket?")
    expect(page.locator("main")).to_contain_text("kan ikke tas opp igjen")
    expect(page.locator("main")).to_contain_text("Meldt på feil virksomhet.")
    audit.check("withdraw confirmation", phone_width=True)
    assert Deviation.objects.get(pk=deviation.pk).status == Status.SUBMITTED

    # Going back keeps what was written.
    page.get_by_role("button", name="Nei, gå tilbake til saken").click()
    details = page.locator("details", has=page.locator("summary", has_text="Trekk tilbake"))
    expect(details.get_by_label("Hvorfor du trekker avviket tilbake")).to_have_value("Meldt på feil virksomhet.")
    details.get_by_role("button", name="Trekk tilbake").click()
    page.get_by_role("button", name="Ja, trekk tilbake avviket").click()
    expect(page.locator("[data-message-level=success]")).to_contain_text("Avviket er trukket tilbake.")
    assert Deviation.objects.get(pk=deviation.pk).status == Status.WITHDRAWN
    audit.assert_clean()
