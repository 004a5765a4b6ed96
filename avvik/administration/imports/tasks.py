"""The task that invites the rows of a confirmed people file."""

import logging

from celery import shared_task

from avvik.administration.imports.services import (
    IMPORT_TASK,
    IMPORT_TIME_LIMIT,
    people_import_run,
    people_imports_requeue,
)
from avvik.administration.models import PeopleImport

logger = logging.getLogger(__name__)


@shared_task(
    name=IMPORT_TASK,
    ignore_result=True,
    acks_late=True,
    time_limit=IMPORT_TIME_LIMIT,
    soft_time_limit=IMPORT_TIME_LIMIT - 60,
)
def import_people(import_id: int) -> None:
    """Invite what the sender's hourly limit allows; queue itself again for when it allows more."""
    if not PeopleImport.objects.filter(pk=import_id).exists():
        logger.info("people import %s is gone; skipped", import_id)
        return
    step = people_import_run(import_id=import_id)
    if step.resumes_at is not None:
        import_people.apply_async(args=(import_id,), eta=step.resumes_at)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_people_imports() -> int:
    """Queue the imports whose message was lost (the broker was down, or a worker lost it)."""
    return len(people_imports_requeue())
