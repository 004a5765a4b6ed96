"""Handing work to the Celery broker by task name, so that the services that queue work need not
import the tasks that call them. When the broker cannot be reached the caller's request still
completes: each kind of queued work has a sweep that picks up what was not handed over.

A broker that is down answers at once; one that hangs (accepts connections, never answers) costs
its socket timeout. So after the first failure a process stops trying for BROKER_BREAKER_SECONDS
(a circuit breaker): one filing may wait the timeout once, the next ones do not wait at all, and
the outbox sweep sends what was left once the broker answers again."""

import logging
import time

from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)

_open_until = 0.0  # monotonic time until which this process does not try the broker


def dispatch(task_name: str, *args: object) -> bool:
    """Queue one task; False when the broker failed now or lately (nothing is raised)."""
    global _open_until
    if time.monotonic() < _open_until:
        logger.info("broker failed lately; %s%r left for its sweep", task_name, args)
        return False
    try:
        # No result is read back: without ignore_result, Celery subscribes to the task's result in
        # the result backend first, and a Redis that hangs held the request for minutes there.
        current_app.send_task(task_name, args=list(args), retry=False, ignore_result=True)
    except Exception:  # any broker failure: the work stays in the database for its sweep
        _open_until = time.monotonic() + settings.BROKER_BREAKER_SECONDS
        logger.warning("broker unavailable; %s%r left for its sweep", task_name, args)
        return False
    return True


def breaker_reset() -> None:
    """Try the broker again at the next dispatch (for tests, and after an operator fixed it)."""
    global _open_until
    _open_until = 0.0
