"""Celery tasks of reminders: thin wrappers around the deadline sweep and the weekly summaries."""

from celery import shared_task
from celery.signals import worker_ready

from avvik.operations.runs import REMINDER_SWEEP, timed_run
from avvik.outbox.tasks import sweep_outbox
from avvik.reminders.digests import weekly_digests_write
from avvik.reminders.sweep import sweep_deadlines


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_reminders() -> int:
    """Write due reminders and escalations; their rows are sent after commit."""
    with timed_run(REMINDER_SWEEP):  # its duration is a metric
        return sweep_deadlines().written


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def send_weekly_digests() -> int:
    """Each organisation's handlers get the list of its open and overdue cases, once a week."""
    return weekly_digests_write()


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """Catch up at once after a start or restart instead of waiting for beat's first interval.
    Several workers doing so is harmless: each notification's key lets it be written once."""
    sweep_reminders.delay()
    sweep_outbox.delay()
