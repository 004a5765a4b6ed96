"""Delivering outbox rows: claimed by compare-and-swap, sent once, retried with back-off.

Once the mail server has accepted a message, marking its row sent is retried through a short
database outage, so that the row is not left claimed and sent again when its lease runs out.
"""

import logging
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from avvik.access.roles import roles_of
from avvik.access.scoping import case_rule
from avvik.outbox import emails
from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.outbox.models import Notification
from avvik.outbox.writing import enqueue, notify
from avvik.tenancy.models import User

logger = logging.getLogger(__name__)


# After this many attempts a notification is marked failed and listed for the coordinators.
MAX_SEND_ATTEMPTS = 6


# Each wait is its nominal length times a random factor in this range, so that rows that failed
# together (a mail server down for everyone) do not all come back in the same second, while the
# schedule as a whole stays as long as it is meant to be.
RETRY_JITTER = (0.8, 1.2)


_random = secrets.SystemRandom()


def jitter_factor() -> float:
    return _random.uniform(*RETRY_JITTER)


def retry_delay(attempts: int, *, factor: float | None = None) -> float:
    """Seconds to wait after `attempts` failed attempts before the next one.

    NOTIFICATION_RETRY_BASE_SECONDS doubled after each failure, times a factor in RETRY_JITTER
    (drawn at random unless given). At the production scale of 75 s the waits are about 75 s,
    2.5, 5, 10 and 20 minutes: 31 to 46.5 minutes from the first attempt to the last.
    """
    if factor is None:
        factor = jitter_factor()
    return settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1) * factor


def retry_schedule(*, factor: float) -> list[float]:
    """The waits between one notification's attempts, each drawn with the same factor."""
    return [retry_delay(attempts, factor=factor) for attempts in range(1, MAX_SEND_ATTEMPTS)]


class SendFailed(Exception):
    """The mail server refused or could not be reached; the row goes back to pending.

    `retry_in` is the wait, in seconds, that the row's `next_attempt_at` was set to.
    """

    def __init__(self, message: str, *, retry_in: float):
        super().__init__(message)
        self.retry_in = retry_in


def send_notification(notification_id: int) -> bool:
    """Claim and send; True when this call sent it. Raises SendFailed to be retried."""
    notification = (
        Notification.objects.select_related("recipient", "deviation", "organisation", "report__partnership")
        .filter(pk=notification_id, status=NotificationStatus.PENDING)
        .first()
    )
    if notification is None:
        return False  # sent, held, failed, claimed by another worker, or gone
    now = timezone.now()
    if notification.next_attempt_at and notification.next_attempt_at > now + timedelta(seconds=1):
        # A second task message for a row waiting out its back-off (the sweep re-queued it, or the
        # broker redelivered one) would start a second chain of retries and use up the attempts
        # early; the message of the retry that is due, or the sweep, sends it. One second allows
        # for clocks of different hosts.
        return False
    attempt_times = [*notification.attempt_times, now.isoformat()]
    # The claim: only the call that moves the row from pending at this count of attempts to the
    # next sends it; any other worker, sweep or redelivered message finds no row to change.
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, attempts=notification.attempts
    ).update(
        status=NotificationStatus.SENDING,
        claimed_at=now,
        attempts=notification.attempts + 1,
        attempt_times=attempt_times,
        next_attempt_at=None,
    )
    if not claimed:
        return False
    notification.attempts += 1
    notification.attempt_times = attempt_times
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
        retry_in = _record_failure(notification, exc)
        if retry_in is None:
            return False
        raise SendFailed(str(exc), retry_in=retry_in) from exc
    # The mail server has the message: from here on, nothing may make it send again.
    _mark_sent(notification_id, sent_at=timezone.now())
    return True


def _record_failure(notification: Notification, exc: Exception) -> float | None:
    """Put a row whose attempt failed back to pending with the time of its next attempt, or mark
    it failed after the last. Returns the wait in seconds, or None when it is failed."""
    final = notification.attempts >= MAX_SEND_ATTEMPTS
    retry_in = None if final else retry_delay(notification.attempts)
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
        next_attempt_at=None if retry_in is None else timezone.now() + timedelta(seconds=retry_in),
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
    logger.warning(
        "notification %s: attempt %s failed (%s); %s",
        notification.pk,
        notification.attempts,
        exc,
        "giving up" if retry_in is None else f"next attempt in {retry_in:.0f} s",
    )
    return retry_in


# Waits between tries to mark a row sent while the database does not answer: doubling from the
# first to the longest, for at most NOTIFICATION_MARK_SENT_SECONDS in all.
MARK_SENT_FIRST_WAIT = 0.2
MARK_SENT_LONGEST_WAIT = 5.0


def _mark_sent(notification_id: int, *, sent_at: datetime) -> bool:
    """Mark a row sent that the mail server has accepted; True once the database has it.

    A database that does not answer is asked again, on a new connection, for up to
    NOTIFICATION_MARK_SENT_SECONDS. If it is still gone, the row stays claimed and is sent a
    second time when its lease runs out, with the same Message-ID.
    """
    deadline = time.monotonic() + settings.NOTIFICATION_MARK_SENT_SECONDS
    wait = MARK_SENT_FIRST_WAIT
    tries = 0
    while True:
        tries += 1
        try:
            # By id alone: even a claim taken back meanwhile was sent, by this call.
            Notification.objects.filter(pk=notification_id).update(status=NotificationStatus.SENT, sent_at=sent_at)
        except (OperationalError, InterfaceError) as exc:
            if time.monotonic() + wait > deadline:
                logger.error(
                    "notification %s: sent, but not marked sent after %s tries (%s); it stays claimed and "
                    "is sent again, with the same Message-ID, when its lease runs out",
                    notification_id,
                    tries,
                    exc,
                )
                return False
            logger.warning("notification %s: sent; marking it sent failed (%s), trying again", notification_id, exc)
            _drop_connection()
            time.sleep(wait)
            wait = min(wait * 2, MARK_SENT_LONGEST_WAIT)
            continue
        if tries > 1:
            logger.info("notification %s: marked sent at try %s", notification_id, tries)
        return True


def _drop_connection() -> None:
    """Close the outbox's database connection, so that the next query opens a new one. Inside a
    caller's transaction it is left open: closing it would lose the caller's work."""
    connection = connections[router.db_for_write(Notification) or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except (OperationalError, InterfaceError):
        connection.connection = None  # closing a broken connection may fail; it is dropped all the same


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
        status=NotificationStatus.PENDING, next_attempt_at=None
    )
    waited = now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    # A new row's message is lost when it has not been claimed within the grace; a failed row's
    # retry when it has not been claimed within the grace after the time its back-off chose, so
    # that an outage of a few minutes does not use up every attempt at the sweep's pace. A claim
    # taken back above is sent at once.
    lost = Q(next_attempt_at__isnull=True, created_at__lt=waited) | Q(next_attempt_at__lt=waited)
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
