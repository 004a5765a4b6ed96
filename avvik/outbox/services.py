"""Writes on the outbox that people start: sending a failed notification again."""

from django.db import transaction
from django.utils import timezone

from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.outbox.writing import enqueue
from avvik.tenancy.models import User


@transaction.atomic
def notification_resend(*, notification, by: User) -> None:
    """Put a failed notification back in the outbox with a fresh round of attempts; it is sent
    after commit, or by the outbox sweep if that message is lost."""
    updated = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING,
        attempts=0,
        attempt_times=[],
        next_attempt_at=timezone.now(),
        last_error="",
    )
    if updated:
        transaction.on_commit(lambda: enqueue([notification.pk]))
