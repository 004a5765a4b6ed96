"""Event notifications, the outbox and its delivery: once, in the right language, never lost."""

import email
import smtplib
import socket
from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.core import queue
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.delivery import MAX_SEND_ATTEMPTS, SendFailed, send_notification
from avvik.outbox.models import Notification
from avvik.outbox.tasks import send_daily_digests
from avvik.outbox.tasks import sweep_outbox as sweep_outbox_task
from avvik.reminders.tasks import send_weekly_digests
from avvik.tenancy.choices import Delivery, WrittenForm
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_each_event_tells_the_right_people(world, reporter, coordinator, handler, hospital_handler):
    case = file_case(reporter, world.municipality)
    assert kinds_for(coordinator) == ["new_case"]
    drive(case, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    assert kinds_for(handler) == ["forwarded"]
    assert kinds_for(reporter) == ["answered", "closed", "reporter_forwarded"]
    assert kinds_for(hospital_handler) == []


def test_rejection_is_told_to_the_reporter(world, reporter, coordinator):
    drive(
        file_case(reporter, world.municipality),
        Status.REJECTED,
        coordinator=coordinator,
        handler=None,
        reporter=reporter,
    )
    assert kinds_for(reporter) == ["rejected"]


def test_a_shared_comment_goes_to_the_other_side_and_an_internal_note_to_nobody(world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    Notification.objects.all().delete()
    services.comment_add(deviation=case, by=handler, body="Et spørsmål", internal=False)
    assert kinds_for(reporter) == ["comment"] and kinds_for(handler) == []
    services.comment_add(deviation=case, by=reporter, body="Svar", internal=False)
    assert kinds_for(handler) == ["comment"]
    services.comment_add(deviation=case, by=handler, body="Intern", internal=True)
    assert Notification.objects.count() == 2


def test_the_reporter_is_asked_when_the_case_waits_for_them(world, reporter, coordinator, handler):
    drive(
        file_case(reporter, world.municipality),
        Status.WAITING,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    assert "question" in kinds_for(reporter)


def test_the_email_carries_the_title_and_link_but_no_patient_data_or_free_text(
    world, reporter, coordinator, mailoutbox
):
    case = file_case(reporter, world.municipality, patient=True, description="Hemmelig beskrivelse")
    notification = Notification.objects.get(recipient=coordinator)
    assert send_notification(notification.pk)
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        assert "Hemmelig" not in part and "Nordmann" not in part and "01010012356" not in part
    assert case.reference in message.subject and case.title in message.subject
    assert reverse("cases:detail", args=[case.reference]) in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "Et nytt avvik venter på mottak og fordeling." in message.body


def test_the_email_follows_the_recipients_written_form(world, reporter, coordinator, handler, mailoutbox):
    world.municipality.written_form = WrittenForm.NYNORSK
    world.municipality.save()
    drive(
        file_case(reporter, world.municipality),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    send_notification(Notification.objects.get(recipient=handler, kind="forwarded").pk)
    assert "verksemda di" in mailoutbox[0].body  # nynorsk


def test_a_notification_is_sent_once_however_often_it_is_delivered(world, reporter, coordinator, mailoutbox):
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    assert send_notification(notification.pk) is True
    assert send_notification(notification.pk) is False
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.sent_at is not None


def test_the_same_event_cannot_be_written_twice(world, reporter, coordinator):
    from avvik.outbox.writing import notify

    case = file_case(reporter, world.municipality)
    notify(kind="new_case", recipients=[coordinator], deviation=case)
    notify(kind="new_case", recipients=[coordinator], deviation=case)
    assert Notification.objects.filter(recipient=coordinator, kind="new_case").count() == 1


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")


def test_smtp_failures_are_retried_then_marked_failed_and_listed_for_resending(
    client, world, reporter, coordinator, settings
):
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(MAX_SEND_ATTEMPTS - 1):
            with pytest.raises(SendFailed):
                send_notification(notification.pk)
            notification.refresh_from_db()
            assert notification.status == NotificationStatus.PENDING
            clock.move_to(notification.next_attempt_at)  # each retry when its back-off is over
        assert send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert "SMTPServerDisconnected" in notification.last_error

    client.force_login(coordinator)
    page = client.get(reverse("outbox:failed_notifications")).content.decode()
    assert coordinator.email in page
    response = client.post(reverse("outbox:notification_resend", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING and notification.attempts == 0


def test_another_partnerships_coordinator_cannot_see_or_resend(client, world, reporter, coordinator, foreigner):
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.FAILED)
    client.force_login(foreigner)
    assert coordinator.email not in client.get(reverse("outbox:failed_notifications")).content.decode()
    assert client.post(reverse("outbox:notification_resend", args=[notification.pk])).status_code == 404


def test_the_outbox_sweep_sends_what_was_left_and_takes_back_dead_claims(world, reporter, coordinator, monkeypatch):

    queued = []
    monkeypatch.setattr(queue, "dispatch", lambda name, pk: queued.append(pk) or True)
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    assert sweep_outbox_task() == 0  # too fresh: its own message is still on the way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert sweep_outbox_task() == 1
    assert queued == [notification.pk]
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    sweep_outbox_task()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING


def test_the_outbox_sweep_leaves_a_failed_row_to_its_retry_back_off(
    world, reporter, coordinator, monkeypatch, settings
):
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    queued = []
    monkeypatch.setattr(queue, "dispatch", lambda name, pk: queued.append(pk) or True)
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    grace = timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempts in range(1, MAX_SEND_ATTEMPTS):
            with pytest.raises(SendFailed) as failed:
                send_notification(notification.pk)
            notification.refresh_from_db()
            # The retry's time is on the row: the task waits exactly that long, and so does the sweep.
            assert notification.next_attempt_at == timezone.now() + timedelta(seconds=failed.value.retry_in)
            clock.move_to(notification.next_attempt_at + grace - timedelta(seconds=1))
            assert sweep_outbox_task() == 0, f"swept during the back-off after attempt {attempts}"
            clock.move_to(notification.next_attempt_at + grace + timedelta(seconds=1))
            assert sweep_outbox_task() == 1, f"a retry lost after attempt {attempts} is never sent"
    assert queued == [notification.pk] * (MAX_SEND_ATTEMPTS - 1)


def test_daily_digest_gathers_held_notifications_into_one_email(world, reporter, coordinator, handler, mailoutbox):
    reporter.notification_delivery = Delivery.DAILY
    reporter.save()
    case = drive(
        file_case(reporter, world.municipality),
        Status.CLOSED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    held = Notification.objects.filter(recipient=reporter)
    assert set(held.values_list("status", flat=True)) == {NotificationStatus.HELD}
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0
    digest = Notification.objects.get(recipient=reporter, kind="daily_digest")
    send_notification(digest.pk)
    assert len(mailoutbox) == 1
    listed = [line for line in mailoutbox[0].body.splitlines() if line.startswith(f"- {case.reference}")]
    assert len(listed) == 3  # forwarded, answered and closed
    assert set(held.exclude(pk=digest.pk).values_list("status", flat=True)) == {NotificationStatus.DIGESTED}


def test_deadline_reminders_are_never_held_for_the_digest(world, reporter, coordinator, handler):
    from avvik.outbox.writing import notify

    handler.notification_delivery = Delivery.DAILY
    handler.save()
    case = file_case(reporter, world.municipality)
    notify(kind="reminder_due", recipients=[handler], deviation=case, threshold="x")
    assert Notification.objects.get(recipient=handler).status == NotificationStatus.PENDING


def test_weekly_digest_lists_the_organisations_open_cases_once_a_week(
    world, reporter, coordinator, handler, mailoutbox
):
    case = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    assert send_weekly_digests() == 1
    assert send_weekly_digests() == 0
    send_notification(Notification.objects.get(kind="weekly_digest").pk)
    assert case.reference in mailoutbox[0].body


def test_a_person_chooses_digest_delivery(client, handler):
    client.force_login(handler)
    response = client.post(reverse("preferences"), {"notification_delivery": "daily"})
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.notification_delivery == Delivery.DAILY


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Collect(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, handler
    controller.stop()


def test_a_real_smtp_server_receives_a_reminder_with_both_parts(
    world, reporter, coordinator, handler, settings, smtp_server
):
    controller, collected = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    from avvik.outbox.writing import notify

    case = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    [pk] = notify(
        kind="reminder_due", recipients=[handler], deviation=case, threshold="2026-12-07:due", reason="Forfaller i dag."
    )
    assert send_notification(pk)
    [received] = collected.messages
    assert received["To"] == handler.email
    assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert case.reference in email.header.make_header(email.header.decode_header(received["Subject"])).__str__()
    assert received["Auto-Submitted"] == "auto-generated"
    parts = {part.get_content_type(): part for part in received.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert case.reference in parts["text/html"].get_payload(decode=True).decode()


def test_nothing_is_mailed_to_someone_who_left_or_lost_access(world, reporter, coordinator, mailoutbox):
    from avvik.tenancy.models import Membership

    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    Membership.objects.filter(user=coordinator).delete()
    assert send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED and "no longer has access" in notification.last_error
    assert mailoutbox == []
