"""Celery tasks of measures: a thin wrapper around the follow-up sweep."""

from celery import shared_task

from avvik.measures.sweep import sweep_measures


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_measure_follow_up() -> int:
    """Write due measure reminders and escalations; their rows are sent after commit."""
    return len(sweep_measures().notifications)
