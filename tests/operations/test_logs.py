"""Log lines are JSON with a UTC offset, and a request's id follows it into the tasks it queued."""

import io
import json
import logging
import uuid
from datetime import datetime, timedelta

import pytest
import structlog
from celery.worker.request import Request
from django_structlog.celery.receivers import CeleryReceiver

from avvik.operations.logs import logging_config, request_id_for
from avvik.operations.tasks import worker_heartbeat
from samhandling.celery import app
from tests.operations.urls import QUEUED_TASK
from tests.processes import broker_at


@pytest.fixture
def json_lines():
    """Everything logged while the test runs, through the site's JSON formatter, as parsed lines."""
    options = dict(logging_config("json", "INFO")["formatters"]["structured"])
    formatter = options.pop("()")(**options)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    lines: list[dict] = []

    def read() -> list[dict]:
        lines[:] = [json.loads(line) for line in stream.getvalue().splitlines()]
        return lines

    yield read
    root.removeHandler(handler)


@pytest.fixture
def worker_side():
    """What a worker's boot step connects: binding the queued context when a task starts."""
    receiver = CeleryReceiver()
    receiver.connect_worker_signals()
    yield receiver
    from celery import signals

    for signal, method in [
        (signals.before_task_publish, receiver.receiver_before_task_publish),
        (signals.after_task_publish, receiver.receiver_after_task_publish),
        (signals.task_prerun, receiver.receiver_task_prerun),
        (signals.task_retry, receiver.receiver_task_retry),
        (signals.task_success, receiver.receiver_task_success),
        (signals.task_failure, receiver.receiver_task_failure),
        (signals.task_revoked, receiver.receiver_task_revoked),
        (signals.task_unknown, receiver.receiver_task_unknown),
        (signals.task_rejected, receiver.receiver_task_rejected),
    ]:
        signal.disconnect(method)
    structlog.contextvars.clear_contextvars()


def test_a_line_is_json_with_a_utc_offset(json_lines):
    logging.getLogger("avvik.test").warning("outbox backlog %d", 3)
    structlog.get_logger("avvik.test").info("sweep_finished", cases=12)
    first, second = json_lines()
    assert first["event"] == "outbox backlog 3" and first["level"] == "warning" and first["logger"] == "avvik.test"
    assert second["event"] == "sweep_finished" and second["cases"] == 12
    for line in (first, second):
        assert datetime.fromisoformat(line["timestamp"]).utcoffset() == timedelta(0)
        assert line["timestamp"].endswith("+00:00")


def test_an_exception_is_one_json_line_with_its_traceback(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("avvik.test").exception("failed")
    (line,) = json_lines()
    assert "ValueError: boom" in line["exception"]


@pytest.mark.django_db
def test_the_task_a_request_queued_logs_the_request_id(client, settings, json_lines, worker_side):
    settings.ROOT_URLCONF = "tests.operations.urls"
    with broker_at("memory://"):
        response = client.get("/test/queues-a-task")
        with app.connection_for_read() as connection:
            message = connection.SimpleQueue(app.conf.task_default_queue).get(timeout=5)
    request_id = response["X-Request-ID"]
    assert uuid.UUID(request_id)
    request_lines = [line for line in json_lines() if line.get("event") == "request_finished"]
    assert [line["request_id"] for line in request_lines] == [request_id]

    # The worker's way of running a message: its headers become the task's request.
    assert message.headers["task"] == QUEUED_TASK == worker_heartbeat.name
    Request(message, app=app, task=app.tasks[QUEUED_TASK]).execute()
    task_lines = [line for line in json_lines() if line.get("task_id") == message.headers["id"]]
    assert {line["event"] for line in task_lines} >= {"task_started", "task_succeeded"}
    assert {line["request_id"] for line in task_lines} == {request_id}


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept(client, json_lines):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID="proxy-7f3a9c12")
    assert response["X-Request-ID"] == "proxy-7f3a9c12"
    assert {line["request_id"] for line in json_lines() if line["logger"].startswith("django_structlog")} == {
        "proxy-7f3a9c12"
    }


@pytest.mark.parametrize("incoming", ["short", "has spaces in it", "x" * 129, "line\nbreak-injected", "<script>alert1"])
def test_an_odd_incoming_request_id_is_replaced(incoming):
    replaced = request_id_for(incoming)
    assert replaced != incoming
    assert uuid.UUID(replaced)


@pytest.mark.django_db
def test_the_request_line_leaves_out_the_query_string(client, json_lines):
    client.get("/healthz/live?q=Kari+Nordmann")
    lines = [line for line in json_lines() if line.get("event") in {"request_started", "request_finished"}]
    assert [line["request"] for line in lines] == ["GET /healthz/live"]
    assert "Nordmann" not in json.dumps(lines)


@pytest.mark.django_db
def test_a_request_is_logged_once_when_it_is_answered(client, json_lines):
    client.get("/healthz/live")
    lines = [line for line in json_lines() if line["logger"].startswith("django_structlog")]
    assert [(line["event"], line["code"]) for line in lines] == [("request_finished", 200)]
