"""Delivering outbox rows: claimed by compare-and-swap, sent once, retried with back-off."""

import logging

from django.db.models import F
from django.utils import timezone

from avvik.cases.models.deviation import Deviation
from avvik.outbox import emails
from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.outbox.models import Notification

logger = logging.getLogger(__name__)


MAX_SEND_ATTEMPTS = 5


# Celery's exponential back-off between attempts: 30 s, 60 s, 120 s ... at most 30 minutes.
RETRY_BACKOFF_SECONDS = 30


RETRY_BACKOFF_MAX_SECONDS = 1800


def retry_delay(attempts: int) -> int:
    """The longest wait Celery may choose before the retry that follows `attempts` failures."""
    return min(RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1), RETRY_BACKOFF_MAX_SECONDS)


class SendFailed(Exception):
    """The mail server refused or could not be reached; the row goes back to pending."""


def send_notification(notification_id: int) -> bool:
    """Claim and send; True when this call sent it. Raises SendFailed to be retried."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # sent, held, failed, claimed by another worker, or gone
    notification = Notification.objects.select_related(
        "recipient", "deviation", "organisation", "report__partnership"
    ).get(pk=notification_id)
    if not _may_still_receive(notification):
        # Never mail a case to someone who has left or lost access; listed, not dropped silently.
        Notification.objects.filter(pk=notification_id).update(
            status=NotificationStatus.FAILED, last_error="The recipient is inactive or no longer has access."
        )
        return False
    items = None
    if notification.kind in (NotificationKind.DAILY_DIGEST, NotificationKind.WEEKLY_DIGEST):
        items = emails.digest_items(notification)
    try:
        emails.build_message(notification, items=items).send()
    except Exception as exc:  # SMTP, network, or a fault of ours: retried, then listed as failed
        final = notification.attempts >= MAX_SEND_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("notification %s: send failed (%s)%s", notification_id, exc, "; giving up" if final else "")
        if final:
            return False
        raise SendFailed(str(exc)) from exc
    Notification.objects.filter(pk=notification_id).update(status=NotificationStatus.SENT, sent_at=timezone.now())
    return True


def _may_still_receive(notification: Notification) -> bool:
    recipient = notification.recipient
    if not recipient.is_active:
        return False
    if notification.deviation_id is None:
        return True
    return Deviation.objects.visible_to(recipient).filter(pk=notification.deviation_id).exists()
