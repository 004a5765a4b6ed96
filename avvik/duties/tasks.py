"""Celery task of the statutory duties: a thin wrapper around the duties sweep."""

from celery import shared_task

from avvik.duties.sweep import sweep_duties


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_duty_reminders() -> int:
    """Write due reminders of unrecorded alerts and undecided breaches; sent after commit."""
    return len(sweep_duties())
