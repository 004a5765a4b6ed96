"""Probes for the health checks: the database, the Celery broker and a recent worker heartbeat."""

import logging
import os
from datetime import timedelta

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from avvik.core.redis_urls import configured_client
from avvik.operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("health: database unreachable", exc_info=True)
        return False


def broker_ok() -> bool:
    if settings.REDIS_URL:
        try:
            client = configured_client(socket_connect_timeout=1, socket_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except redis.RedisError:
            logger.warning("health: Redis unreachable")
            return False
    # The embedded broker is a folder shared by web, worker and beat.
    folder = settings.CELERY_BROKER_DIR
    return folder.is_dir() and os.access(folder, os.W_OK)


def worker_ok() -> bool:
    try:
        beat = WorkerHeartbeat.objects.filter(name="default").values_list("beat_at", flat=True).first()
    except Exception:
        return False
    if beat is None:
        return False
    return timezone.now() - beat < timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)


def readiness_report() -> dict[str, bool]:
    """What a web process needs to serve requests (/healthz/ready)."""
    return {"database": database_ok(), "broker": broker_ok()}


def health_report() -> dict[str, bool]:
    """The whole picture (/healthz): what web needs, and a worker consuming tasks."""
    return {**readiness_report(), "worker": worker_ok()}
