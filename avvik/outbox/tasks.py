"""Celery tasks of the outbox: thin wrappers around delivery."""

import logging

from celery import shared_task

from avvik.outbox.delivery import (
    MAX_SEND_ATTEMPTS,
    RETRY_BACKOFF_MAX_SECONDS,
    RETRY_BACKOFF_SECONDS,
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
    return outbox_sweep()


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def send_daily_digests() -> int:
    """One summary per person of the notifications held for it."""
    return daily_digests_write()
