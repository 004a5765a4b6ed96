"""axe-core on what the journey does not pass through: a case in every status, with a statutory alert,
a patient section, shared and internal messages; and the other pages in the menus."""

import pytest
from playwright.sync_api import expect

from avvik.cases import services
from avvik.cases.choices import Status
from tests.builders import drive, file_case
from tests.duties.helpers import law_rule
from tests.e2e.helpers import Audit, axe_violations, login

pytestmark = pytest.mark.e2e


def test_a_case_in_every_status_and_the_list_of_them(page, world, reporter, coordinator, handler):
    cases = {}
    for status in Status.values:
        deviation = file_case(reporter, world.municipality, title=f"Avvik som er {status}", attachment=True)
        cases[status] = drive(deviation, status, coordinator=coordinator, handler=handler, reporter=reporter)
    law_rule()
    serious = file_case(
        reporter,
        world.municipality,
        title="Alvorlig og uventet",
        consequence="very_serious",
        unexpected=True,
        patient=True,
    )
    services.comment_add(deviation=serious, by=reporter, body="Pasienten ble sendt hjem uten medisinliste.")
    services.comment_add(deviation=serious, by=coordinator, body="Sjekker adresseringen først.", internal=True)
    audit = Audit(page)

    login(page, coordinator.email)
    page.goto("/avvik/alle/")
    audit.check("all deviations, every status", phone_width=True)
    page.goto(f"/avvik/{serious.reference}/")
    expect(page.locator("[data-duty-alert] form")).to_be_visible()
    audit.check("case page, statutory alert, patient, messages", phone_width=True)
    for status, deviation in cases.items():
        page.goto(f"/avvik/{deviation.reference}/")
        audit.check(f"case page, {status}", phone_width=True)

    login(page, handler.email)
    page.goto(f"/avvik/{cases[Status.WAITING].reference}/")
    audit.check("case page, handler, waiting", phone_width=True)
    audit.assert_clean()


def test_the_other_pages_in_the_menus(page, world, reporter, coordinator):
    file_case(reporter, world.municipality)
    audit = Audit(page)
    page.goto("/tilgjengelighet/")
    audit.check("accessibility statement, signed out", phone_width=True)
    login(page, coordinator.email)
    for path, name in [
        ("/statistikk/", "statistics, coordinator"),
        ("/statistikk/volum/", "volumes"),
        ("/varsler/feilet/", "failed notifications"),
        ("/virksomheter/", "organisations"),
        ("/tilgjengelighet/", "accessibility statement, signed in"),
        ("/tilgangslogg/", "my access log"),
        ("/accounts/password_change/", "change password"),
    ]:
        page.goto(path)
        audit.check(name, phone_width=True)
    audit.assert_clean()


def test_the_council_statistics_with_small_and_hidden_counts(page, world, reporter, council_member):
    from django.utils import translation

    from avvik.catalogue.models import Category

    first, second = Category.objects.filter(partnership=world.partnership).order_by("position")[:2]
    for category, count in ((first, 6), (second, 2)):
        for _ in range(count):
            file_case(reporter, world.municipality, category=category)
    # The council reads completed quarters only: the cases move into the last one.
    from datetime import datetime, time

    from django.utils import timezone

    from avvik.cases.models.deviation import Deviation
    from avvik.council.periods import Period

    quarter = Period.last_completed_quarter(timezone.localdate())
    Deviation.objects.update(created_at=timezone.make_aware(datetime.combine(quarter.start, time(12))))
    audit = Audit(page)
    login(page, council_member.email)
    page.goto("/statistikk/")
    with translation.override("nb"):
        hidden = translation.gettext("hidden")
    expect(page.locator("section[aria-labelledby=category-heading] td").first).to_have_text(hidden)
    audit.check("statistics, council, with hidden counts", phone_width=True)
    audit.assert_clean()


def test_axe_finds_what_it_should(page, live_server):
    """The tool itself: a page served with our headers and a known fault is not passed as clean."""
    page.goto("/tilgjengelighet/")
    page.evaluate("""() => {
        const img = document.createElement("img");
        img.src = "/static/none.png";
        document.querySelector("main").append(img);
    }""")
    assert any(finding.startswith("image-alt") for finding in axe_violations(page))
