"""/healthz reports the database, the broker and the worker: 200 when all are up, 503 otherwise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from avvik.operations.models import WorkerHeartbeat
from avvik.operations.tasks import worker_heartbeat
from tests.processes import RedisServer, require

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(tmp_path):
    require("redis-server", "apt-get install redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_healthy_when_database_broker_and_worker_are_up(client):
    worker_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "worker": "ok"}}


def test_needs_no_login_and_is_never_cached(client):
    worker_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_unavailable_when_no_worker_has_answered(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "down"


def test_unavailable_when_the_last_heartbeat_is_old(client, settings):
    WorkerHeartbeat.objects.create(
        name="default", beat_at=timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 1)
    )
    assert client.get("/healthz").status_code == 503


def test_reveals_no_secrets(client, settings):
    worker_heartbeat()
    body = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in body
    assert "redis://" not in body and "postgres" not in body


def test_503_while_redis_is_unreachable_and_200_when_it_is_back(client, settings, own_redis):
    settings.REDIS_URL = own_redis.url
    worker_heartbeat()
    assert client.get("/healthz").status_code == 200

    own_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "down"

    own_redis.start()
    assert client.get("/healthz").status_code == 200
