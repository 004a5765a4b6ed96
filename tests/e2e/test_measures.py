"""The responsible handler answers a case, adds a measure on the case page, and later marks it
carried out; the pages are axe-core clean at 1280 and 375 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avvik.cases.choices import Status
from avvik.measures.choices import MeasureStatus
from avvik.measures.models import Measure
from tests.builders import drive, file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e

WHAT = "Oppdatere adresselisten i journalsystemet."


def test_a_measure_is_added_when_answering_and_marked_carried_out(page, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    audit = Audit(page)
    login(page, handler.email)
    page.goto(f"/avvik/{deviation.reference}/")

    # The answer, through the case's own answer form.
    answer = page.locator("form[action$='/handling/answer/']")
    page.locator("details", has=answer).locator("summary").click()
    answer.locator("#id_answer-cause").fill("Feil adresse i adresselisten.")
    answer.locator("#id_answer-measures").fill("Se tiltakene under.")
    answer.locator("input[name='answer-measures_done'][value='false']").check()
    answer.locator("button[type=submit]").click()
    expect(page.locator("#answer-heading")).to_be_visible()

    # Right after answering, the measures section offers the form, open while there is none.
    section = page.locator("#measures")
    expect(section.locator("#id_measure-what")).to_be_visible()
    audit.check("case page, handler, no measures yet", phone_width=True)

    # Sent without a due date: the page says so and keeps what was typed.
    section.locator("#id_measure-what").fill(WHAT)
    section.locator("form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_measure-what")).to_have_value(WHAT)
    audit.check("add a measure, with an error", phone_width=True)
    assert not Measure.objects.exists()

    due = timezone.localdate() + timedelta(days=14)
    page.locator("#id_measure-due_date").fill(due.isoformat())
    page.locator("main form button[type=submit]").first.click()
    section = page.locator("#measures")
    expect(section.locator("table")).to_contain_text(WHAT)
    expect(section.locator("table")).to_contain_text(world.municipality.name)
    audit.check("case page, handler, one measure", phone_width=True)
    measure = Measure.objects.get(deviation=deviation)
    assert (measure.status, measure.due_date, measure.created_by) == (MeasureStatus.AGREED, due, handler)

    # The measures list, then the measure's own page, where it is marked carried out.
    page.goto("/tiltak/")
    expect(page.locator("main table")).to_contain_text(WHAT)
    audit.check("measures list", phone_width=True)
    page.locator("main table a", has_text=WHAT).click()
    page.locator("#id_status").select_option("carried_out")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-message-level=success]")).to_be_visible()
    audit.check("measure page, carried out", phone_width=True)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CARRIED_OUT and measure.carried_out_at is not None

    page.goto(f"/avvik/{deviation.reference}/")
    expect(page.locator("#measures table")).to_contain_text(WHAT)
    audit.assert_clean()
