"""Due dates follow the partnership's policy on the Norwegian working calendar."""

from datetime import date

import pytest
import time_machine

from avvik import services
from avvik.choices import Status
from avvik.models import ClosureDay, DeadlinePolicy, Deviation
from tests.cases import drive, file_case

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
        file_case(reporter, world.municipality, consequence="serious", unexpected=False),
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
        changes={"consequence": "critical", "unexpected": False},
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
        deviation = services.deviation_resume(deviation=deviation, by=handler)
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
