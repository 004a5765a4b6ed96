"""Celery tasks of cases: retention, and the clean-up of files held for forms never sent."""

import logging

from celery import shared_task

from avvik.cases.services.held import held_uploads_clean
from avvik.cases.services.retention import retention_apply
from avvik.operations.runs import timed_run

logger = logging.getLogger(__name__)

# The name the clean-up's last run is recorded under (operations.PeriodicRun).
HELD_UPLOADS_CLEAN_UP = "held_uploads_clean_up"


@shared_task(ignore_result=True, time_limit=1800, soft_time_limit=1700)
def apply_retention() -> None:
    """Erase old patient references and anonymise old cases (daily; a second run does nothing)."""

    run = retention_apply()
    logger.info(
        "retention: %s patient references erased, %s cases anonymised", run.patients_erased, run.cases_anonymised
    )


@shared_task(ignore_result=True, time_limit=600, soft_time_limit=540)
def clean_held_uploads() -> int:
    """Remove files held for a form that was not sent again within a day (hourly; a second run
    removes nothing)."""
    with timed_run(HELD_UPLOADS_CLEAN_UP):
        removed = held_uploads_clean()
    logger.info("held uploads: %s removed", removed)
    return removed
