"""With DATABASE_URL and REDIS_URL set (as in CI), the suite really uses PostgreSQL and Redis."""

import os

import pytest
import redis
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI") == "true"


def test_ci_sets_postgres_and_redis():
    if not IN_CI:
        pytest.skip("outside CI the embedded defaults may be used")
    assert os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    assert os.environ.get("REDIS_URL", "").startswith("redis://")


@pytest.mark.django_db
def test_database_vendor_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 150000
    else:
        assert connection.vendor == "sqlite"


def test_celery_broker_follows_redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        assert settings.CELERY_BROKER_URL == "filesystem://"
        return
    assert url == settings.CELERY_BROKER_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    key = "samhandling:test:ping"
    client.set(key, "pong", ex=30)
    assert client.get(key) == b"pong"
    client.delete(key)
