"""Against real PostgreSQL and Redis, counted at a real SMTP server: several workers and beats
send each notification exactly once, and a notification written while Redis was down is
delivered once it is back. The faults (database restart, frozen broker, mail server down) are in
test_delivery_processes.py."""

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case, filing_form_data
from tests.factories import UserFactory, grant
from tests.processes import (
    MailServer,
    Processes,
    RedisServer,
    broker_at,
    process_environment,
    require_postgres,
    wait_for,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def postgres():
    require_postgres(connection)


@pytest.fixture
def redis_server(tmp_path, postgres):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def mail_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path, redis_server, mail_server):
    running = Processes(process_environment(tmp_path, redis_url=redis_server.url, mail=mail_server), tmp_path)
    yield running
    running.stop()


def all_sent() -> bool:
    open_rows = Notification.objects.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING])
    return Notification.objects.exists() and not open_rows.exists()


def reminder_sweeps_run(processes: Processes) -> int:
    """How many reminder sweeps the workers have finished."""
    return len(re.findall(r"sweep_reminders\[[^\]]+\] succeeded", processes.log_text("worker")))


def test_two_workers_and_two_beats_send_each_notification_exactly_once(
    world, reporter, coordinator, handler, processes, redis_server, mail_server
):
    redis_server.start()
    leader = UserFactory(email="leder@kommune.test")
    grant(leader, Role.LEADER, organisation=world.municipality)
    today = timezone.localdate()
    # What filing and triage queue goes to the test's own Redis, where the workers will find it.
    with broker_at(redis_server.url):
        for offset in (-6, -4, -1, 0, 1, 2, 9):  # overdue, due today, due soon, not yet
            for _ in range(3):
                case = drive(
                    file_case(reporter, world.municipality),
                    Status.IN_PROGRESS,
                    coordinator=coordinator,
                    handler=handler,
                    reporter=reporter,
                )
                Deviation.objects.filter(pk=case.pk).update(answer_due=today + timedelta(days=offset))
        for _ in range(3):
            case = file_case(reporter, world.municipality)
            Deviation.objects.filter(pk=case.pk).update(triage_due=today - timedelta(days=7))

    processes.worker("worker1")
    processes.worker("worker2")
    processes.beat("beat1")
    processes.beat("beat2")
    # Both beats send the sweep several times, and the workers run it several times (a sweep
    # message not taken within its expiry is dropped), before the count is taken: the rows the
    # first sweep wrote must be sent, and the later sweeps must write nothing again.
    wait_for(
        lambda: (
            all(processes.count_in_log(beat, "Sending due task reminder-sweep") >= 3 for beat in ("beat1", "beat2"))
            and reminder_sweeps_run(processes) >= 6
        ),
        90,
        lambda: (
            f"the beats did not sweep three times each ({reminder_sweeps_run(processes)} run):\n" + processes.logs()
        ),
    )
    wait_for(all_sent, 90, lambda: "notifications still pending:\n" + processes.logs())
    processes.stop()

    rows = set(Notification.objects.values_list("key", flat=True))
    keys = mail_server.keys()
    assert mail_server.duplicates() == {}
    assert rows - set(keys) == set()  # none missing
    assert set(keys) - rows == set()  # and none from elsewhere
    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    assert kinds["escalation_contact_point"] >= 3  # the cases 6 days overdue (> 3 working days)
    assert kinds["escalation_leader"] >= 6
    assert kinds["reminder_due"] >= 3
    assert kinds["triage_overdue"] == 3


def test_filing_while_redis_is_down_is_quick_and_the_notification_follows_later(
    client, world, reporter, coordinator, processes, redis_server, mail_server
):
    client.force_login(reporter)
    # Warm: the first request of a process imports the URLs and loads templates and translations,
    # which on a busy machine takes longer than what is measured here.
    assert client.get(reverse("cases:new")).status_code == 200
    with broker_at(redis_server.url):  # not started: nothing listens there
        started = time.monotonic()
        response = client.post(reverse("cases:new"), filing_form_data(world))
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 2, f"filing took {elapsed:.2f} s with Redis down"
    notification = Notification.objects.get(recipient=coordinator, kind="new_case")
    assert notification.status == NotificationStatus.PENDING

    redis_server.start()
    processes.worker("worker")
    processes.beat("beat")
    wait_for(all_sent, 60, lambda: "not delivered after Redis came back:\n" + processes.logs())
    assert mail_server.keys() == Counter({notification.key: 1})
