"""The sweep's floor writes again, by SQL alone, exactly what the sweep wrote, and leaves nothing behind."""

from datetime import date

import pytest
import time_machine
from django.db import connection

from avvik.inbox.models import SiteNotice
from avvik.outbox.models import Notification
from avvik.reminders.models import ReminderClock
from avvik.reminders.sweep import sweep_deadlines
from avvik.tenancy.choices import Role
from bench import sweep_floor
from tests.builders import in_progress_cases
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 12, 14)


def overdue_cases(world, reporter, coordinator, handler, count: int) -> list:
    """Cases due on 7 December 2026: on the 14th each is escalated to the leader and the contact point."""
    grant(UserFactory(email="leder@kommune.test"), Role.LEADER, organisation=world.municipality)
    cases = in_progress_cases(world, reporter, coordinator, handler, count)
    SiteNotice.objects.all().delete()
    return cases


def written() -> tuple[list, list, list]:
    return (
        list(Notification.objects.order_by("pk").values()),
        list(SiteNotice.objects.order_by("pk").values()),
        list(ReminderClock.objects.order_by("deviation_id").values()),
    )


def floor_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'bench_floor%%'")
        return [name for (name,) in cursor.fetchall()]


def test_the_replay_writes_the_sweeps_rows_again_in_batches_on_two_connections(
    world, reporter, coordinator, handler, monkeypatch
):
    monkeypatch.setattr(sweep_floor, "BATCH", 2)
    cases = overdue_cases(world, reporter, coordinator, handler, 9)
    before = written()
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        since = sweep_floor.mark(TODAY)
        swept = sweep_deadlines(TODAY)
    # As the sweep does with the clock of a case it no longer finds: the replay removes it too.
    ReminderClock.objects.filter(deviation=cases[4]).delete()
    after = written()
    assert swept.written == 18 and len(after[1]) > len(before[1])  # the sweep wrote rows and notices
    assert after[2] != before[2]  # and moved the clocks on

    result = sweep_floor.replay(since, workers=2)

    assert written() == after
    assert result["cases"] == 9 and result["rows"] == 18 and result["notices"] == len(after[1]) - len(before[1])
    assert result["workers"] == 2 and result["seconds"] >= 0
    assert floor_tables() == []


def test_a_replay_that_misses_a_row_says_so_and_drops_its_tables(world, reporter, coordinator, handler, monkeypatch):
    cases = overdue_cases(world, reporter, coordinator, handler, 3)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        since = sweep_floor.mark(TODAY)
        sweep_deadlines(TODAY)
    # A case whose clock was not due is not replayed: its rows would be lost, and the replay says so.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {sweep_floor.DUE} WHERE deviation_id = %s", [cases[0].pk])  # noqa: S608

    with pytest.raises(RuntimeError, match="did not write the rows"):
        sweep_floor.replay(since, workers=1)
    assert floor_tables() == []
