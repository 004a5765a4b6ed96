"""Faults at the edges of delivery: the database gone between the SMTP reply and the update, and
a mail server down for a while. Each notification is sent once, and retried on a schedule that
spans at least half an hour before it is given up."""

import logging
from datetime import timedelta
from itertools import pairwise

import psycopg
import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connection
from django.utils import timezone

from avvik.core import queue
from avvik.outbox import delivery
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.delivery import MAX_SEND_ATTEMPTS, SendFailed, retry_delay, retry_schedule, send_notification
from avvik.outbox.models import Notification, NotificationQuerySet
from avvik.outbox.tasks import deliver_notification, sweep_outbox
from tests.builders import file_case

pytestmark = pytest.mark.django_db

SERVER_GONE = "server closed the connection unexpectedly"


@pytest.fixture
def notification(world, reporter, coordinator) -> Notification:
    file_case(reporter, world.municipality)
    return Notification.objects.get(recipient=coordinator)


@pytest.fixture
def database_down_when_marked_sent(monkeypatch):
    """The database fails the UPDATE that marks a row sent, `times` times (all, if None)."""
    failures = {"times": 0, "left": None}
    update = NotificationQuerySet.update

    def failing_update(self, **values):
        if values.get("status") == NotificationStatus.SENT and failures["left"] != 0:
            failures["times"] += 1
            if failures["left"] is not None:
                failures["left"] -= 1
            raise OperationalError(SERVER_GONE)
        return update(self, **values)

    monkeypatch.setattr(NotificationQuerySet, "update", failing_update)

    def fail(times: int | None) -> dict:
        failures["left"] = times
        return failures

    return fail


def lease_runs_out(settings):
    return time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1))


@pytest.mark.parametrize("blips", [1, 2])
def test_a_database_blip_after_the_smtp_reply_still_sends_once(
    notification, mailoutbox, database_down_when_marked_sent, monkeypatch, settings, blips
):
    failures = database_down_when_marked_sent(blips)
    queued = []
    monkeypatch.setattr(queue, "dispatch", lambda name, pk: queued.append(pk) or True)
    assert send_notification(notification.pk) is True
    assert failures["times"] == blips
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.sent_at is not None
    with lease_runs_out(settings):
        assert sweep_outbox() == 0  # nothing left claimed for the sweep to send again
    assert send_notification(notification.pk) is False
    assert len(mailoutbox) == 1 and queued == []


def test_a_database_gone_for_longer_than_the_patience_leaves_the_row_claimed_and_says_so(
    notification, mailoutbox, database_down_when_marked_sent, monkeypatch, settings, caplog
):
    """The window that remains: sent, never marked. The lease sends it again with the same Message-ID."""
    settings.NOTIFICATION_MARK_SENT_SECONDS = 1
    failures = database_down_when_marked_sent(None)
    with caplog.at_level(logging.WARNING, logger="avvik.outbox.delivery"):
        assert send_notification(notification.pk) is True
    assert failures["times"] >= 2  # asked again before giving up
    assert "not marked sent" in caplog.text
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENDING

    database_down_when_marked_sent(0)  # the database is back
    monkeypatch.setattr(queue, "dispatch", lambda name, pk: send_notification(pk) or True)
    with lease_runs_out(settings):
        assert sweep_outbox() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mailoutbox) == 2
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]


class BlipBackend(LocmemBackend):
    """Accepts the message like an SMTP server, then the database goes away: the worker's
    connection is cut, and the first attempt to connect again is refused."""

    def send_messages(self, messages):
        accepted = super().send_messages(messages)
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        db = connection.settings_dict
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        refuse_once(connection)
        return accepted


def refuse_once(db_connection) -> None:
    connect = db_connection.get_new_connection

    def refused(params):
        db_connection.get_new_connection = connect
        raise psycopg.OperationalError("connection refused: the database system is starting up")

    db_connection.get_new_connection = refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_postgresql_outage_after_the_smtp_reply_still_sends_once(notification, settings, caplog):
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery_faults.BlipBackend"
    with caplog.at_level(logging.INFO, logger="avvik.outbox.delivery"):
        assert send_notification(notification.pk) is True
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    assert caplog.text.count("marking it sent failed") == 2  # the cut connection, then the refused one
    assert "marked sent at try 3" in caplog.text
    with lease_runs_out(settings):
        assert sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_the_waits_between_attempts_grow_and_span_at_least_half_an_hour(settings):
    assert settings.NOTIFICATION_RETRY_BASE_SECONDS == 75  # the production scale
    shortest, longest = retry_schedule(factor=0.8), retry_schedule(factor=1.2)
    assert len(shortest) == MAX_SEND_ATTEMPTS - 1
    assert shortest == pytest.approx([60, 120, 240, 480, 960])
    assert sum(shortest) >= 30 * 60  # 1,860 s at the lowest jitter
    assert sum(longest) == pytest.approx(2790)  # 46.5 minutes at the highest
    # Even the shortest wait after a failure is longer than the longest wait before it.
    assert all(retry_delay(n, factor=0.8) > retry_delay(n - 1, factor=1.2) for n in range(2, MAX_SEND_ATTEMPTS))


def test_a_mail_server_down_is_retried_on_a_growing_schedule_until_the_notification_fails(notification, settings):
    """Driven through real failures with a clock moved to each retry: what the coordinators' list shows."""
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(MAX_SEND_ATTEMPTS - 1):
            with pytest.raises(SendFailed):
                send_notification(notification.pk)
            notification.refresh_from_db()
            clock.move_to(notification.next_attempt_at)
        assert send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED and notification.next_attempt_at is None
    times = notification.attempted_at
    waits = [(later - earlier).total_seconds() for earlier, later in pairwise(times)]
    assert len(times) == notification.attempts == MAX_SEND_ATTEMPTS
    assert waits == sorted(waits) and len(set(waits)) == len(waits)
    assert 30 * 60 <= sum(waits) <= 2790


def test_a_second_task_message_for_a_row_waiting_out_its_back_off_sends_nothing(notification, settings):
    """A sweep's or a redelivered message must not start a second chain of retries: before this
    was refused, one row made five attempts in 12 s where the back-off allowed three."""
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with pytest.raises(SendFailed):
            send_notification(notification.pk)
        notification.refresh_from_db()
        assert send_notification(notification.pk) is False  # at once: still waiting
        clock.move_to(notification.next_attempt_at - timedelta(seconds=2))
        assert send_notification(notification.pk) is False  # nearly due: still waiting
        notification.refresh_from_db()
        assert notification.attempts == 1 and notification.status == NotificationStatus.PENDING
        clock.move_to(notification.next_attempt_at)
        with pytest.raises(SendFailed):
            send_notification(notification.pk)  # due: the second attempt
    notification.refresh_from_db()
    assert notification.attempts == 2


def test_the_task_retries_after_the_wait_written_on_the_row(notification, settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 2  # the scale tests use
    retried = []

    class Retry(Exception):
        pass

    def retry(**options):
        retried.append(options)
        return Retry()

    monkeypatch.setattr(deliver_notification, "retry", retry)
    with time_machine.travel(timezone.now(), tick=False):
        with pytest.raises(Retry):
            deliver_notification(notification.pk)
        notification.refresh_from_db()
        [options] = retried
        assert 1.6 <= options["countdown"] <= 2.4
        assert notification.next_attempt_at == timezone.now() + timedelta(seconds=options["countdown"])
    assert isinstance(options["exc"], SendFailed)


def test_the_jitter_stays_within_a_fifth_either_way():
    factors = [delivery.jitter_factor() for _ in range(1000)]
    assert min(factors) >= 0.8 and max(factors) <= 1.2


def test_resending_a_failed_notification_starts_a_fresh_round_of_attempts(notification, coordinator, settings):
    from avvik.outbox.services import notification_resend

    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    Notification.objects.filter(pk=notification.pk).update(attempts=MAX_SEND_ATTEMPTS - 1)
    assert send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    notification_resend(notification=notification, by=coordinator)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 0 and notification.attempt_times == []
    assert notification.next_attempt_at is not None  # the sweep gives its message the grace first


def test_a_lease_shorter_than_the_delivery_task_may_run_is_refused_at_start(tmp_path):
    from tests.processes import run_check

    refused = run_check(tmp_path, NOTIFICATION_LEASE_SECONDS="300")
    assert refused.returncode != 0
    assert "NOTIFICATION_LEASE_SECONDS=300 must be longer than the delivery task may run" in refused.stderr
    assert run_check(tmp_path, NOTIFICATION_LEASE_SECONDS="301").returncode == 0
