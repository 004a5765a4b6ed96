"""In the browser: a partnership administrator records a decision to change the council's threshold;
without its reference nothing is saved and nothing typed is lost. Axe-clean at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from avvik.council.models import ThresholdDecision
from avvik.tenancy.choices import Role
from tests.e2e.helpers import Audit, login
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_partnership_administrator_records_a_threshold_decision(page, world):
    admin = UserFactory(email="partnerskap@test")
    grant(admin, Role.PARTNERSHIP_ADMIN, partnership=world.partnership)
    audit = Audit(page)
    login(page, admin.email)
    page.goto(f"/statistikk/terskel/?p={world.partnership.slug}")
    audit.check("threshold page, no decision yet", phone_width=True)

    page.fill("#id_new_threshold", "7")
    page.fill("#id_decided_on", "2026-06-01")
    page.fill("#id_reason", "Få saker per kvartal i de minste kommunene.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_reference")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_reason")).to_have_value("Få saker per kvartal i de minste kommunene.")
    assert not ThresholdDecision.objects.exists()
    audit.check("threshold page, reference missing")

    page.fill("#id_reference", "SSU 01.06.2026, sak 4/26")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main table")).to_contain_text("SSU 01.06.2026, sak 4/26")
    expect(page.locator("main table")).to_contain_text("5 → 7")
    world.partnership.refresh_from_db()
    assert world.partnership.small_count_threshold == 7
    audit.check("threshold page with a decision", phone_width=True)
    audit.assert_clean()
