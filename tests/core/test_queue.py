"""A broker that hangs costs one request its socket timeout, not every request after it."""

import threading

import pytest
from celery import Celery

from avvik.core import queue
from tests.processes import FrozenBroker


@pytest.fixture
def frozen_broker():
    """A Redis address that accepts connections and never answers."""
    broker = FrozenBroker()
    yield broker.url, broker.accepted
    broker.close()


def test_after_the_first_failure_the_broker_is_not_tried_again_for_a_while(frozen_broker, monkeypatch, settings):
    settings.BROKER_BREAKER_SECONDS = 30
    url, connections = frozen_broker
    app = Celery("frozen", broker=url)
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 1, "max_retries": 0}
    app.conf.broker_connection_timeout = 1
    monkeypatch.setattr(queue, "current_app", app)
    assert queue.dispatch("avvik.outbox.tasks.deliver_notification", 1) is False
    met = len(connections)
    assert met >= 1  # the first dispatch reached the hanging broker and waited for its timeout
    for pk in range(2, 12):
        assert queue.dispatch("avvik.outbox.tasks.deliver_notification", pk) is False
    assert len(connections) == met  # the next ten did not go near it
    queue.breaker_reset()
    monkeypatch.setattr(queue, "current_app", Celery("working", broker="memory://"))
    assert queue.dispatch("avvik.outbox.tasks.deliver_notification", 12) is True


def _finishes(call, seconds: float = 60):
    """The call's result, or a failure when it is still waiting after `seconds` (a hang)."""
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.setdefault("result", call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "still waiting on the hanging Redis"
    return outcome["result"]


def test_a_hanging_result_backend_does_not_hold_the_dispatch(frozen_broker, monkeypatch):
    url, connections = frozen_broker
    app = Celery("results-hang", broker="memory://", backend=url)
    monkeypatch.setattr(queue, "current_app", app)
    assert _finishes(lambda: queue.dispatch("avvik.outbox.tasks.deliver_notification", 1)) is True
    assert connections == []  # no result is waited for, so the result backend is never asked


def test_the_result_backend_gives_up_on_a_hanging_redis_within_its_timeouts(frozen_broker, settings):
    url, _connections = frozen_broker
    app = Celery("results-timeout", broker="memory://", backend=url)
    app.conf.redis_socket_connect_timeout = settings.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT
    app.conf.redis_socket_timeout = settings.CELERY_REDIS_SOCKET_TIMEOUT
    app.conf.redis_retry_on_timeout = False

    def read():
        try:
            app.backend.client.get("celery-task-meta-x")
        except Exception as error:  # redis' timeout, as any broker failure
            return type(error).__name__
        return "answered"

    assert "Timeout" in _finishes(read)
