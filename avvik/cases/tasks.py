"""Celery tasks of cases: retention."""

import logging

from celery import shared_task

from avvik.cases.services.retention import retention_apply

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, time_limit=1800, soft_time_limit=1700)
def apply_retention() -> None:
    """Erase old patient references and anonymise old cases (daily; a second run does nothing)."""

    run = retention_apply()
    logger.info(
        "retention: %s patient references erased, %s cases anonymised", run.patients_erased, run.cases_anonymised
    )
