"""Writing to the outbox: each row once, and each call reports only the rows it wrote itself."""

import threading

import pytest
from django.db import connection, transaction

from avvik.outbox import writing
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.outbox.writing import Notice, notify_all
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def reminders(case, *recipients) -> list[Notice]:
    return [Notice("reminder_due", list(recipients), case, threshold="2026-12-07:due")]


def test_a_call_that_finds_its_rows_written_meanwhile_reports_none_of_them(world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality)
    first = notify_all(reminders(case, coordinator, handler))
    assert len(first) == 2
    # The second call tries to insert the same keys: the unique key skips them, and says so.
    notices = reminders(case, coordinator, handler)
    assert notify_all(notices) == []
    assert notices[0].ids == []
    assert Notification.objects.filter(kind="reminder_due").count() == 2


def test_a_call_reports_its_new_rows_beside_ones_written_meanwhile(world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality)
    [theirs] = notify_all(reminders(case, coordinator))
    ours = notify_all(reminders(case, coordinator, handler))
    handlers_row = Notification.objects.get(recipient=handler, kind="reminder_due")
    assert ours == [handlers_row.pk]
    assert theirs not in ours


def test_held_and_historical_rows_are_written_but_not_queued(world, reporter, coordinator, handler):
    from avvik.tenancy.choices import Delivery

    case = file_case(reporter, world.municipality)
    handler.notification_delivery = Delivery.DAILY
    handler.save()
    assert notify_all([Notice("comment", [handler], case, threshold="c1")]) == []
    assert Notification.objects.get(kind="comment").status == NotificationStatus.HELD
    with writing.recording_history():
        assert notify_all([Notice("closed", [reporter], case)]) == []
    assert Notification.objects.get(kind="closed").status == NotificationStatus.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_of_the_same_rows_each_report_only_their_own(
    world, reporter, coordinator, handler, monkeypatch
):
    """Both have planned their rows before either has written: both insert, PostgreSQL lets one
    through per key (the other waits for it, then skips), and each reports what it inserted."""
    case = file_case(reporter, world.municipality)
    Notification.objects.all().delete()
    both_planned = threading.Barrier(2, timeout=10)
    insert_new = writing._insert_new

    def wait_then_insert(connection, rows):
        both_planned.wait()
        return insert_new(connection, rows)

    monkeypatch.setattr(writing, "_insert_new", wait_then_insert)
    reported: list[list[int]] = []
    errors: list[BaseException] = []

    def write():
        try:
            with transaction.atomic():
                reported.append(notify_all(reminders(case, coordinator, handler, reporter)))
        except BaseException as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    written = set(Notification.objects.values_list("pk", flat=True))
    assert len(written) == 3
    assert sorted(reported[0] + reported[1]) == sorted(written)  # each row reported once, by one of them
