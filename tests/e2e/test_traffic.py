"""In the browser: a message traffic owner uploads a file of message events, the monitoring sweep
finds the messages without a receipt, and the owner reads the traffic page and opens the system
case it opened. Every page axe-clean at desktop and phone width; the response times page too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avvik.cases.models import Deviation
from avvik.tenancy.choices import Role
from avvik.traffic.models import Cluster, Message
from avvik.traffic.monitoring import sweep
from tests.e2e.helpers import Audit, login
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSPITAL_HER, MUNICIPALITY_HER = "100001", "200002"
HEADER = "message_id;kind;message_type;sender_her_id;receiver_her_id;happened_at;receipt_status;error_code"


def events_file(tmp_path):
    sent = timezone.localtime() - timedelta(hours=8)
    lines = [HEADER]
    for number in range(12):
        at = (sent + timedelta(minutes=number)).strftime("%Y-%m-%d %H:%M")
        lines.append(f"e-{number};sent;discharge_summary;{HOSPITAL_HER};{MUNICIPALITY_HER};{at};;")
    # Two came back in time: they are no failures.
    for number in range(2):
        at = (sent + timedelta(minutes=number + 5)).strftime("%Y-%m-%d %H:%M")
        lines.append(f"e-{number};apprec;;;;{at};ok;")
    path = tmp_path / "meldingshendelser.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_an_owner_uploads_events_and_opens_the_system_case_of_the_failures(page, world, tmp_path):
    world.hospital.her_id = HOSPITAL_HER
    world.hospital.save()
    world.municipality.her_id = MUNICIPALITY_HER
    world.municipality.save()
    owner = UserFactory(email="meldingsansvarlig@sykehus.test")
    grant(owner, Role.MESSAGE_OWNER, organisation=world.hospital)
    audit = Audit(page)
    login(page, owner.email)

    page.goto("/meldingstrafikk/last-opp/")
    audit.check("upload page", phone_width=True)
    page.set_input_files("#id_file", str(events_file(tmp_path)))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Message.objects.filter(partnership=world.partnership).count() == 12
    audit.check("upload result")

    result = sweep()
    assert (result.failed, result.cases_opened) == (10, 1)
    case = Deviation.objects.get()

    page.goto("/meldingstrafikk/")
    expect(page.locator("#chart-failure-rate")).to_be_visible()
    expect(page.locator("#chart-traffic-trend")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Test sykehus HF")
    audit.check("traffic page", phone_width=True)
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{case.reference}/")
    expect(page.locator("h1")).to_contain_text(case.title)
    assert Cluster.objects.get().deviation == case
    audit.check("system case")
    audit.assert_clean()


def test_a_partnership_administrator_sets_a_response_time(page, world, partnership_admin):
    audit = Audit(page)
    login(page, partnership_admin.email)
    page.goto("/meldingstrafikk/svartider/")
    audit.check("response times page", phone_width=True)
    page.fill("#id_time_referral", "0")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_time_referral")).to_have_value("0")
    audit.check("response times page with an error")
    page.fill("#id_time_referral", "2")
    page.select_option("#id_unit_referral", "hours")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_time_referral")).to_have_value("2")
    assert world.partnership.response_times.get().minutes == 120
    audit.assert_clean()
