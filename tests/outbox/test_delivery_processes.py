"""Faults at the edges of the outbox, with real processes: Celery workers and beats on PostgreSQL
and a Redis of their own, and every delivery counted where it arrives, at a local SMTP server.

Each test makes one fault (the database restarts while workers deliver, the broker hangs, the
mail server is down for "five minutes") and then asserts that every notification key reached the
mail server exactly once and that no row is left pending, claimed or failed."""

import itertools
import operator
import re
import threading
import time
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from avvik.outbox.choices import NotificationStatus
from avvik.outbox.delivery import RETRY_JITTER
from avvik.outbox.models import Notification
from tests.builders import file_case, filing_form_data
from tests.processes import (
    IN_CI,
    DatabaseOutage,
    FrozenBroker,
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


def start_processes(tmp_path, redis_server, mail_server, **settings) -> Processes:
    return Processes(process_environment(tmp_path, redis_url=redis_server.url, mail=mail_server, **settings), tmp_path)


def file_batch(reporter, counterpart, size: int) -> list[str]:
    """File `size` cases in one transaction: their notifications are queued together at commit."""
    with transaction.atomic():
        for _ in range(size):
            file_case(reporter, counterpart)
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == size  # one notification per filing: the contact point's
    return keys


def settled() -> bool:
    """Every row sent: nothing waiting, claimed or given up."""
    return Notification.objects.exists() and not Notification.objects.exclude(status=NotificationStatus.SENT).exists()


def statuses() -> Counter:
    return Counter(Notification.objects.values_list("status", flat=True))


def assert_each_delivered_once(mail_server: MailServer, keys: list[str]) -> None:
    assert mail_server.duplicates() == {}
    assert set(mail_server.keys()) == set(keys)
    assert statuses() == Counter({NotificationStatus.SENT: len(keys)})


# A database restart while workers deliver ------------------------------------------------------

BATCH = 16
# The mail server starts an outage as it accepts the 4th message, and again at the first message
# from the 11th on once the first outage is over: each time between its reply and the sender's
# update that marks the row sent.
OUTAGES_AT = (4, 11)
OUTAGE_SECONDS = 4


def marks_after_the_outage(processes: Processes) -> tuple[set[str], set[str]]:
    """The notifications whose worker failed to mark them sent, and those marked at a later try."""
    log = processes.log_text("worker")
    failed = set(re.findall(r"notification (\d+): sent; marking it sent failed", log))
    marked = set(re.findall(r"notification (\d+): marked sent at try \d+", log))
    return failed, marked


def test_a_database_restart_during_delivery_sends_each_notification_exactly_once(
    tmp_path, world, reporter, coordinator, redis_server, mail_server
):
    redis_server.start()
    connection.ensure_connection()
    outage = DatabaseOutage(connection.settings_dict, keep_pid=connection.connection.info.backend_pid)
    left = list(OUTAGES_AT)
    lock = threading.Lock()

    def cut_the_database(number: int) -> None:
        with lock:
            if left and number >= left[0] and (not outage.outages or outage.over):
                left.pop(0)
                outage.for_seconds(OUTAGE_SECONDS)

    mail_server.before_reply = cut_the_database
    processes = start_processes(tmp_path, redis_server, mail_server)
    try:
        processes.worker("worker1")
        processes.worker("worker2")
        processes.beat("beat")
        with broker_at(redis_server.url):
            keys = file_batch(reporter, world.municipality, BATCH)
        wait_for(
            lambda: len(outage.outages) == len(OUTAGES_AT) and outage.over,
            60,
            lambda: (
                f"outages {outage.outages} ({mail_server.hook_errors}), {len(mail_server.messages)} messages:\n"
                + processes.logs()
            ),
        )
        # Every worker caught between the mail server's reply and its update keeps asking until the
        # database answers. Once each has marked its row, a row still claimed from before the outage
        # belongs to a worker whose task died on the outage after the claim and before the send.
        wait_for(
            lambda: operator.le(*marks_after_the_outage(processes)),
            30,
            lambda: f"{marks_after_the_outage(processes)}\n{processes.logs()}",
        )
        # Such a row stays claimed until its lease runs out (10 minutes): the lease is run out here
        # by moving the claim back, and the outbox sweep takes the row back and sends it.
        # Only claims taken before the database came back: a later one belongs to a live worker.
        abandoned = Notification.objects.filter(
            status=NotificationStatus.SENDING, claimed_at__lt=outage.outages[-1]["ended_at"]
        )
        abandoned_count = abandoned.update(
            claimed_at=timezone.now() - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
        )
        wait_for(settled, 60, lambda: f"{statuses()} {mail_server.keys()}\n{processes.logs()}")
    finally:
        outage.close()
        processes.stop()

    assert mail_server.hook_errors == []
    assert [o["sessions_cut"] > 0 for o in outage.outages] == [True] * len(OUTAGES_AT)
    assert_each_delivered_once(mail_server, keys)
    # Each outage caught a worker between the mail server's reply and its update; each of those
    # workers kept asking and marked its row sent once the database was back.
    failed_to_mark, marked_later = marks_after_the_outage(processes)
    assert len(failed_to_mark) >= len(OUTAGES_AT), processes.logs()
    assert failed_to_mark <= marked_later
    log = processes.log_text("worker")
    tries = re.findall(r"marked sent at try (\d+)", log)
    print(  # the figures for docs/reliability.md (pytest -s)
        f"\n{BATCH} notifications, {len(OUTAGES_AT)} outages of {OUTAGE_SECONDS} s cutting "
        f"{[o['sessions_cut'] for o in outage.outages]} sessions; {len(failed_to_mark)} marked sent after the "
        f"outage (at tries {tries}); {abandoned_count} claims abandoned and taken back; "
        f"{len(mail_server.messages)} messages at the mail server"
    )


# A broker that hangs ---------------------------------------------------------------------------


def test_filing_with_a_frozen_broker_completes_and_the_notification_is_sent_once_it_is_back(
    tmp_path, client, world, reporter, coordinator, redis_server, mail_server
):
    if "socket_timeout" not in settings.CELERY_BROKER_TRANSPORT_OPTIONS:
        reason = "needs REDIS_URL: without the Redis transport's socket timeout a hanging broker hangs the test"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    frozen = FrozenBroker()
    client.force_login(reporter)
    try:
        with broker_at(frozen.url):
            first = client.post(reverse("cases:new"), filing_form_data(world, title="Epikrise mangler"))
            reached = len(frozen.accepted)
            second = client.post(reverse("cases:new"), filing_form_data(world, title="Henvisning mangler"))
        after_second = len(frozen.accepted)
    finally:
        frozen.close()
    assert first.status_code == 302
    assert second.status_code == 302
    assert reached >= 1  # the first filing tried the hanging broker and waited for its timeout
    assert after_second == reached  # the second did not go near it: the breaker was open
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert statuses() == Counter({NotificationStatus.PENDING: 2})

    redis_server.start()
    processes = start_processes(tmp_path, redis_server, mail_server)
    try:
        processes.worker("worker")
        processes.beat("beat")
        wait_for(settled, 60, lambda: f"{statuses()}\n{processes.logs()}")
    finally:
        processes.stop()
    assert_each_delivered_once(mail_server, keys)
    print(  # the figures for docs/reliability.md (pytest -s)
        f"\n{reached} connection(s) to the hanging broker; {len(mail_server.messages)} messages at the mail server"
    )


# The mail server down for "five minutes" --------------------------------------------------------

# Five minutes is four times the production base of 75 s: a notification meets the outage on its
# first three attempts (waits of about 1, 2 and 4 times the base) and gets through on the fourth.
# Scaled down to a base of 2 s, the mail server is down for 8 s.
RETRY_BASE_SECONDS = 2
SMTP_DOWN_SECONDS = 4 * RETRY_BASE_SECONDS
SMTP_BATCH = 12
SMTP_SWEEP_GRACE_SECONDS = 5


def listening(processes: Processes, *workers: str) -> bool:
    """Whether each worker has connected to the broker and is taking tasks."""
    return all(processes.count_in_log(worker, " ready.") for worker in workers)


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param("closed", id="port-closed"),
        pytest.param("421 4.3.2 Service not available, closing transmission channel", id="421-to-every-transaction"),
    ],
)
def test_a_mail_server_down_for_five_minutes_delivers_each_notification_exactly_once_after(
    tmp_path, world, reporter, coordinator, redis_server, mail_server, refusal
):
    redis_server.start()
    if refusal == "closed":
        mail_server.stop()
    else:
        mail_server.refuse(refusal)
    # The sweep's grace is longer here than the 1 s of the other tests, and the batch is filed once
    # the workers listen: a row whose first message waits in the queue longer than the grace gets a
    # second message from the sweep (docs/reliability.md, section 5), which is not what this test is about.
    processes = start_processes(
        tmp_path,
        redis_server,
        mail_server,
        NOTIFICATION_RETRY_BASE_SECONDS=str(RETRY_BASE_SECONDS),
        OUTBOX_GRACE_SECONDS=str(SMTP_SWEEP_GRACE_SECONDS),
    )
    try:
        processes.worker("worker1")
        processes.worker("worker2")
        processes.beat("beat")
        wait_for(lambda: listening(processes, "worker1", "worker2"), 60, processes.logs)
        with broker_at(redis_server.url):
            keys = file_batch(reporter, world.municipality, SMTP_BATCH)
        # The outage counts from the first attempt that met it, however long the workers took to start.
        wait_for(
            lambda: not Notification.objects.filter(attempts=0).exists(),
            60,
            lambda: f"not every notification was tried:\n{processes.logs()}",
        )
        first_failure = min(
            datetime.fromisoformat(times[0]) for times in Notification.objects.values_list("attempt_times", flat=True)
        )
        back_at = first_failure + timedelta(seconds=SMTP_DOWN_SECONDS)
        time.sleep(max(0.0, (back_at - timezone.now()).total_seconds()))  # the outage's length
        if refusal == "closed":
            mail_server.start()
        else:
            mail_server.accept()
        down_for = (timezone.now() - first_failure).total_seconds()
        wait_for(settled, 60, lambda: f"{statuses()}\n{processes.logs()}")
    finally:
        processes.stop()

    assert_each_delivered_once(mail_server, keys)
    attempts = Counter(Notification.objects.values_list("attempts", flat=True))
    assert min(attempts) >= 2  # every notification met the outage, and was sent by a later attempt
    assert max(attempts) <= 5  # and none used up its attempts (the sixth failure is final)
    if refusal != "closed":
        assert mail_server.refused >= SMTP_BATCH
    assert early_attempts() == []  # no attempt before its back-off was over
    print(  # the figures for docs/reliability.md (pytest -s)
        f"\nmail server down ({refusal.split()[0]}) for {down_for:.1f} s after the first failed attempt; "
        f"{SMTP_BATCH} notifications; attempts per notification {dict(sorted(attempts.items()))}; "
        f"transactions refused {mail_server.refused}; attempts made before their back-off was over: {early_attempts()}"
    )


def early_attempts() -> list[tuple[int, int, float]]:
    """(notification, attempt, seconds after the one before) for each attempt made sooner than the
    shortest wait the back-off allows after the attempt before it."""
    early = []
    for pk, times in Notification.objects.values_list("pk", "attempt_times"):
        moments = [datetime.fromisoformat(moment) for moment in times]
        for number, (before, after) in enumerate(itertools.pairwise(moments), start=1):
            waited = (after - before).total_seconds()
            shortest = RETRY_BASE_SECONDS * 2 ** (number - 1) * RETRY_JITTER[0]  # delivery.retry_delay at RETRY_BASE
            if waited < shortest:
                early.append((pk, number + 1, round(waited, 2)))
    return early
