"""The monitoring sweep: failures past the response time, clusters, one case per cluster, recovery."""

from datetime import UTC, datetime, timedelta

import pytest

from avvik.cases.choices import AppRec, Status
from avvik.cases.models import Deviation
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from avvik.traffic.choices import Failure
from avvik.traffic.models import Cluster, Message, ResponseTime, TrafficPolicy
from avvik.traffic.monitoring import sweep
from avvik.traffic.services import client_source, record_events
from avvik.traffic.tasks import sweep_traffic
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
HOSPITAL_HER, MUNICIPALITY_HER = "100001", "200002"


@pytest.fixture
def parties(world):
    world.hospital.her_id = HOSPITAL_HER
    world.hospital.save()
    world.municipality.her_id = MUNICIPALITY_HER
    world.municipality.save()
    owner = UserFactory(email="meldingsansvarlig@sykehus.test")
    grant(owner, Role.MESSAGE_OWNER, organisation=world.hospital)
    return owner


def report(world, *events):
    return record_events(world.partnership.pk, client_source(1), list(events))


def sent(message_id, at=T0, message_type="discharge_summary", sender=HOSPITAL_HER, receiver=MUNICIPALITY_HER):
    return {
        "message_id": message_id,
        "kind": "sent",
        "message_type": message_type,
        "sender_her_id": sender,
        "receiver_her_id": receiver,
        "happened_at": at.isoformat(),
    }


def apprec(message_id, at, status="ok", code=""):
    return {
        "message_id": message_id,
        "kind": "apprec",
        "happened_at": at.isoformat(),
        "receipt_status": status,
        "error_code": code,
    }


def test_a_message_fails_only_once_its_response_time_has_passed(world, parties):
    report(world, sent("m-1"))
    assert sweep(T0 + timedelta(minutes=239)).failed == 0
    assert sweep(T0 + timedelta(minutes=240)).failed == 1
    message = Message.objects.get()
    assert (message.failure, message.failed_at) == (Failure.NO_RECEIPT, T0 + timedelta(minutes=240))


def test_the_response_time_is_agreed_per_message_type_in_minutes(world, parties):
    ResponseTime.objects.create(partnership=world.partnership, message_type="discharge_summary", minutes=30)
    report(world, sent("m-1"), sent("m-2", message_type="referral"))
    assert sweep(T0 + timedelta(minutes=31)).failed == 1
    assert Message.objects.get(failed_at__isnull=False).message_id == "m-1"


def test_a_receipt_in_time_is_no_failure(world, parties):
    report(world, sent("m-1"), apprec("m-1", T0 + timedelta(minutes=5)))
    assert sweep(T0 + timedelta(days=2)).failed == 0
    assert not Cluster.objects.exists()


def test_a_hundred_failures_become_one_case_owned_by_the_sender(world, parties, coordinator):
    report(world, *[sent(f"m-{i}", at=T0 + timedelta(minutes=i)) for i in range(100)])
    result = sweep(T0 + timedelta(hours=6))
    assert (result.failed, result.clusters_opened, result.cases_opened) == (100, 1, 1)
    cluster = Cluster.objects.get()
    assert (cluster.failures, cluster.messages.count()) == (100, 100)
    case = Deviation.objects.get()
    assert cluster.deviation == case
    assert (case.reporting_organisation, case.counterpart, case.reporter) == (
        world.hospital,
        world.municipality,
        parties,
    )
    assert (case.status, case.apprec, case.message_type) == (Status.SUBMITTED, AppRec.MISSING, "discharge_summary")
    assert case.sender_her_id == HOSPITAL_HER and case.receiver_her_id == MUNICIPALITY_HER
    assert "Ingen applikasjonskvittering" in case.title
    assert Notification.objects.filter(deviation=case, recipient=coordinator, kind="new_case").count() == 1
    # Sweeping again changes nothing.
    again = sweep(T0 + timedelta(hours=7))
    assert (again.failed, again.gathered, again.cases_opened) == (0, 0, 0)
    assert Deviation.objects.count() == 1


def test_failures_that_go_on_stay_on_the_open_cluster(world, parties):
    report(world, sent("m-1"))
    sweep(T0 + timedelta(hours=5))
    report(world, sent("m-2", at=T0 + timedelta(hours=20)))
    sweep(T0 + timedelta(hours=25))
    cluster = Cluster.objects.get()
    assert cluster.failures == 2
    assert Deviation.objects.count() == 1


def test_a_failure_after_the_window_opens_a_new_cluster_and_case(world, parties):
    TrafficPolicy.objects.create(partnership=world.partnership, cluster_window_hours=6)
    report(world, sent("m-1"))
    sweep(T0 + timedelta(hours=5))
    report(world, sent("m-2", at=T0 + timedelta(hours=12)))
    sweep(T0 + timedelta(hours=17))
    assert Cluster.objects.count() == 2
    assert Deviation.objects.count() == 2


def test_negative_receipts_are_clustered_by_their_error_code(world, parties):
    report(
        world,
        sent("m-1"),
        apprec("m-1", T0 + timedelta(minutes=1), "negative", "E21"),
        sent("m-2"),
        apprec("m-2", T0 + timedelta(minutes=2), "negative", "E21"),
        sent("m-3"),
        apprec("m-3", T0 + timedelta(minutes=3), "negative", "E35"),
    )
    result = sweep(T0 + timedelta(minutes=10))
    assert result.failed == 0  # negative receipts failed as they came in
    assert sorted(Cluster.objects.values_list("error_code", "failures")) == [("E21", 2), ("E35", 1)]
    assert set(Deviation.objects.values_list("apprec", "apprec_error_code")) == {
        (AppRec.NEGATIVE, "E21"),
        (AppRec.NEGATIVE, "E35"),
    }


def test_a_late_receipt_is_recorded_as_recovery(world, parties):
    report(world, sent("m-1"), sent("m-2"))
    sweep(T0 + timedelta(hours=5))
    report(world, apprec("m-1", T0 + timedelta(hours=6)))
    message = Message.objects.get(message_id="m-1")
    assert message.recovered_at == T0 + timedelta(hours=6)
    assert message.failure == Failure.NO_RECEIPT  # it did fail; it is also recovered
    assert Cluster.objects.get().recovered == 1


def test_without_a_known_party_the_cluster_waits_without_a_case(world, parties):
    report(world, sent("m-1", receiver="999999"))
    result = sweep(T0 + timedelta(hours=5))
    assert (result.clusters_opened, result.cases_opened) == (1, 0)
    cluster = Cluster.objects.get()
    assert (cluster.sender_organisation, cluster.receiver_organisation, cluster.deviation) == (
        world.hospital,
        None,
        None,
    )


def test_the_task_runs_the_sweep(world, parties):
    report(world, sent("m-1", at=datetime(2020, 1, 1, tzinfo=UTC)))
    assert sweep_traffic() == 1
    assert Deviation.objects.count() == 1


def test_a_sweep_with_nothing_due_reads_no_more_with_more_messages(world, parties, django_assert_max_num_queries):
    report(world, *[sent(f"m-{i}", at=T0 + timedelta(minutes=i)) for i in range(300)])
    with django_assert_max_num_queries(4):
        result = sweep(T0)
    assert result.failed == result.gathered == 0


@pytest.mark.postgres
def test_the_sweeps_reads_use_the_partial_indexes(world, parties):
    from django.db import connection

    from avvik.traffic.monitoring import past_due, ungathered

    report(world, *[sent(f"m-{i}", at=T0 + timedelta(minutes=i)) for i in range(50)])
    with connection.cursor() as cursor:
        # A table this small is read whole by choice; forbidding that asks whether the index fits the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "message_awaiting_receipt" in past_due(T0).explain()
    assert "message_failed_unclustered" in ungathered()[:5000].explain()
