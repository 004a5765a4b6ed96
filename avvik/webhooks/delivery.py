"""Sending webhook deliveries: claimed by compare-and-swap, signed, sent once, retried with back-off.

The signature is HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret, in the header
X-Samhandling-Signature as "sha256=<hex>"; the receiver checks it and the timestamp's age, and drops
an event id it has seen (docs/webhooks.md)."""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from avvik.core import queue
from avvik.core.crypto import decrypt
from avvik.webhooks.choices import DeliveryStatus
from avvik.webhooks.events import DELIVER_TASK
from avvik.webhooks.models import Delivery
from avvik.webhooks.targets import check_target

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, retry_in: float):
        super().__init__(message)
        self.retry_in = retry_in


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_delay(attempts: int) -> float:
    return float(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def deliver(delivery_id: int) -> bool:
    """Claim and send one delivery; True when this call delivered it. Raises DeliveryFailed to retry."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id, status=DeliveryStatus.PENDING).first()
    if delivery is None:
        return False
    now = timezone.now()
    if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
        return False  # a second message for a row waiting out its back-off: the due one sends it
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempts=delivery.attempts).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=delivery.attempts + 1, next_attempt_at=None
    )
    if not claimed:
        return False
    delivery.attempts += 1
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED, last_error="Webhook switched off.")
        return False
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    try:
        check_target(endpoint.url)
        response = requests.post(
            endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Samhandling-Webhook/1",
                "X-Samhandling-Event": delivery.event,
                "X-Samhandling-Event-Id": str(delivery.event_id),
                "X-Samhandling-Timestamp": timestamp,
                "X-Samhandling-Signature": signature(decrypt(endpoint.secret), timestamp, body),
            },
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,  # a redirect could lead past the address check
        )
    except (requests.RequestException, ValidationError) as exc:
        return _failed(delivery, f"{type(exc).__name__}: {exc}", None)
    if not 200 <= response.status_code < 300:
        return _failed(delivery, f"HTTP {response.status_code}", response.status_code)
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), response_status=response.status_code, last_error=""
    )
    return True


def _failed(delivery: Delivery, error: str, status: int | None) -> bool:
    final = delivery.attempts >= MAX_ATTEMPTS
    retry_in = None if final else retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        next_attempt_at=None if retry_in is None else timezone.now() + timedelta(seconds=retry_in),
        last_error=error[:2000],
        response_status=status,
    )
    logger.warning("webhook delivery %s: attempt %s failed (%s)", delivery.pk, delivery.attempts, error)
    if retry_in is None:
        return False
    raise DeliveryFailed(error, retry_in=retry_in)


def sweep() -> int:
    """Send what a lost broker message left behind, and take back claims a dead worker left."""
    now = timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=lease).update(
        status=DeliveryStatus.PENDING, next_attempt_at=None
    )
    waited = now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    lost = Q(next_attempt_at__isnull=True, created_at__lt=waited) | Q(next_attempt_at__lt=waited)
    ids = list(
        Delivery.objects.filter(lost, status=DeliveryStatus.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        if not queue.dispatch(DELIVER_TASK, pk):
            break
    return len(ids)
