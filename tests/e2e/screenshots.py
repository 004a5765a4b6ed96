"""Screenshots of the main pages with the demo data, at desktop (1280 px) and phone (375 px) width.

Not part of the test run (the file name does not start with test_). Make them with

    .venv/bin/python -m pytest tests/e2e/screenshots.py -q

They are written to docs/screenshots/<page>-desktop.png and <page>-phone.png, in bokmål.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.demo.tenancy import DEMO_PASSWORD
from tests.e2e.helpers import DESKTOP, PHONE, login

pytestmark = pytest.mark.e2e

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
REPORTER = "lege@sykehus.demo"
COORDINATOR = "koordinator@kontaktpunkt.demo"
COUNCIL = "fagrad@kontaktpunkt.demo"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def shoot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(FOLDER / f"{name}-{label}.png"), full_page=True, animations="disabled")
    page.set_viewport_size(DESKTOP)


def test_screenshots_of_the_main_pages(demo, page, settings):
    case = (
        Deviation.objects.filter(reporter__email=REPORTER, status__in=[Status.ANSWERED, Status.CLOSED])
        .exclude(answer_cause="")
        .order_by("-created_at")
        .first()
    )
    assert case is not None, "the demo data has no answered case for the reporter"

    login(page, REPORTER, DEMO_PASSWORD)
    shoot(page, "start")
    page.goto("/avvik/ny/")
    shoot(page, "form")
    page.goto(f"/avvik/{case.reference}/")
    shoot(page, "case")

    login(page, COORDINATOR, DEMO_PASSWORD)
    page.goto("/avvik/triage/")
    shoot(page, "triage")

    # Two-step login as production has it: the coordinator is sent to set it up.
    settings.SECOND_FACTOR = "admins"
    page.goto("/avvik/triage/")
    page.wait_for_url("**/konto/totrinn/ny/**")
    shoot(page, "two-step")
    settings.SECOND_FACTOR = "off"

    login(page, COUNCIL, DEMO_PASSWORD)
    page.goto("/statistikk/")
    shoot(page, "statistics")
