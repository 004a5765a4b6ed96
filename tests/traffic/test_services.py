"""Taking in message events: checked per row, repeats dropped, messages folded in any order."""

from datetime import UTC, datetime, timedelta

import pytest

from avvik.traffic.models import Message, MessageEvent
from avvik.traffic.services import MAX_BATCH, client_source, record_events, upload_source

pytestmark = pytest.mark.django_db

SENT_AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def sent(message_id="m-1", **extra):
    return {
        "message_id": message_id,
        "kind": "sent",
        "message_type": "discharge_summary",
        "sender_her_id": "100001",
        "receiver_her_id": "200002",
        "happened_at": SENT_AT.isoformat(),
        **extra,
    }


def apprec(message_id="m-1", status="ok", minutes=10, **extra):
    return {
        "message_id": message_id,
        "kind": "apprec",
        "happened_at": (SENT_AT + timedelta(minutes=minutes)).isoformat(),
        "receipt_status": status,
        **extra,
    }


def test_a_batch_sent_twice_is_taken_in_once(world):
    batch = [sent("m-1"), apprec("m-1"), sent("m-2")]
    first = record_events(world.partnership.pk, client_source(1), batch)
    again = record_events(world.partnership.pk, client_source(1), batch)
    assert (first.accepted, first.repeated, first.rejected) == (3, 0, 0)
    assert (again.accepted, again.repeated, again.rejected) == (0, 3, 0)
    assert MessageEvent.objects.count() == 3
    assert Message.objects.count() == 2


def test_a_repeat_inside_one_batch_counts_once(world):
    result = record_events(world.partnership.pk, client_source(1), [sent("m-1"), sent("m-1")])
    assert (result.accepted, result.repeated) == (1, 1)


def test_the_same_message_id_from_two_sources_is_two_messages(world):
    record_events(world.partnership.pk, client_source(1), [sent("m-1")])
    record_events(world.partnership.pk, upload_source(world.hospital.pk), [sent("m-1")])
    assert Message.objects.filter(message_id="m-1").count() == 2


def test_a_receipt_before_its_sending_event_is_kept_and_folded(world):
    source = client_source(1)
    record_events(world.partnership.pk, source, [apprec("m-1", status="negative", error_code="E21")])
    early = Message.objects.get(message_id="m-1")
    assert (early.sent_at, early.receipt_status, early.error_code) == (None, "negative", "E21")

    record_events(world.partnership.pk, source, [sent("m-1")])
    message = Message.objects.get(message_id="m-1")
    assert message.sent_at == SENT_AT
    assert (message.message_type, message.sender_her_id, message.receiver_her_id) == (
        "discharge_summary",
        "100001",
        "200002",
    )
    assert (message.receipt_status, message.error_code) == ("negative", "E21")


def test_bad_rows_are_reported_by_position_and_the_rest_kept(world):
    rows = [
        sent("m-1"),
        {"message_id": "m-2", "kind": "sent", "happened_at": SENT_AT.isoformat()},  # no type, no HER-ids
        apprec("m-3", status=""),  # a receipt without its status
        apprec("m-4", status="ok", error_code="E10"),  # an error code on a positive receipt
        {"message_id": "=cmd|' /C calc'!A0", "kind": "sent"},  # formula-like id, no time
        {"message_id": "m-6", "kind": "lost", "happened_at": "yesterday"},
        sent("m-7", sender_her_id="12ab"),
    ]
    result = record_events(world.partnership.pk, client_source(1), rows)
    assert result.accepted == 1
    by_position = {error.position: error.errors for error in result.errors}
    assert set(by_position) == {1, 2, 3, 4, 5, 6}
    assert set(by_position[1]) == {"message_type", "sender_her_id", "receiver_her_id"}
    assert set(by_position[2]) == {"receipt_status"}
    assert set(by_position[3]) == {"error_code"}
    # The sending event also lacks its type and HER-ids.
    assert {"message_id", "happened_at"} <= set(by_position[4])
    assert set(by_position[5]) == {"kind", "happened_at"}
    assert set(by_position[6]) == {"sender_her_id"}
    assert list(Message.objects.values_list("message_id", flat=True)) == ["m-1"]


def test_a_bad_row_leaves_nothing_on_the_rows_after_it(world):
    """Every event's form checks with the same fields: one row's errors and values stay its own."""
    rows = [
        sent("m-1", sender_her_id="12ab"),
        sent("m-2"),
        apprec("m-3", status=""),
        apprec("m-2", status="negative", error_code="E10"),
        {"message_id": "=1+1", "kind": "lost"},
        sent("m-5", message_type="referral"),
    ]
    result = record_events(world.partnership.pk, client_source(1), rows)
    assert result.accepted == 3
    assert {error.position: set(error.errors) for error in result.errors} == {
        0: {"sender_her_id"},
        2: {"receipt_status"},
        4: {"message_id", "kind", "happened_at"},
    }
    kept = {(event.message_id, event.kind): event for event in MessageEvent.objects.all()}
    assert set(kept) == {("m-2", "sent"), ("m-2", "apprec"), ("m-5", "sent")}
    assert kept["m-2", "sent"].message_type == "discharge_summary"
    assert kept["m-5", "sent"].message_type == "referral"
    assert kept["m-2", "apprec"].message_type == ""
    assert Message.objects.get(message_id="m-2").error_code == "E10"


def test_events_are_kept_in_the_reporting_partnership(world):
    # The receiver HER-id may belong to another partnership's party; the event stays with the reporter's.
    record_events(world.partnership.pk, client_source(1), [sent("m-1", receiver_her_id="900009")])
    assert set(MessageEvent.objects.values_list("partnership_id", flat=True)) == {world.partnership.pk}


def test_a_batch_is_at_most_a_thousand_events(world):
    with pytest.raises(ValueError):
        record_events(world.partnership.pk, client_source(1), [sent(f"m-{i}") for i in range(MAX_BATCH + 1)])


@pytest.mark.postgres  # SQLite splits a bulk insert into many by its limit on parameters
def test_a_full_batch_is_taken_in_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    rows = [sent(f"m-{i}") for i in range(MAX_BATCH)]
    # Savepoints, the repeat check, the events' insert, the messages' lock, insert and (none) update.
    with django_assert_max_num_queries(10):
        result = record_events(world.partnership.pk, client_source(1), rows)
    assert result.accepted == MAX_BATCH
