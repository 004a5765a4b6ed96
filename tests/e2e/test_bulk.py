"""Closing several cases at once in the browser: choose two on the list, give one reason, confirm."""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from tests.builders import drive, file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def test_choosing_two_cases_and_closing_them_with_one_reason(page, world, reporter, coordinator, handler):
    answered = [
        drive(
            file_case(reporter, world.municipality, title=f"Lab-svar mangler {n}"),
            Status.ANSWERED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        for n in (1, 2)
    ]
    untouched = drive(
        file_case(reporter, world.municipality, title="Skal stå åpen"),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    login(page, coordinator.email)
    audit = Audit(page)
    page.goto("/avvik/alle/")
    audit.check("the list with boxes to choose", phone_width=True)

    for deviation in answered:
        # Each box is labelled with the case's reference.
        box = page.locator(f"#choose-{deviation.reference}")
        expect(page.locator(f'label[for="choose-{deviation.reference}"]')).to_contain_text(deviation.reference)
        box.check()
    page.locator('#bulk-form button[value="close"]').click()

    # The confirmation page shows the two, and nothing is closed yet.
    expect(page).to_have_url(re.compile("/avvik/flere/$"))
    for deviation in answered:
        expect(page.locator("main table")).to_contain_text(deviation.reference)
    expect(page.locator("main table")).not_to_contain_text(untouched.reference)
    assert Deviation.objects.filter(status=Status.CLOSED).count() == 0
    audit.check("the confirmation page", phone_width=True)
    audit.assert_clean()

    page.locator("#id_note").fill("Drøftet i samarbeidsmøtet; tiltakene er gjennomført.")
    page.locator('main form button[type="submit"]').click()

    expect(page).to_have_url(re.compile("/avvik/alle/$"))
    expect(page.locator(".messages")).to_contain_text("2 ")
    for deviation in answered:
        deviation.refresh_from_db()
        assert deviation.status == Status.CLOSED
    untouched.refresh_from_db()
    assert untouched.status == Status.ANSWERED
    notes = Transition.objects.filter(action=Action.CLOSE).values_list("note", flat=True)
    assert list(notes) == ["Drøftet i samarbeidsmøtet; tiltakene er gjennomført."] * 2


def test_select_all_on_the_page_ticks_every_row(page, world, reporter, coordinator, handler):
    for n in (1, 2):
        file_case(reporter, world.municipality, title=f"Henvisning borte {n}")
    login(page, coordinator.email)
    page.goto("/avvik/alle/")

    page.locator("#bulk-all").check()

    expect(page.locator("[data-row-select]:checked")).to_have_count(2)
    page.locator("[data-row-select]").first.uncheck()
    expect(page.locator("#bulk-all")).not_to_be_checked()
