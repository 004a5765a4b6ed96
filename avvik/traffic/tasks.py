"""Celery task of message traffic: a thin wrapper around the monitoring sweep."""

from celery import shared_task

from avvik.traffic.monitoring import sweep


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_traffic() -> int:
    """Fail messages past their response time, gather failures into clusters and open their cases."""
    return sweep().gathered
