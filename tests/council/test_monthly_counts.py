"""The monthly counts the statistics sum are the cases' own counts: after random filings,
transitions, reopenings, merges, corrections by bulk SQL and deletions, with the clock moving
(across local month ends), the summed figures equal a fresh count of the cases."""

import random
from dataclasses import asdict
from datetime import date, datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from avvik.cases import services
from avvik.cases.choices import AppRec, MessageType, Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.council.counting import statistics_for, summed_items
from avvik.council.counting.summed import BACKLOG_MEASURES, PERIOD_MEASURES, backlog_days
from avvik.council.counting.summed import summed as summed_counts
from avvik.council.models import MonthlyCount
from avvik.council.periods import Period
from avvik.tenancy.models import Unit
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

counting = import_module("avvik.council.migrations.0005_monthly_counts")

OSLO = ZoneInfo("Europe/Oslo")
# Local minutes on either side of a month's and a year's end: a month is a local month.
EDGES = [
    datetime(2026, 9, 30, 23, 50, tzinfo=OSLO),
    datetime(2026, 10, 1, 0, 10, tzinfo=OSLO),
    datetime(2026, 12, 31, 23, 59, tzinfo=OSLO),
    datetime(2027, 1, 1, 0, 1, tzinfo=OSLO),
]
START = datetime(2026, 8, 20, 9, 0, tzinfo=OSLO)
PERIODS = [
    Period.quarter(2026, 3),
    Period.quarter(2026, 4),
    Period.quarter(2027, 1),
    Period.year(2026),
    Period.year(2027),
]
# Message facts, so that the hotspot measures have items to count.
FACTS = [
    {},
    {"message_type": MessageType.DISCHARGE_SUMMARY, "sender_her_id": "1001", "receiver_her_id": "2002"},
    {
        "message_type": MessageType.LAB_RESULT,
        "apprec": AppRec.NEGATIVE,
        "apprec_error_code": "E21",
        "sender_her_id": "2002",
    },
]
ENDS = [Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED, Status.REJECTED]


def figures(stats) -> dict:
    kept = asdict(stats)
    kept.pop("counted_at")
    kept.pop("monthly_items")  # what the summed figures were made from; a live count has none
    return kept


def live_items(cases, field: str) -> dict[str, int]:
    return {str(value): n for value, n in cases.values_list(field).annotate(n=Count("pk")).values_list(field, "n")}


def assert_counts_agree(partnership) -> None:
    cases = Deviation.objects.filter(partnership=partnership).exclude(status=Status.MERGED)
    for period in PERIODS:
        summed, counted = statistics_for(partnership, period), statistics_for(partnership, period, live=True)
        assert figures(summed) == figures(counted), period
        in_period = cases.filter(period.within("created_at"))
        assert dict(summed_items(partnership, period, "message_type")) == live_items(
            in_period.exclude(message_type=""), "message_type"
        )
        assert dict(summed_items(partnership, period, "error_code")) == live_items(
            in_period.exclude(apprec_error_code=""), "apprec_error_code"
        )
        assert dict(summed_items(partnership, period, "unit")) == live_items(
            in_period.exclude(reporting_unit=None), "reporting_unit_id"
        )
        pairs = in_period.exclude(sender_her_id="").exclude(receiver_her_id="")
        assert dict(summed_items(partnership, period, "her_pair")) == {
            f"{sender}>{receiver}": n
            for sender, receiver, n in pairs.values_list("sender_her_id", "receiver_her_id").annotate(n=Count("pk"))
        }
        # The hotspot chapters read these items from the sums the statistics were made of.
        for measure in ("message_type", "error_code", "unit", "her_pair"):
            assert summed.monthly_items.get(measure, {}) == dict(summed_items(partnership, period, measure)), measure


def kept_counts() -> set[tuple]:
    return {
        (row.partnership_id, row.month, row.measure, row.item, row.cases)
        for row in MonthlyCount.objects.exclude(cases=0)
    }


def test_summed_counts_equal_a_fresh_count_after_random_changes(world, reporter, coordinator, handler):
    rng = random.Random(20)
    unit = Unit.objects.get(organisation=world.hospital)
    categories = list(Category.objects.filter(partnership=world.partnership))
    clauses = [None, *AgreementClause.objects.filter(partnership=world.partnership)[:3]]
    people = {"coordinator": coordinator, "handler": handler, "reporter": reporter}
    moments = sorted([*EDGES, *(START + timedelta(hours=rng.randrange(24 * 150)) for _ in range(36))])
    filed = []
    for at in moments:
        with time_machine.travel(at, tick=False):
            case = file_case(
                reporter,
                world.municipality,
                consequence=rng.choice(Consequence.values),
                potential_consequence=Consequence.DEATH,
                unexpected=rng.choice([None, True, False]),
                category=rng.choice(categories),
                clause=rng.choice(clauses),
                reporting_unit=rng.choice([None, unit]),
                **rng.choice(FACTS),
            )
        # Later, while the clock moves on: taken where it was going.
        with time_machine.travel(at + timedelta(days=rng.randrange(1, 40), hours=rng.randrange(24)), tick=False):
            filed.append(drive(case, rng.choice(ENDS), **people))
    assert_counts_agree(world.partnership)

    with time_machine.travel(datetime(2027, 2, 1, 8, 0, tzinfo=OSLO), tick=True):
        for case in rng.sample([c for c in filed if c.status in (Status.ANSWERED, Status.CLOSED)], 4):
            reopened = services.deviation_transition(action="reopen", deviation=case, by=coordinator, note="Ny feil.")
            if rng.random() < 0.5:
                services.deviation_transition(
                    action="answer",
                    deviation=reopened,
                    by=handler,
                    cause="Igjen.",
                    measures="Ny rutine.",
                    measures_done=False,
                )
        duplicate, main = [c for c in filed if c.status in (Status.SUBMITTED, Status.FORWARDED)][:2]
        services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
        # Written past the services, as a correction or an import would: counted all the same.
        Deviation.objects.filter(pk__in=[c.pk for c in filed[:5]]).update(category=categories[0])
        Deviation.objects.filter(pk=filed[-1].pk).update(responsible_organisation=world.hospital)
        Deviation.objects.filter(pk=filed[6].pk).delete()
    with time_machine.travel(datetime(2027, 3, 20, 8, 0, tzinfo=OSLO), tick=False):
        assert_counts_agree(world.partnership)


def test_the_migration_counts_existing_cases_as_the_triggers_do(world, reporter, coordinator, handler):
    for status in ENDS:
        drive(
            file_case(reporter, world.municipality, **FACTS[1]),
            status,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    kept = kept_counts()
    assert kept
    with connection.cursor() as cursor:
        for statement in counting.recount(connection.vendor):
            cursor.execute(statement)
    assert kept_counts() == kept


@pytest.mark.postgres
@pytest.mark.parametrize(
    "read",
    [
        lambda partnership, period: backlog_days(partnership, period),
        lambda partnership, period: summed_counts(partnership, period, by_month=True),
    ],
    ids=["backlog", "trend"],
)
def test_one_measures_counts_are_read_through_the_measures_index(world, reporter, read):
    """The backlog's filing days and the trend's new and closed counts each read one or two
    measures over many months: the index by measure reaches them without the months' other
    measures (a partnership has some hundreds of items a month)."""
    file_case(reporter, world.municipality)
    # Many items of another measure each month, as a partnership's handling times are, and the
    # planner told how the table looks.
    MonthlyCount.objects.bulk_create(
        MonthlyCount(
            partnership=world.partnership,
            month=date(2024 + index // 12, index % 12 + 1, 1),
            measure="handling",
            item=f"{day}>{day}",
            cases=1,
        )
        for index in range(24)
        for day in range(200)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE council_monthlycount")
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    with CaptureQueriesContext(connection) as context:
        read(world.partnership, period)
    (query,) = [query["sql"] for query in context.captured_queries if "council_monthlycount" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "council_monthly_count_measure" in plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_periods_sums_are_read_from_the_measures_index_alone(world):
    """A partnership's counts lie scattered over the table's pages, so a year's sums, 10,000 rows,
    would read as many pages: the index holds what they read, and the sums name their measures so
    that it serves them. Outside a test's transaction, so that VACUUM can mark the pages visible."""
    # Nine other partnerships' counts beside its own, as the table holds them (ids only: no constraint).
    MonthlyCount.objects.bulk_create(
        MonthlyCount(
            partnership_id=world.partnership.pk + other,
            month=date(2024 + index // 12, index % 12 + 1, 1),
            measure=measure,
            item=f"{day}>{day}",
            cases=1,
        )
        for other in range(10)
        for index in range(24)
        for measure in ("handling", "pair", "ended_filed")
        for day in range(40)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE council_monthlycount")
    with CaptureQueriesContext(connection) as context:
        summed_counts(world.partnership, Period(date(2025, 1, 1), date(2025, 12, 31)))
    (query,) = [query["sql"] for query in context.captured_queries if "council_monthlycount" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using council_monthly_count_measure" in plan, plan


def test_the_period_sums_and_the_backlog_read_every_measure_the_triggers_keep():
    """The period's sums name their measures: a measure added to the triggers and to neither list
    would be kept and never shown."""
    kept = {measure[0] for measure in counting.MEASURES}
    assert set(PERIOD_MEASURES) | set(BACKLOG_MEASURES) == kept
    assert not set(PERIOD_MEASURES) & set(BACKLOG_MEASURES)
