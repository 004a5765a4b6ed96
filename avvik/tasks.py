"""Celery tasks. Each takes ids, loads rows and calls a service; a row that is gone is skipped."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from avvik import emails
from avvik.choices import OPEN_STATUSES, NotificationKind, NotificationStatus, Role
from avvik.models import CouncilReport, Deviation, Notification, Organisation, User, WorkerHeartbeat
from avvik.notifications import enqueue, notify
from avvik.reminders import sweep_deadlines

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
# Celery's exponential back-off between attempts: 30 s, 60 s, 120 s ... at most 30 minutes.
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 1800


def retry_delay(attempts: int) -> int:
    """The longest wait Celery may choose before the retry that follows `attempts` failures."""
    return min(RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1), RETRY_BACKOFF_MAX_SECONDS)


@shared_task(ignore_result=True, time_limit=30, soft_time_limit=20)
def worker_heartbeat() -> None:
    """Show /healthz that a worker is consuming tasks (sent by beat every 30 s)."""
    WorkerHeartbeat.objects.update_or_create(name="default", defaults={"beat_at": timezone.now()})


class SendFailed(Exception):
    """The mail server refused or could not be reached; the row goes back to pending."""


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
def sweep_reminders() -> int:
    """Write due reminders and escalations; their rows are sent after commit."""
    return len(sweep_deadlines().notifications)


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


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def send_weekly_digests() -> int:
    """Each organisation's handlers get the list of its open and overdue cases, once a week."""
    week = timezone.localdate().strftime("%G-W%V")
    count = 0
    responsible = Deviation.objects.filter(status__in=OPEN_STATUSES).values("responsible_organisation")
    for organisation in Organisation.objects.filter(pk__in=responsible):
        handlers = User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__role__in=[Role.HANDLER, Role.ORG_ADMIN]
        ).distinct()
        with transaction.atomic():
            count += len(
                notify(
                    kind=NotificationKind.WEEKLY_DIGEST,
                    recipients=handlers,
                    organisation=organisation,
                    threshold=week,
                )
            )
    return count


REPORT_TIME_LIMIT = 900


@shared_task(ignore_result=True, acks_late=True, time_limit=REPORT_TIME_LIMIT, soft_time_limit=REPORT_TIME_LIMIT - 60)
def build_council_report(report_id: int) -> None:
    """Render and archive one council report (claimed once; a second delivery does nothing)."""
    from avvik.services.council import report_build

    if not CouncilReport.objects.filter(pk=report_id).exists():
        logger.info("report %s is gone; skipped", report_id)
        return
    report_build(report_id=report_id)


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_reports() -> int:
    """Make the quarter's reports on the first working day after it."""
    from avvik.services.council import quarterly_reports_create

    made = quarterly_reports_create(today=timezone.localdate())
    sweep_report_queue()
    return len(made)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_report_queue() -> int:
    """Queue reports whose message was lost, and take back those a dead worker left running
    (a claim older than the build's time limit)."""
    from avvik.services.council import reports_requeue

    return len(reports_requeue(lease_seconds=REPORT_TIME_LIMIT + 60))


@shared_task(ignore_result=True, time_limit=1800, soft_time_limit=1700)
def apply_retention() -> None:
    """Erase old patient references and anonymise old cases (daily; a second run does nothing)."""
    from avvik.services.retention import retention_apply

    run = retention_apply()
    logger.info(
        "retention: %s patient references erased, %s cases anonymised", run.patients_erased, run.cases_anonymised
    )


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """Catch up at once after a start or restart instead of waiting for beat's first interval.
    Several workers doing so is harmless: each notification's key lets it be written once."""
    sweep_reminders.delay()
    sweep_outbox.delay()
