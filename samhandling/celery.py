"""The Celery application: configured from Django settings with the CELERY_ prefix."""

import os
from logging.config import dictConfig
from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

app = Celery("samhandling")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task's log lines carry the request id of the request that queued it (avvik/operations/logs.py).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def logging_as_django(**kwargs: Any) -> None:
    """Worker and beat log as web does (LOG_FORMAT, LOG_LEVEL), not in Celery's own format."""
    from django.conf import settings

    dictConfig(settings.LOGGING)
