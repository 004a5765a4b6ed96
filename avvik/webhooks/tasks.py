"""Celery tasks of webhooks: thin wrappers around delivery and its sweep."""

from typing import Any

from celery import shared_task

from avvik.webhooks.delivery import MAX_ATTEMPTS, DeliveryFailed, deliver, sweep


@shared_task(bind=True, ignore_result=True, max_retries=MAX_ATTEMPTS - 1, time_limit=60, soft_time_limit=45)
def deliver_webhook(self: Any, delivery_id: int) -> None:
    """Send one delivery, once; a failed attempt is retried after the wait its row was given."""
    try:
        deliver(delivery_id)
    except DeliveryFailed as failed:
        raise self.retry(countdown=failed.retry_in, exc=failed) from failed


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def sweep_webhooks() -> int:
    return sweep()
