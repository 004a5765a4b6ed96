"""The notification centre in a real browser: a handler sees the bell count once a case is
forwarded to their organisation, opens the notice, lands on the case, and the count drops."""

import re

import pytest
from playwright.sync_api import expect

from avvik.cases import services
from tests.builders import file_case
from tests.e2e.helpers import Audit, login

pytestmark = pytest.mark.e2e

TITLE = "Labsvar kom ikke fram til legekontoret"


def test_a_handler_is_told_in_the_site_when_a_case_is_forwarded(page, world, reporter, coordinator, handler):
    audit = Audit(page)
    case = file_case(reporter, world.municipality, title=TITLE)

    login(page, handler.email)
    bell = page.locator("[data-notice-bell]")
    expect(bell).to_have_accessible_name("Varsler")
    expect(bell.locator(".badge")).to_have_count(0)

    services.deviation_transition(action="forward", deviation=case, by=coordinator, to=world.municipality)
    page.reload()
    expect(bell).to_have_accessible_name("Varsler 1 ulest varsel")
    expect(bell.locator(".badge")).to_have_text("1")

    bell.click()
    expect(page).to_have_url(re.compile(r"/varsler/$"))
    expect(page.locator("h1")).to_have_text("Varsler")
    notice = page.get_by_role("button", name=re.compile(rf"^{case.reference}: {TITLE} – Et avvik er sendt videre"))
    expect(notice).to_be_visible()
    expect(page.locator("main .badge", has_text="Ulest")).to_have_count(1)
    audit.check("notifications", phone_width=True)

    notice.click()
    expect(page).to_have_url(re.compile(rf"/avvik/{case.reference}/$"))
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(bell).to_have_accessible_name("Varsler")
    expect(bell.locator(".badge")).to_have_count(0)

    page.goto("/varsler/")
    expect(page.locator("main .badge", has_text="Ulest")).to_have_count(0)
    expect(page.get_by_role("button", name="Merk alle som lest")).to_have_count(0)
    audit.check("notifications, all read", phone_width=True)
    audit.assert_clean()
