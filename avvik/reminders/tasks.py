"""Celery tasks of reminders: the deadline sweep and the weekly summaries."""

from celery import shared_task
from celery.signals import worker_ready
from django.db import transaction
from django.utils import timezone

from avvik.cases.choices import OPEN_STATUSES
from avvik.cases.models.deviation import Deviation
from avvik.outbox.choices import NotificationKind
from avvik.outbox.tasks import sweep_outbox
from avvik.outbox.writing import notify
from avvik.reminders.sweep import sweep_deadlines
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Organisation, User


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_reminders() -> int:
    """Write due reminders and escalations; their rows are sent after commit."""
    return len(sweep_deadlines().notifications)


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


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """Catch up at once after a start or restart instead of waiting for beat's first interval.
    Several workers doing so is harmless: each notification's key lets it be written once."""
    sweep_reminders.delay()
    sweep_outbox.delay()
