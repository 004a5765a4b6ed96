"""Delivering outbox rows: claimed by compare-and-swap, sent once, retried with back-off."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from avvik.access.roles import roles_of
from avvik.access.scoping import case_rule
from avvik.outbox import emails
from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.outbox.models import Notification
from avvik.outbox.writing import enqueue, notify
from avvik.tenancy.models import User

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
    if recipient.is_superuser:
        return True
    rule = case_rule(roles_of(recipient), "deviation__")
    return rule is not None and Notification.objects.filter(rule, pk=notification.pk).exists()


def outbox_sweep() -> int:
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


def daily_digests_write() -> int:
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
