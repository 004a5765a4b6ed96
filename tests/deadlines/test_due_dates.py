"""Due dates follow the partnership's policy on the Norwegian working calendar."""

from datetime import date

import pytest
import time_machine

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.deadlines.models import ClosureDay, DeadlinePolicy
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


@time_machine.travel("2027-03-24 09:00 +01:00", tick=False)  # Wednesday before Easter
def test_triage_due_counts_working_days_across_easter(world, reporter):
    DeadlinePolicy.objects.filter(partnership=world.partnership, category=None, consequence="").update(triage_days=3)
    deviation = file_case(reporter, world.municipality)
    assert deviation.triage_due == date(2027, 4, 1)


@time_machine.travel("2026-11-23 09:00 +01:00", tick=False)  # a Monday
def test_answer_due_is_set_when_forwarded_and_shorter_for_serious_events(world, reporter, coordinator, handler):
    minor = drive(
        file_case(reporter, world.municipality),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    serious = drive(
        file_case(reporter, world.municipality, consequence="significant"),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    assert minor.triage_due == date(2026, 11, 25)
    assert minor.answer_due == date(2026, 12, 7)  # 10 working days
    assert serious.answer_due == date(2026, 11, 26)  # 3 working days


@time_machine.travel("2026-11-23 09:00 +01:00", tick=False)
def test_a_category_policy_beats_the_general_one(world, reporter, coordinator, handler):
    deviation = file_case(reporter, world.municipality)
    DeadlinePolicy.objects.create(partnership=world.partnership, category=deviation.category, answer_days=5)
    deviation = drive(deviation, Status.FORWARDED, coordinator=coordinator, handler=handler, reporter=reporter)
    assert deviation.answer_due == date(2026, 11, 30)


@time_machine.travel("2026-11-23 09:00 +01:00", tick=False)
def test_changing_the_consequence_recomputes_the_due_date(world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    deviation = services.deviation_update(
        deviation=deviation,
        by=coordinator,
        version=deviation.version,
        changes={"consequence": "very_serious", "unexpected": False},
    )
    assert Deviation.objects.get(pk=deviation.pk).answer_due == date(2026, 11, 26)


def test_closure_days_are_not_working_days(world, reporter):
    ClosureDay.objects.create(partnership=world.partnership, date=date(2026, 11, 24), name="Stengt")
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = file_case(reporter, world.municipality)
    assert deviation.triage_due == date(2026, 11, 26)


def test_waiting_for_the_reporter_pauses_the_clock(world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = drive(
            file_case(reporter, world.municipality),
            Status.WAITING,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        assert deviation.answer_due == date(2026, 12, 7)
    with time_machine.travel("2026-11-26 09:00 +01:00", tick=False):  # three working days later
        deviation = services.deviation_transition(action="resume", deviation=deviation, by=handler)
    assert deviation.answer_due == date(2026, 12, 10)


def test_lists_and_case_show_the_deadline_in_working_days(client, world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    with time_machine.travel("2026-12-09 09:00 +01:00", tick=False):
        client.force_login(handler)
        assert "Svar forfalt for 2 virkedager siden" in client.get("/avvik/til-behandling/").content.decode()
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        client.force_login(handler)
        page = client.get(f"/avvik/{deviation.reference}/").content.decode()
        assert "Svar forfaller om 2 virkedager" in page


def test_the_overdue_filter_shows_only_cases_past_their_deadline(client, world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        late = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        untriaged = file_case(reporter, world.municipality)
    with time_machine.travel("2026-11-26 09:00 +01:00", tick=False):
        fresh = file_case(reporter, world.municipality)
    with time_machine.travel("2026-12-08 09:00 +01:00", tick=False):
        fresh_triaged = Deviation.objects.filter(pk=fresh.pk)
        fresh_triaged.update(triage_due=date(2026, 12, 9))
        client.force_login(coordinator)
        body = client.get("/avvik/alle/", {"overdue": "true"}).content.decode()
    assert late.reference in body and untriaged.reference in body
    assert fresh.reference not in body


def test_a_coordinator_sets_deadlines_and_closure_days_in_the_browser(client, world, coordinator):
    client.force_login(coordinator)
    assert client.get("/frister/").status_code == 200
    response = client.post(
        "/frister/",
        {"form": "policy", "policy-consequence": "moderate", "policy-triage_days": "1", "policy-answer_days": "5"},
    )
    assert response.status_code == 302
    assert DeadlinePolicy.objects.get(partnership=world.partnership, consequence="moderate").answer_days == 5
    response = client.post("/frister/", {"form": "closure", "closure-day": "2026-12-31", "closure-name": "Nyttår"})
    assert response.status_code == 302
    assert ClosureDay.objects.filter(partnership=world.partnership, date=date(2026, 12, 31)).exists()


def test_bad_deadline_input_gets_a_message_and_keeps_the_values(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post("/frister/", {"form": "policy", "policy-triage_days": "-1", "policy-answer_days": "7"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "lagret" in body  # "Ingenting ble lagret …"
    assert 'value="7"' in body


def test_only_the_partnerships_coordinators_change_its_deadlines(client, world, handler, foreigner):
    policy = DeadlinePolicy.objects.filter(partnership=world.partnership).first()
    client.force_login(handler)
    assert client.get("/frister/").status_code == 403
    client.force_login(foreigner)
    assert client.post(f"/frister/{policy.pk}/slett/").status_code == 404
    assert DeadlinePolicy.objects.filter(pk=policy.pk).exists()
    assert world.partnership.name not in client.get("/frister/").content.decode()


def test_the_case_page_shows_coordinators_what_went_to_whom(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    page = client.get(f"/avvik/{case.reference}/").content.decode()
    assert coordinator.email in page
    client.force_login(reporter)
    assert coordinator.email not in client.get(f"/avvik/{case.reference}/").content.decode()
