"""Celery tasks of the outbox: thin wrappers around delivery."""

import logging

from celery import shared_task
from django.conf import settings

from avvik.outbox.delivery import (
    MAX_SEND_ATTEMPTS,
    SendFailed,
    daily_digests_write,
    outbox_sweep,
    send_notification,
)
from avvik.outbox.writing import DELIVER_TASK

logger = logging.getLogger(__name__)


@shared_task(
    name=DELIVER_TASK,
    bind=True,
    ignore_result=True,
    acks_late=True,
    max_retries=MAX_SEND_ATTEMPTS - 1,
    # Room for the SMTP exchange and for marking the row sent through a short database outage;
    # settings keeps the lease longer, so that a live worker's claim is never taken back.
    time_limit=settings.NOTIFICATION_SEND_TIME_LIMIT,
    soft_time_limit=settings.NOTIFICATION_SEND_TIME_LIMIT - 30,
)
def deliver_notification(self, notification_id: int) -> None:
    """Send one outbox row, once: claimed by compare-and-swap, marked sent after the send.

    A failed attempt is retried after the wait its row was given (delivery.retry_delay: doubling,
    with bounded jitter), not after Celery's own back-off, whose jitter is unbounded; if the retry's
    message is lost, the outbox sweep sends the row once that time has passed.
    """
    try:
        send_notification(notification_id)
    except SendFailed as failed:
        raise self.retry(countdown=failed.retry_in, exc=failed) from failed


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def sweep_outbox() -> int:
    """Send what a lost broker message left behind, and take back claims a dead worker left."""
    return outbox_sweep()


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def send_daily_digests() -> int:
    """One summary per person of the notifications held for it."""
    return daily_digests_write()
