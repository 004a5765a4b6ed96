"""Celery tasks of operations: the worker's heartbeat."""

from celery import shared_task
from django.utils import timezone

from avvik.operations.models import WorkerHeartbeat


@shared_task(ignore_result=True, time_limit=30, soft_time_limit=20)
def worker_heartbeat() -> None:
    """Show /healthz that a worker is consuming tasks (sent by beat every 30 s)."""
    WorkerHeartbeat.objects.update_or_create(name="default", defaults={"beat_at": timezone.now()})
