"""The message traffic bench: importable, its batches are valid, and on PostgreSQL it runs at a small size."""

from datetime import UTC, datetime

import pytest

from avvik.traffic.models import Message, MessageEvent
from avvik.traffic.services import MAX_BATCH
from bench import traffic


def test_a_batch_is_a_thousand_events_of_new_messages_and_receipts():
    rows = traffic.event_batch(0, at=datetime(2026, 11, 30, tzinfo=UTC))
    assert len(rows) == MAX_BATCH
    assert {row["kind"] for row in rows} == {"sent", "apprec"}
    next_rows = traffic.event_batch(MAX_BATCH, at=datetime(2026, 11, 30, tzinfo=UTC))
    assert not {row["message_id"] for row in rows} & {row["message_id"] for row in next_rows}


def test_the_seed_writes_to_the_traffic_tables():
    assert "INSERT INTO traffic_message " in traffic.SEED_MESSAGES
    assert Message._meta.db_table == "traffic_message"
    assert MessageEvent._meta.db_table == "traffic_messageevent"


@pytest.mark.django_db
def test_intake_is_measured_and_nothing_is_kept():
    result = traffic.intake(batches=2)
    assert result["events"] == 2 * MAX_BATCH
    assert not Message.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sweep_is_measured_at_a_small_size_and_the_report_reads_it():
    result = {
        "intake": traffic.intake(batches=1),
        "intake_http": traffic.intake_http(batches=1),
        "sweep": traffic.sweep_at_scale(events=4000, due=50),
    }
    assert result["sweep"]["nothing_due"]["failed"] == 0
    assert result["sweep"]["newly_due"]["failed"] == 50
    assert result["sweep"]["newly_due"]["cases_opened"] == 1
    assert not Message.objects.exists()
    assert "## Message traffic" in "\n".join(traffic.section(result))
