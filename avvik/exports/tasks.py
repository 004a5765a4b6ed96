"""Celery tasks of list exports: thin wrappers around building one, the lost-work sweep and the clean-up."""

import logging

from celery import shared_task
from django.utils import timezone

from avvik.exports.building import export_build
from avvik.exports.models import Export
from avvik.exports.services import BUILD_TASK, EXPORT_TIME_LIMIT, exports_delete_expired, exports_requeue

logger = logging.getLogger(__name__)


@shared_task(
    name=BUILD_TASK,
    ignore_result=True,
    acks_late=True,
    time_limit=EXPORT_TIME_LIMIT,
    soft_time_limit=EXPORT_TIME_LIMIT - 60,
)
def build_export(export_id: int) -> None:
    """Write the file of one export (claimed once; a second delivery does nothing)."""
    if not Export.objects.filter(pk=export_id).exists():
        logger.info("export %s is gone; skipped", export_id)
        return
    export_build(export_id=export_id)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_export_queue() -> int:
    """Queue exports whose message was lost, and take back those a dead worker left running
    (a claim older than the build's time limit)."""
    return len(exports_requeue(lease_seconds=EXPORT_TIME_LIMIT + 60))


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def delete_old_exports() -> int:
    """Delete the exports, and their files, that are older than a day."""
    return exports_delete_expired(now=timezone.now())
