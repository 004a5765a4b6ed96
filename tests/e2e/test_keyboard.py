"""Filing a deviation with the keyboard alone: Tab, typing, arrow keys and Space, Enter."""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import Consequence
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {id: el.id, tag: el.tagName.toLowerCase(), inMain: !!el.closest("main"),
                    visible: el.getClientRects().length > 0,
                    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
        }"""
    )


def tab_to(page, element_id: str, *, limit: int = 25) -> None:
    """Press Tab until the field has focus; fail if focus leaves the page's main part first."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], f"focus went to something invisible: {now}"
        assert now["ring"], f"no visible focus ring on {now}"
        if now["id"] == element_id:
            return
        assert now["inMain"], f"focus left the form before {element_id}; passed {seen}"
        seen.append(now["id"] or now["tag"])
    raise AssertionError(f"{element_id} not reached with Tab; passed {seen}")


def test_filing_with_the_keyboard_alone(page, world, reporter):
    login(page, reporter.email)
    page.goto("/avvik/ny/")

    # The skip link is the first stop, and takes focus to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, "id_title")
    page.keyboard.type("Utskrivningsrapport manglet ved ankomst")

    tab_to(page, "id_consequence")
    for _ in range(5):  # empty → none → minor → moderate → significant → very serious
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_consequence")).to_have_value("very_serious")

    tab_to(page, "id_potential_consequence")
    for _ in range(6):  # … → very serious → death
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_potential_consequence")).to_have_value("death")

    # Very serious harm asks whether it was unexpected: a radio group, answered with Space and arrows.
    tab_to(page, "id_unexpected_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_unexpected_0")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_unexpected_1")).to_be_checked()

    tab_to(page, "id_category")
    page.keyboard.type("Nedetid")
    expect(page.locator("#id_category option:checked")).to_have_text("Nedetid (planlagt eller uplanlagt)")

    tab_to(page, "id_description")
    page.keyboard.type("Pasienten kom til sykehjemmet uten utskrivningsrapport.")

    tab_to(page, "id_counterpart")
    page.keyboard.type(world.municipality.name[:6])
    expect(page.locator("#id_counterpart option:checked")).to_have_text(world.municipality.name)

    # Past the optional fields to the send button.
    submit = page.locator("form.deviation-form button[type=submit]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if submit.evaluate("el => el === document.activeElement"):
            break
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/avvik/SA-\d{4}-[0-9A-Z]+/"))
    deviation = Deviation.objects.get(title="Utskrivningsrapport manglet ved ankomst")
    assert f"/avvik/{deviation.reference}/" in page.url
    assert deviation.reporter == reporter
    assert deviation.counterpart == world.municipality
    assert deviation.consequence == Consequence.VERY_SERIOUS
    assert deviation.potential_consequence == Consequence.DEATH
    assert deviation.unexpected is False
    assert deviation.category.name == "Nedetid (planlagt eller uplanlagt)"


def test_errors_are_announced_and_lead_to_their_fields(page, world, reporter):
    """Sending an empty form: the summary gets focus, and each of its links moves focus to its field."""
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    page.locator("form.deviation-form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    assert links.count() >= 4
    for index in range(links.count()):
        link = links.nth(index)
        field_id = link.get_attribute("href").lstrip("#")
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = (field.get_attribute("aria-describedby") or "").split()
        assert f"{field_id}_error" in described_by, f"{field_id} is not described by its error"
        link.focus()
        page.keyboard.press("Enter")
        expect(field).to_be_focused()
        summary.focus()
