"""In the browser: a coordinator uploads a register file, reads the dry run, imports it; a reporter
then sees a HER-id warning on the filing form. Every page axe-clean at desktop and phone width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from avvik.register.models import ImportRun, RegisterEntry
from tests.e2e.helpers import Audit, login
from tests.register.helpers import csv_text, world_register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_checks_and_imports_a_register_file(page, world, coordinator, tmp_path):
    path = tmp_path / "adresseregister.csv"
    path.write_bytes(world_register(world) + csv_text("9999999,,organisation,=Formel HF,,").encode().split(b"\n", 1)[1])
    audit = Audit(page)
    login(page, coordinator.email)
    page.goto("/adresseregister/")
    audit.check("register page, empty", phone_width=True)
    page.set_input_files("#id_file", str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Sidevik sykehjem")
    expect(page.locator("main")).to_contain_text("=Formel HF")
    assert RegisterEntry.objects.count() == 0
    audit.check("dry run")
    page.locator("form[action$='/importer/'] button").click()
    page.wait_for_load_state()
    assert RegisterEntry.objects.filter(partnership=world.partnership).count() == 6
    expect(page.locator("main table").last).to_contain_text("adresseregister.csv")
    assert ImportRun.objects.get().by == coordinator
    audit.check("register page with an import", phone_width=True)
    audit.assert_clean()


def test_the_filing_form_shows_a_her_id_warning_when_sent_back(page, world, reporter):
    from avvik.register.services import register_import

    register_import(partnership=world.partnership, data=world_register(world), source="ar.csv", by=None)
    audit = Audit(page)
    login(page, reporter.email)
    page.goto(reverse("cases:new"))
    expect(page.locator("#her-ids-not-checked")).to_have_count(0)
    # A category about a message, so that the message fields are shown.
    message_category = page.get_attribute("[data-message-fields]", "data-message-categories").split(",")[0]
    page.select_option("#id_category", message_category)
    page.fill("#id_sender_her_id", "1234567")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator("#her-id-warnings")).to_contain_text("1234567")
    audit.check("filing form with a HER-id warning")
    audit.assert_clean()
