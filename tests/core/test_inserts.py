"""Many rows into a table on PostgreSQL through COPY, given as one sequence per column."""

import pytest
from django.db import connection

from avvik.core.inserts import insert_columns
from avvik.outbox.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_columns_not_given_take_their_defaults_and_a_taken_key_is_skipped(reporter):
    Notification.objects.create(key="taken", kind="comment", recipient=reporter)
    columns = {"key": ["taken", "free"], "kind": ["comment", "closed"], "recipient_id": [reporter.pk, reporter.pk]}
    inserted = insert_columns(connection, Notification, columns, 2, returning=("key",))
    assert inserted == [("free",)]
    row = Notification.objects.get(key="free")
    assert (row.status, row.attempts, row.attempt_times, row.reason, row.sent_at) == ("pending", 0, [], "", None)
    assert row.created_at is not None


def test_given_values_are_written_as_they_are_and_twice_in_one_transaction(reporter):
    for start in (0, 3):  # the second call finds the temporary table of the first, emptied
        columns = {
            "key": [f"k{n}" for n in range(start, start + 3)],
            "kind": ["comment"] * 3,
            "recipient_id": [reporter.pk] * 3,
            "attempt_times": [["x"], [], ["y", "z"]],
            "reason": ["tab\tand\nnewline", "", "æøå"],
        }
        assert len(insert_columns(connection, Notification, columns, 3, returning=("id",))) == 3
    assert list(Notification.objects.order_by("key").values_list("key", "attempt_times", "reason")) == [
        ("k0", ["x"], "tab\tand\nnewline"),
        ("k1", [], ""),
        ("k2", ["y", "z"], "æøå"),
        ("k3", ["x"], "tab\tand\nnewline"),
        ("k4", [], ""),
        ("k5", ["y", "z"], "æøå"),
    ]


def test_no_rows_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_columns(connection, Notification, {}, 0) == []
