"""In the browser: a partnership administrator takes an organisation over from the register
sample, adds a unit to it, adds a category named in three languages and names the council.
Every page axe-clean at desktop and phone width."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from avvik.catalogue.models import Category
from avvik.register.services import register_import
from avvik.tenancy.models import Organisation
from tests.e2e.helpers import Audit, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "avvik/register/samples/adresseregister-demo.csv"


def test_a_partnership_administrator_sets_up_the_partnership(page, world, partnership_admin):
    register_import(partnership=world.partnership, data=SAMPLE.read_bytes(), source=SAMPLE.name, by=None)
    audit = Audit(page)
    login(page, partnership_admin.email)

    page.goto(reverse("partnership_admin:organisations"))
    audit.check("organisations", phone_width=True)
    # By address: the link texts are translated when the catalogue is (locale/ is built apart).
    page.locator(f"main a[href^='{reverse('partnership_admin:organisation_create')}']").click()
    page.wait_for_load_state()
    page.select_option("#id_entry", label="8020001 Bergvik kommune")
    page.locator("[data-take-over]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_name")).to_have_value("Bergvik kommune")
    expect(page.locator("#id_her_id")).to_have_value("8020001")
    audit.check("new organisation from the register", phone_width=True)
    page.select_option("#id_kind", "municipality")
    page.select_option("#id_written_form", "nn")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    bergvik = Organisation.objects.get(partnership=world.partnership, her_id="8020001")
    assert (bergvik.name, bergvik.written_form) == ("Bergvik kommune", "nn")

    page.locator(f"a[href='{reverse('partnership_admin:units', args=[bergvik.pk])}']").click()
    page.wait_for_load_state()
    audit.check("units, none yet")
    page.locator(f"main a[href='{reverse('partnership_admin:unit_create', args=[bergvik.pk])}']").click()
    page.wait_for_load_state()
    page.fill("#id_name", "Bergvik sykehjem")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main table")).to_contain_text("Bergvik sykehjem")
    audit.check("units", phone_width=True)

    page.goto(reverse("partnership_admin:category_create"))
    page.fill("#id_name", "Legemiddelliste mangler")
    page.fill("#id_name_nn", "Legemiddelliste manglar")
    page.fill("#id_name_en", "Medication list missing")
    page.fill("#id_position", "15")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main table")).to_contain_text("Legemiddelliste manglar")
    audit.check("categories", phone_width=True)
    category = Category.objects.get(partnership=world.partnership, name="Legemiddelliste mangler")
    assert (category.name_nn, category.name_en, category.position) == (
        "Legemiddelliste manglar",
        "Medication list missing",
        15,
    )

    page.goto(reverse("partnership_admin:settings"))
    audit.check("partnership settings", phone_width=True)
    page.fill("#id_council_name", "SSU")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-small-count-threshold]")).to_contain_text("SSU")
    world.partnership.refresh_from_db()
    assert world.partnership.council_name == "SSU"
    audit.assert_clean()
