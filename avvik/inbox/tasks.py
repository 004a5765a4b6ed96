"""Celery tasks of the notification centre: retention."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from avvik.inbox.services import notices_delete_old
from avvik.operations.runs import timed_run

logger = logging.getLogger(__name__)

NOTICE_RETENTION = "notice_retention"


@shared_task(ignore_result=True, time_limit=900, soft_time_limit=840)
def delete_old_notices() -> int:
    """Delete notices older than SITE_NOTICE_RETENTION_DAYS (daily; a second run finds nothing)."""
    with timed_run(NOTICE_RETENTION):
        deleted = notices_delete_old(before=timezone.now() - timedelta(days=settings.SITE_NOTICE_RETENTION_DAYS))
    logger.info("notice retention: %s notices deleted", deleted)
    return deleted
