"""A broker that hangs costs one request its socket timeout, not every request after it."""

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
