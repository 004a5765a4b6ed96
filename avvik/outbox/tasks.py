"""Celery tasks of the outbox: thin wrappers around delivery."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.outbox.delivery import (
    MAX_SEND_ATTEMPTS,
    RETRY_BACKOFF_MAX_SECONDS,
    RETRY_BACKOFF_SECONDS,
    SendFailed,
    retry_delay,
    send_notification,
)
from avvik.outbox.models import Notification
from avvik.outbox.writing import enqueue, notify
from avvik.tenancy.models import User

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(SendFailed,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_SEND_ATTEMPTS - 1,
    time_limit=120,
    soft_time_limit=90,
)
def deliver_notification(self, notification_id: int) -> None:
    """Send one outbox row, once: claimed by compare-and-swap, marked sent after the send."""
    send_notification(notification_id)


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def sweep_outbox() -> int:
    """Send what a lost broker message left behind, and take back claims a dead worker left."""
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    Notification.objects.filter(status=NotificationStatus.SENDING, claimed_at__lt=lease).update(
        status=NotificationStatus.PENDING
    )
    grace = settings.OUTBOX_GRACE_SECONDS
    # A row that failed waits out its retry's back-off before the sweep counts its message lost;
    # otherwise an outage of a few minutes would use up every attempt at the sweep's pace.
    lost = Q(attempts=0, created_at__lt=now - timedelta(seconds=grace))
    for attempts in range(1, MAX_SEND_ATTEMPTS):
        waited = now - timedelta(seconds=retry_delay(attempts) + grace)
        lost |= Q(attempts=attempts, claimed_at__lt=waited)
    ids = list(
        Notification.objects.filter(lost, status=NotificationStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    enqueue(ids)
    return len(ids)


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def send_daily_digests() -> int:
    """One summary per person of the notifications held for it."""
    today = timezone.localdate().isoformat()
    count = 0
    recipients = User.objects.filter(notifications__status=NotificationStatus.HELD).distinct()
    for recipient in recipients:
        with transaction.atomic():
            ids = notify(kind=NotificationKind.DAILY_DIGEST, recipients=[recipient], threshold=today)
            if not ids:
                continue  # today's summary exists (and may be sent): the rest waits for tomorrow's
            digest = Notification.objects.filter(
                kind=NotificationKind.DAILY_DIGEST, recipient=recipient, key__endswith=f":{today}:{recipient.pk}"
            ).first()
            Notification.objects.filter(recipient=recipient, status=NotificationStatus.HELD).update(
                status=NotificationStatus.DIGESTED, digest=digest, sent_at=timezone.now()
            )
            count += len(ids)
    return count
