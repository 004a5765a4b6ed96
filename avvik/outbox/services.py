"""Writes on the outbox that people start: sending a failed notification again."""

from django.db import transaction

from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.outbox.writing import enqueue
from avvik.tenancy.models import User


@transaction.atomic
def notification_resend(*, notification, by: User) -> None:
    """Put a failed notification back in the outbox; it is sent after commit."""

    updated = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, attempts=0, last_error=""
    )
    if updated:
        transaction.on_commit(lambda: enqueue([notification.pk]))
