"""/healthz reports the database, the broker and the worker: 200 when all are up, 503 otherwise."""

import os
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from avvik.models import WorkerHeartbeat
from avvik.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A real redis-server of our own on a free port, so a test can stop and start it."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server must be installed in CI")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
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
