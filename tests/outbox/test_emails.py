"""The e-mail of a notification: one Message-ID for good, so a copy can be recognised."""

import re
import smtplib

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from avvik.outbox.delivery import SendFailed, send_notification
from avvik.outbox.emails import build_message
from avvik.outbox.models import Notification
from tests.builders import file_case

pytestmark = pytest.mark.django_db


class FailsOnceBackend(LocmemBackend):
    """Refuses the first message it is given and accepts the rest; records every Message-ID it saw."""

    seen: list[str] = []

    def send_messages(self, messages):
        FailsOnceBackend.seen.extend(message.message()["Message-ID"] for message in messages)
        if len(FailsOnceBackend.seen) == 1:
            raise smtplib.SMTPServerDisconnected("connection closed")
        return super().send_messages(messages)


def test_a_notification_has_one_message_id_in_every_build(world, reporter, coordinator, settings):
    settings.SITE_URL = "https://avvik.helse-test.no:8443"
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    first = build_message(notification).message()["Message-ID"]
    second = build_message(Notification.objects.get(pk=notification.pk)).message()["Message-ID"]
    assert first == second
    assert re.fullmatch(r"<notification-[0-9a-f]{32}@avvik\.helse-test\.no>", first)
    assert notification.key not in first  # the key's ids do not show


def test_two_notifications_have_different_message_ids(world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality)
    from avvik.outbox.writing import notify

    notify(kind="reminder_due", recipients=[coordinator, handler], deviation=case, threshold="x")
    ids = {build_message(n).message()["Message-ID"] for n in Notification.objects.all()}
    assert len(ids) == Notification.objects.count() == 3


def test_a_retry_sends_the_same_message_id(world, reporter, coordinator, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.outbox.test_emails.FailsOnceBackend"
    FailsOnceBackend.seen = []
    file_case(reporter, world.municipality)
    notification = Notification.objects.get(recipient=coordinator)
    with pytest.raises(SendFailed):
        send_notification(notification.pk)
    notification.refresh_from_db()
    with time_machine.travel(notification.next_attempt_at, tick=False):  # the retry, when it is due
        assert send_notification(notification.pk) is True
    [refused, accepted] = FailsOnceBackend.seen
    assert refused == accepted == mailoutbox[0].message()["Message-ID"]
