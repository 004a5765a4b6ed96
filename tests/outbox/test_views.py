"""The coordinators' list of failed notifications."""

import pytest
import time_machine
from django.urls import reverse

from avvik.outbox import delivery
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.delivery import MAX_SEND_ATTEMPTS, SendFailed, send_notification
from avvik.outbox.models import Notification
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def test_the_failed_list_shows_when_each_attempt_was_made(client, world, reporter, coordinator, settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.outbox.test_delivery.RefusingBackend"
    monkeypatch.setattr(delivery, "jitter_factor", lambda: 1.0)  # the nominal schedule: 75 s, 150 s, ...
    with time_machine.travel("2026-12-07 08:00 +01:00", tick=False) as clock:
        file_case(reporter, world.municipality)
        notification = Notification.objects.get(recipient=coordinator)
        for _ in range(MAX_SEND_ATTEMPTS - 1):
            with pytest.raises(SendFailed):
                send_notification(notification.pk)
            notification.refresh_from_db()
            clock.move_to(notification.next_attempt_at)
        send_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED

    client.force_login(coordinator)
    page = client.get(reverse("outbox:failed_notifications")).content.decode()
    # 08:00 Oslo time, then 75 s, 2.5, 5, 10 and 20 minutes later.
    for shown in ("08:00:00", "08:01:15", "08:03:45", "08:08:45", "08:18:45", "08:38:45"):
        assert f"07.12.2026 {shown}</time>" in page
    assert 'datetime="2026-12-07T08:38:45+01:00"' in page


def test_a_notification_failed_before_attempts_were_recorded_is_listed_without_times(
    client, world, reporter, coordinator
):
    file_case(reporter, world.municipality)
    Notification.objects.filter(recipient=coordinator).update(status=NotificationStatus.FAILED, attempts=5)
    client.force_login(coordinator)
    page = client.get(reverse("outbox:failed_notifications")).content.decode()
    assert coordinator.email in page and "<time" not in page
