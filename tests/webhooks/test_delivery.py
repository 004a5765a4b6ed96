"""Webhooks: one delivery per status change and party, signed, sent once, retried, never to a private address."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError

from avvik.core.crypto import encrypt
from avvik.webhooks import targets
from avvik.webhooks.choices import DeliveryStatus
from avvik.webhooks.delivery import MAX_ATTEMPTS, DeliveryFailed, deliver, sweep
from avvik.webhooks.models import Delivery, Endpoint
from avvik.webhooks.tasks import deliver_webhook
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

SECRET = "hemmelig-nokkel"


class Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    Receiver.answers, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", Receiver
    server.shutdown()


def endpoint_for(organisation, url="https://kvalitet.example.no/hook"):
    return Endpoint.objects.create(organisation=organisation, name="Kvalitetssystem", url=url, secret=encrypt(SECRET))


def test_a_status_change_writes_one_delivery_per_party_with_a_stable_event_id(world, reporter, coordinator, handler):
    hospital = endpoint_for(world.hospital)
    municipality = endpoint_for(world.municipality)
    bystander = endpoint_for(world.bystander_org)
    case = drive(
        file_case(reporter, world.municipality),
        "forwarded",
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    by_endpoint = {}
    for delivery in Delivery.objects.order_by("pk"):
        by_endpoint.setdefault(delivery.endpoint_id, []).append(delivery.payload["case"]["status"])
    assert by_endpoint[hospital.pk] == ["submitted", "forwarded"]
    assert by_endpoint[municipality.pk] == ["forwarded"]  # a party once the case was forwarded to it
    assert bystander.pk not in by_endpoint
    forward = Delivery.objects.filter(payload__case__status="forwarded")
    assert len({d.event_id for d in forward}) == 1  # the same event, the same id at every receiver
    assert set(forward[0].payload["case"]) == {"reference", "status", "previous_status", "action", "api", "page"}
    assert case.reference == forward[0].payload["case"]["reference"]


def test_a_delivery_is_signed_and_sent_once(world, reporter, receiver):
    url, server = receiver
    endpoint_for(world.hospital, url=url)
    file_case(reporter, world.municipality)
    delivery = Delivery.objects.get()
    assert deliver(delivery.pk) is True
    assert deliver(delivery.pk) is False
    deliver_webhook.apply(args=[delivery.pk])
    assert len(server.received) == 1
    headers, body = server.received[0]
    expected = hmac.new(SECRET.encode(), headers["X-Samhandling-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Samhandling-Signature"] == f"sha256={expected.hexdigest()}"
    assert headers["X-Samhandling-Event-Id"] == str(delivery.event_id) == json.loads(body)["event_id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.SENT, 1, 204)


def test_a_refused_delivery_is_retried_with_the_same_event_id_then_given_up(world, reporter, receiver):
    url, server = receiver
    server.answers = [500] * MAX_ATTEMPTS
    endpoint_for(world.hospital, url=url)
    file_case(reporter, world.municipality)
    delivery = Delivery.objects.get()
    for _attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(DeliveryFailed):
            deliver(delivery.pk)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)  # its wait is over
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        MAX_ATTEMPTS,
        "HTTP 500",
    )
    assert {headers["X-Samhandling-Event-Id"] for headers, _ in server.received} == {str(delivery.event_id)}


def test_the_sweep_sends_what_a_lost_message_left_behind(world, reporter, receiver, settings):
    settings.OUTBOX_GRACE_SECONDS = 0
    url, _server = receiver
    endpoint_for(world.hospital, url=url)
    file_case(reporter, world.municipality)
    assert sweep() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://kvalitet.example.no/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(url):
    with pytest.raises(ValidationError):
        targets.check_target(url)


def test_a_name_that_later_leads_inside_is_refused_at_send(world, reporter, monkeypatch):
    monkeypatch.setattr(targets, "resolve", lambda host, port: ["93.184.216.34"])
    targets.check_target("https://kvalitet.example.no/hook")  # public when saved
    endpoint_for(world.hospital)
    file_case(reporter, world.municipality)
    monkeypatch.setattr(targets, "resolve", lambda host, port: ["10.0.0.5"])
    posts = []
    monkeypatch.setattr("requests.post", lambda *a, **k: posts.append(a))
    with pytest.raises(DeliveryFailed):
        deliver(Delivery.objects.get().pk)
    assert posts == []
    assert "10.0.0.5" in Delivery.objects.get().last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_one_row_once(world, reporter, receiver):
    url, server = receiver
    endpoint_for(world.hospital, url=url)
    file_case(reporter, world.municipality)
    pk = Delivery.objects.get().pk
    results = []
    barrier = threading.Barrier(2)

    def worker():
        from django.db import connection

        barrier.wait()
        results.append(deliver(pk))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(server.received) == 1
