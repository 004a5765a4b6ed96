"""The filing form in a real browser: a chosen file survives the fødselsnummer warning, the
counterpart's unit list follows the chosen organisation (static/js/unit_filter.js), and a handler who
opens the form is told why they cannot file. axe-core checks every page at 1280 and 375 px."""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.held import HeldUpload
from avvik.demo.cases import demo_png
from tests.e2e.helpers import Audit, login
from tests.factories import UnitFactory

pytestmark = pytest.mark.e2e

TITLE = "Epikrise med feil adresse"


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def unit_options(page) -> list[str]:
    return [text.strip() for text in page.locator("#id_counterpart_unit option").all_text_contents()]


def test_a_chosen_file_survives_the_identity_number_warning_and_reaches_the_case(page, world, reporter, tmp_path):
    audit = Audit(page)
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    page.fill("#id_title", TITLE)
    page.fill("#id_occurred_at", (timezone.localtime() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_consequence", "minor")
    page.select_option("#id_potential_consequence", "moderate")
    page.select_option("#id_category", label="Nedetid (planlagt eller uplanlagt)")
    page.fill("#id_description", "Pasient 01010012356 fikk ikke epikrise.")
    page.select_option("#id_counterpart", label=world.municipality.name)
    screenshot = tmp_path / "skjermbilde.png"
    screenshot.write_bytes(demo_png())
    page.set_input_files("#id_attachments", str(screenshot))
    page.get_by_role("button", name="Send avviket").click()

    # Sent back with the warning: the file is kept, and said so.
    expect(page.locator("#error-summary")).to_contain_text("fødselsnummer")
    held = page.locator("[data-held-upload]")
    expect(held).to_have_count(1)
    expect(held).to_contain_text("Allerede lagt ved: skjermbilde.png (")
    expect(held.get_by_label(re.compile(r"Fjern"))).not_to_be_checked()
    assert HeldUpload.objects.get().owner == reporter
    audit.check("filing form with a kept file", phone_width=True)

    page.fill("#id_description", "Pasienten fikk ikke epikrise.")
    page.get_by_role("button", name="Send avviket").click()
    deviation = Deviation.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/avvik/{deviation.reference}/$"))
    expect(page.get_by_role("link", name="skjermbilde.png")).to_be_visible()
    attachment = deviation.attachments.get()
    assert attachment.original_name == "skjermbilde.png"
    with attachment.file.open("rb") as stored:
        assert stored.read() == demo_png()
    assert not HeldUpload.objects.exists()
    audit.assert_clean()


def test_the_unit_list_shows_only_the_units_of_the_chosen_organisation(page, world, reporter):
    UnitFactory(organisation=world.bystander_org, name="Legekontoret")
    audit = Audit(page)
    login(page, reporter.email)
    page.goto("/avvik/ny/")
    unknown = nb("Unknown or not relevant")
    # Nothing chosen yet: the units of every organisation but the reporter's own, grouped by organisation.
    expect(page.locator("#id_counterpart_unit optgroup")).to_have_count(2)
    assert unit_options(page) == [unknown, "Legekontoret", "Hjemmetjenesten"]

    page.select_option("#id_counterpart", label=world.municipality.name)
    expect(page.locator("#id_counterpart_unit option")).to_have_count(2)
    assert unit_options(page) == [unknown, "Hjemmetjenesten"]
    page.select_option("#id_counterpart_unit", label="Hjemmetjenesten")
    audit.check("filing form with the units of the chosen organisation", phone_width=True)

    # Another organisation: the unit chosen for the first one goes.
    page.select_option("#id_counterpart", label=world.bystander_org.name)
    expect(page.locator("#id_counterpart_unit")).to_have_value("")
    assert unit_options(page) == [unknown, "Legekontoret"]
    audit.assert_clean()


def test_a_handler_opening_the_filing_form_is_told_why_and_where_to_go(page, world, handler):
    audit = Audit(page)
    login(page, handler.email)
    response = page.goto("/avvik/ny/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Du kan ikke melde avvik")
    expect(page.locator("main")).to_contain_text("Du har ikke rollen melder i noen virksomhet")
    link = page.locator("main").get_by_role(
        "link", name=nb("Handle the deviations your organisation is responsible for")
    )
    audit.check("filing refused for a handler", phone_width=True)
    link.click()
    expect(page).to_have_url(re.compile(r"/avvik/til-behandling/$"))
    audit.assert_clean()
