"""The traffic page's figures: per pair of parties and per day, counted in the database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from avvik.traffic.models import Message
from avvik.traffic.selectors import PERIOD_DAYS, daily_trend, pair_figures

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def message(world, number: int, *, sent: datetime, waited: int | None = None, failed: bool = False) -> Message:
    return Message.objects.create(
        partnership=world.partnership,
        source="client:1",
        message_id=f"m-{number}",
        message_type="referral",
        sender_her_id="100001",
        receiver_her_id="200002",
        sent_at=sent,
        receipt_at=sent + timedelta(minutes=waited) if waited is not None else None,
        failed_at=sent + timedelta(hours=4) if failed else None,
    )


def test_the_trend_counts_every_day_of_the_period_with_empty_days(world):
    with timezone.override("Europe/Oslo"):
        message(world, 1, sent=NOW - timedelta(hours=1))
        message(world, 2, sent=NOW - timedelta(hours=2), failed=True)
        message(world, 3, sent=NOW - timedelta(days=3))
        message(world, 4, sent=NOW - timedelta(days=PERIOD_DAYS + 1))  # before the period
        days = daily_trend(Message.objects.filter(partnership=world.partnership), NOW)
    assert len(days) == PERIOD_DAYS
    assert days[-1].day == NOW.date()
    assert (days[-1].messages, days[-1].failed) == (2, 1)
    assert (days[-4].messages, days[-4].failed) == (1, 0)
    assert sum(day.messages for day in days) == 3


def test_the_trend_is_one_query(world, django_assert_num_queries):
    for number in range(20):
        message(world, number, sent=NOW - timedelta(days=number % 7))
    with django_assert_num_queries(1):
        daily_trend(Message.objects.all(), NOW)


def test_pairs_get_the_median_and_95th_percentile_of_the_time_to_receipt(world):
    for number in range(1, 101):
        message(world, number, sent=NOW - timedelta(hours=1), waited=number)
    message(world, 200, sent=NOW - timedelta(hours=1), failed=True)
    [pair] = pair_figures(Message.objects.all(), {}, NOW)
    assert (pair.messages, pair.failed) == (101, 1)
    # The same interpolation in Python (SQLite) and in percentile_cont (PostgreSQL).
    assert pair.p50_minutes == pytest.approx(50.5)
    assert pair.p95_minutes == pytest.approx(95.05)


def test_the_pairs_are_read_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for number in range(30):
        message(world, number, sent=NOW - timedelta(hours=number), waited=number + 1)
    with django_assert_max_num_queries(2):
        figures = pair_figures(Message.objects.all(), {}, NOW)
    assert figures[0].messages == 30
