"""The report's hotspot chapters: by message type, AppRec error code, sender and receiver, unit, and traffic."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from avvik.council.counting import Statistics, statistics_for
from avvik.council.hotspots import hotspot_chapters
from avvik.council.periods import Period
from avvik.traffic.monitoring import sweep
from avvik.traffic.services import client_source, record_events
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def this_quarter() -> Period:
    today = timezone.localdate()
    return Period.quarter(today.year, (today.month - 1) // 3 + 1)


def chapters_of(world, *, exact, organisation=None):
    stats = Statistics(partnership=world.partnership, period=this_quarter(), organisation=organisation)
    with translation.override("en"):
        return {
            chapter.title: {line.label: line.count.value for line in chapter.lines}
            for chapter in hotspot_chapters(stats, threshold=5, exact=exact)
        }


@pytest.fixture
def cases(world, reporter):
    world.hospital.her_id, world.municipality.her_id = "100001", "200002"
    world.hospital.save()
    world.municipality.save()
    unit = world.hospital.units.first()
    message = {"sender_her_id": "100001", "receiver_her_id": "200002", "reporting_unit": unit}
    for _ in range(6):
        file_case(
            reporter,
            world.municipality,
            message_type="discharge_summary",
            apprec="negative",
            apprec_error_code="E21",
            **message,
        )
    for _ in range(2):
        file_case(reporter, world.municipality, message_type="referral", apprec="missing", **message)
    file_case(reporter, world.municipality)  # about no message
    return unit


def test_coordinators_see_where_the_deviations_gather(world, cases):
    chapters = chapters_of(world, exact=True)
    assert chapters["Deviations by message type"] == {
        "Discharge summary": 6,
        "Referral": 2,
        "Deviations about an electronic message": 8,
    }
    assert chapters["Deviations by error code in the application receipt"] == {
        "E21": 6,
        "Deviations with an error code": 6,
    }
    assert chapters["Deviations by sender and receiver"] == {
        "Test sykehus HF → Testvik kommune": 8,
        "Deviations naming both HER-ids": 8,
    }
    assert chapters["Deviations by reporting unit"] == {
        f"Test sykehus HF, {cases.name}": 8,
        "Deviations naming the reporting unit": 8,
    }


def test_the_chapters_read_the_sums_the_statistics_were_made_of(world, cases):
    """The statistics page's figures carry the period's monthly counts: the chapters are made from
    them, the same as when summed again, without reading the monthly counts a second time."""
    stats = statistics_for(world.partnership, this_quarter())
    with translation.override("en"), CaptureQueriesContext(connection) as context:
        chapters = {
            chapter.title: {line.label: line.count.value for line in chapter.lines}
            for chapter in hotspot_chapters(stats, threshold=5, exact=True)
        }
    assert chapters == chapters_of(world, exact=True)
    assert chapters["Deviations by message type"]["Discharge summary"] == 6
    assert not [query for query in context.captured_queries if "council_monthlycount" in query["sql"]]


def test_the_council_sees_the_small_groups_hidden_and_not_worked_out(world, cases):
    by_type = chapters_of(world, exact=False)["Deviations by message type"]
    assert by_type["Referral"] is None  # 2 is below the threshold
    # With one part hidden, the total or the other part must be hidden too.
    assert by_type["Discharge summary"] is None or by_type["Deviations about an electronic message"] is None


def test_the_traffic_chapter_counts_the_messages_sent_in_the_period(world, cases):
    sent = (timezone.now() - timedelta(hours=6)).isoformat()
    rows = [
        {
            "message_id": f"m-{i}",
            "kind": "sent",
            "message_type": "referral",
            "sender_her_id": "100001",
            "receiver_her_id": "200002",
            "happened_at": sent,
        }
        for i in range(7)
    ]
    rows.append({"message_id": "m-0", "kind": "apprec", "happened_at": sent, "receipt_status": "ok"})
    record_events(world.partnership.pk, client_source(1), rows)
    sweep()
    traffic = chapters_of(world, exact=True)["Electronic messages reported by the parties' systems"]
    assert traffic == {
        "Received, with an application receipt": 1,
        "Failed (negative receipt, or none in time)": 6,
        "Still waiting for a receipt": 0,
        "Messages sent in the period": 7,
    }


def test_one_organisations_figures_have_no_hotspot_chapters(world, cases):
    assert chapters_of(world, exact=True, organisation=world.hospital) == {}
