"""Reminders of unrecorded alerts (once a day per case) and undecided breaches (at 24 and 48 hours
and when overdue), through the real task, with the clock moved by time-machine."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from avvik.duties import services
from avvik.duties.models import StatutoryAlert
from avvik.duties.rules import required_rule
from avvik.duties.tasks import sweep_duty_reminders
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from tests.builders import file_case
from tests.duties.helpers import grade
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

MONDAY = datetime.fromisoformat("2026-11-23T09:00:00+01:00")


@pytest.fixture
def hospital_leader(world):
    user = UserFactory(email="leder@sykehus.test")
    grant(user, Role.LEADER, organisation=world.hospital)
    return user


@pytest.fixture
def municipality_leader(world):
    user = UserFactory(email="leder@kommune.test")
    grant(user, Role.LEADER, organisation=world.municipality)
    return user


def _sent(kind: str) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=kind).order_by("pk")
    return [(row.recipient.email, row.key.split(":")[2]) for row in rows]


def _sweep_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        sweep_duty_reminders()
        sweep_duty_reminders()  # a second beat, or a redelivered task, writes nothing more


def test_an_unrecorded_alert_is_reminded_once_a_day_until_it_is_recorded(world, reporter, coordinator, hospital_leader):
    with time_machine.travel(MONDAY, tick=False):
        case = grade(file_case(reporter, world.municipality))

    _sweep_at(MONDAY + timedelta(hours=1))
    _sweep_at(MONDAY + timedelta(hours=5))
    assert sorted(_sent(NotificationKind.ALERT_UNRECORDED)) == [
        ("koordinator@test", "2026-11-23"),
        ("leder@sykehus.test", "2026-11-23"),
    ]

    _sweep_at(MONDAY + timedelta(days=1))
    assert len(_sent(NotificationKind.ALERT_UNRECORDED)) == 4

    with time_machine.travel(MONDAY + timedelta(days=1, hours=1), tick=False):
        services.alert_record(
            deviation=case,
            by=coordinator,
            sent_at=timezone.now(),
            recipients=required_rule(case).recipients,
            not_informed_reason="Ukjent pårørende.",
        )
    _sweep_at(MONDAY + timedelta(days=2))
    assert len(_sent(NotificationKind.ALERT_UNRECORDED)) == 4
    assert StatutoryAlert.objects.count() == 1


def test_a_case_without_a_required_alert_gets_no_reminder(world, reporter, coordinator):
    with time_machine.travel(MONDAY, tick=False):
        grade(file_case(reporter, world.municipality), "very_serious", unexpected=False)
    _sweep_at(MONDAY + timedelta(hours=1))
    assert _sent(NotificationKind.ALERT_UNRECORDED) == []


def test_an_undecided_breach_is_reminded_at_24_and_48_hours_and_when_overdue(
    world, reporter, coordinator, municipality_leader
):
    with time_machine.travel(MONDAY, tick=False):
        case = file_case(reporter, world.municipality)
        services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())

    _sweep_at(MONDAY + timedelta(hours=23, minutes=59))
    assert _sent(NotificationKind.BREACH_DECISION_DUE) == []
    _sweep_at(MONDAY + timedelta(hours=24))
    _sweep_at(MONDAY + timedelta(hours=30))
    _sweep_at(MONDAY + timedelta(hours=48))
    _sweep_at(MONDAY + timedelta(hours=72))
    _sweep_at(MONDAY + timedelta(hours=90))
    assert sorted(_sent(NotificationKind.BREACH_DECISION_DUE)) == sorted(
        (email, threshold)
        for email in ("koordinator@test", "leder@kommune.test")
        for threshold in ("24h", "48h", "overdue")
    )


def test_a_decided_breach_is_not_reminded(world, reporter, coordinator):
    with time_machine.travel(MONDAY, tick=False):
        case = file_case(reporter, world.municipality)
        services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
        services.breach_decide(
            deviation=case, by=coordinator, decision="not_notified", not_notified_reason="Lav risiko."
        )
    _sweep_at(MONDAY + timedelta(hours=80))
    assert _sent(NotificationKind.BREACH_DECISION_DUE) == []
