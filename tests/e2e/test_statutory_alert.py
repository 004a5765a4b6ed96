"""A coordinator records the statutory alert on the case page: a missing answer on informing the
patient is named and nothing typed is lost; then the record shows on the page. axe-core clean."""

import pytest
from playwright.sync_api import expect

from avvik.duties.models import StatutoryAlert
from tests.builders import file_case
from tests.duties.helpers import grade, moderate_rule
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e


def test_the_coordinator_records_the_statutory_alert(page, world, reporter, coordinator):
    moderate_rule()
    deviation = grade(file_case(reporter, world.municipality), "moderate", unexpected=None)
    audit = Audit(page)

    login(page, coordinator.email)
    page.goto(f"/avvik/{deviation.reference}/")
    panel = page.locator("[data-duty-alert]")
    expect(panel).to_contain_text("Statens helsetilsyn, Ukom")
    expect(panel).to_contain_text("Spesialisthelsetjenesteloven § 3-3 a")
    audit.check("case page, coordinator, statutory alert required", phone_width=True)

    form = panel.locator("form")
    form.locator("input[name=recipients][value=Ukom]").uncheck()
    form.locator("input[name=reference]").fill("2026/4711")
    form.locator("button[type=submit]").click()

    # Neither informed nor a reason: said at the field, and the case number is still there.
    panel = page.locator("[data-duty-alert]")
    expect(panel.locator("#id_not_informed_reason")).to_have_attribute("aria-invalid", "true")
    expect(panel.locator("input[name=reference]")).to_have_value("2026/4711")
    expect(panel.locator("input[name=recipients][value=Ukom]")).not_to_be_checked()
    audit.check("case page, coordinator, alert form with an error", phone_width=True)
    assert not StatutoryAlert.objects.exists()

    panel.locator("textarea[name=not_informed_reason]").fill("Pasienten er informert av fastlegen.")
    panel.locator("button[type=submit]").click()
    expect(page.locator("[data-message-level=success]")).to_be_visible()
    expect(page.locator("[data-duty-alert]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("2026/4711")
    audit.check("case page, coordinator, statutory alert recorded", phone_width=True)
    audit.assert_clean()

    alert = StatutoryAlert.objects.get(deviation=deviation)
    assert alert.recipients == ["Statens helsetilsyn"]
    assert alert.reference == "2026/4711"
