"""Celery tasks of the council: thin wrappers around building reports and the quarterly sweep."""

import logging

from celery import shared_task
from django.utils import timezone

from avvik.council.models import CouncilReport
from avvik.council.services import (
    BUILD_TASK,
    REPORT_TIME_LIMIT,
    quarterly_reports_create,
    report_build,
    reports_requeue,
)

logger = logging.getLogger(__name__)


@shared_task(
    name=BUILD_TASK,
    ignore_result=True,
    acks_late=True,
    time_limit=REPORT_TIME_LIMIT,
    soft_time_limit=REPORT_TIME_LIMIT - 60,
)
def build_council_report(report_id: int) -> None:
    """Render and archive one council report (claimed once; a second delivery does nothing)."""
    if not CouncilReport.objects.filter(pk=report_id).exists():
        logger.info("report %s is gone; skipped", report_id)
        return
    report_build(report_id=report_id)


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def sweep_reports() -> int:
    """Make the quarter's reports on the first working day after it."""
    made = quarterly_reports_create(today=timezone.localdate())
    sweep_report_queue()
    return len(made)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_report_queue() -> int:
    """Queue reports whose message was lost, and take back those a dead worker left running
    (a claim older than the build's time limit)."""
    return len(reports_requeue(lease_seconds=REPORT_TIME_LIMIT + 60))
