"""Handing work to the Celery broker by task name, so that the services that queue work need not
import the tasks that call them. When the broker cannot be reached the caller's request still
completes: each kind of queued work has a sweep that picks up what was not handed over."""

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def dispatch(task_name: str, *args: object) -> bool:
    """Queue one task; False when the broker is down (nothing is raised)."""
    try:
        current_app.send_task(task_name, args=list(args), retry=False)
    except Exception:  # any broker failure: the work stays in the database for its sweep
        logger.warning("broker unavailable; %s%r left for its sweep", task_name, args)
        return False
    return True
