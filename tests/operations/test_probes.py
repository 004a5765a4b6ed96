"""Liveness asks nothing of the database or the broker; readiness asks both and not the worker."""

import pytest

from tests.processes import RedisServer, require


@pytest.fixture
def own_redis(tmp_path):
    require("redis-server", "apt-get install redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_live_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_live_answers_while_the_broker_is_down(client, settings, tmp_path):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert client.get("/healthz/live").status_code == 200


@pytest.mark.django_db
def test_ready_when_database_and_broker_answer_though_no_worker_ever_did(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    # The whole picture still shows the missing worker.
    assert client.get("/healthz").json()["checks"]["worker"] == "down"


@pytest.mark.django_db
def test_not_ready_while_redis_is_unreachable_and_ready_when_it_is_back(client, settings, own_redis):
    settings.REDIS_URL = own_redis.url
    assert client.get("/healthz/ready").status_code == 200
    own_redis.stop()
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}
    own_redis.start()
    assert client.get("/healthz/ready").status_code == 200


@pytest.mark.django_db
def test_not_ready_while_the_database_fails(client, monkeypatch):
    from avvik.operations import health

    def broken_cursor():
        raise RuntimeError("database down")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.parametrize("path", ["/healthz/live", "/healthz/ready", "/healthz", "/metrics"])
@pytest.mark.django_db
def test_probes_and_metrics_are_not_redirected_to_https(client, settings, path):
    # Probes and the scraper reach the container directly, without the TLS proxy.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code != 301
    assert client.get("/accounts/login/").status_code == 301
