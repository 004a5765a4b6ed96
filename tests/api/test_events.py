"""POST /api/v1/message-events/: a batch taken in with per-row errors, once, for clients with the scope."""

import pytest

from avvik.api import services
from avvik.traffic.models import Message, MessageEvent
from tests.api.conftest import register

pytestmark = pytest.mark.django_db

URL = "/api/v1/message-events/"


@pytest.fixture
def message_server(world, coordinator):
    return register(coordinator, world.hospital, scopes=("events:write",), name="Meldingstjener")


def event(message_id="m-1", **extra):
    return {
        "message_id": message_id,
        "kind": "sent",
        "message_type": "discharge_summary",
        "sender_her_id": "100001",
        "receiver_her_id": "200002",
        "happened_at": "2026-11-30T09:00:00+01:00",
        **extra,
    }


def test_a_batch_is_taken_in_and_the_same_batch_again_changes_nothing(message_server, world):
    batch = {"events": [event("m-1"), event("m-2"), event("m-1", kind="apprec", receipt_status="ok")]}
    first = message_server.api.post(URL, batch, format="json")
    assert first.status_code == 200
    assert first.json() == {"accepted": 3, "repeated": 0, "rejected": 0, "errors": []}
    again = message_server.api.post(URL, batch, format="json")
    assert again.json() == {"accepted": 0, "repeated": 3, "rejected": 0, "errors": []}
    assert MessageEvent.objects.filter(partnership=world.partnership).count() == 3
    assert Message.objects.get(message_id="m-1").receipt_status == "ok"


def test_bad_rows_come_back_with_their_index_and_the_rest_are_kept(message_server):
    batch = {"events": [event("m-1"), event("m-2", sender_her_id="x"), {"kind": "sent"}]}
    response = message_server.api.post(URL, batch, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (1, 2)
    assert [error["index"] for error in body["errors"]] == [1, 2]
    assert "sender_her_id" in body["errors"][0]["errors"]
    assert {"message_id", "happened_at"} <= set(body["errors"][1]["errors"])


@pytest.mark.parametrize(
    "payload",
    [{}, {"events": []}, {"events": "m-1"}, {"events": [1, 2]}, [event()], {"events": [event()] * 1001}],
    ids=["no events", "empty", "text", "numbers", "a bare list", "too many"],
)
def test_a_malformed_batch_is_refused_as_a_whole(message_server, payload):
    response = message_server.api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not MessageEvent.objects.exists()


def test_a_client_without_the_events_scope_is_refused(hospital_system):
    response = hospital_system.api.post(URL, {"events": [event()]}, format="json")
    assert response.status_code == 403
    assert not MessageEvent.objects.exists()


def test_a_revoked_client_is_refused(message_server, coordinator):
    services.api_client_revoke(by=coordinator, client=message_server.client)
    response = message_server.api.post(URL, {"events": [event()]}, format="json")
    assert response.status_code == 401


def test_events_are_kept_in_the_clients_partnership(message_server, world):
    message_server.api.post(URL, {"events": [event()]}, format="json")
    assert MessageEvent.objects.get().partnership_id == world.partnership.pk
