"""With the clock moved day by day, the real task reminds before a measure's due date and escalates
once it is overdue: each notification once, never twice, never lost."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from avvik.measures.choices import MeasureStatus
from avvik.measures.services import FollowUp, measure_follow_up
from avvik.measures.tasks import sweep_measure_follow_up
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import build_message
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

MEASURE_KINDS = (NotificationKind.MEASURE_DUE, NotificationKind.MEASURE_OVERDUE)


def run_days(start: date, end: date) -> dict[date, set[tuple[str, str]]]:
    """Run the task twice a day (as two beats would) and record what each day wrote."""
    sent = defaultdict(set)
    day = start
    while day <= end:
        with time_machine.travel(f"{day.isoformat()} 08:00 +01:00", tick=False):
            before = set(Notification.objects.values_list("pk", flat=True))
            sweep_measure_follow_up()
            sweep_measure_follow_up()
            new = Notification.objects.exclude(pk__in=before).filter(kind__in=MEASURE_KINDS)
            for kind, email in new.values_list("kind", "recipient__email"):
                sent[day].add((kind, email))
        day += timedelta(days=1)
    return dict(sent)


def test_reminded_before_the_due_date_then_escalated_once(measure, handler, org_admin, leader, coordinator):
    # Due Monday 7 December; reminded three working days before, escalated the day after. Those who
    # handle for the organisation are reminded: its handlers, administrator and managers.
    sent = run_days(date(2026, 11, 24), date(2026, 12, 14))
    assert sent == {
        date(2026, 12, 2): {
            (NotificationKind.MEASURE_DUE, handler.email),
            (NotificationKind.MEASURE_DUE, org_admin.email),
            (NotificationKind.MEASURE_DUE, leader.email),
        },
        date(2026, 12, 8): {
            (NotificationKind.MEASURE_OVERDUE, leader.email),
            (NotificationKind.MEASURE_OVERDUE, coordinator.email),
        },
    }
    assert Notification.objects.filter(kind__in=MEASURE_KINDS).count() == 5


def test_the_responsible_person_alone_is_reminded(world, case, handler, org_admin):
    from avvik.measures.services import measure_add

    with time_machine.travel("2026-11-24 10:00 +01:00", tick=False):
        measure_add(
            deviation=case,
            by=handler,
            what="Ny rutine.",
            responsible_organisation=world.municipality,
            responsible_person=org_admin,
            due_date=date(2026, 12, 7),
        )
    sent = run_days(date(2026, 12, 2), date(2026, 12, 2))
    assert sent == {date(2026, 12, 2): {(NotificationKind.MEASURE_DUE, org_admin.email)}}


def test_a_sweep_missed_for_days_catches_up_once(measure, leader, coordinator):
    # Nothing ran while the measure came due; the first run afterwards escalates, the next ones do not.
    sent = run_days(date(2026, 12, 10), date(2026, 12, 11))
    assert sent == {
        date(2026, 12, 10): {
            (NotificationKind.MEASURE_OVERDUE, leader.email),
            (NotificationKind.MEASURE_OVERDUE, coordinator.email),
        }
    }


def test_a_carried_out_measure_is_not_followed_up(measure, handler):
    with time_machine.travel("2026-11-25 10:00 +01:00", tick=False):
        measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    assert run_days(date(2026, 11, 26), date(2026, 12, 14)) == {}


def test_a_new_due_date_is_reminded_of_again(measure, handler, org_admin):
    run_days(date(2026, 12, 2), date(2026, 12, 2))
    measure.due_date = date(2026, 12, 21)
    measure.save(update_fields=["due_date"])
    sent = run_days(date(2026, 12, 3), date(2026, 12, 16))
    assert sent == {
        date(2026, 12, 16): {
            (NotificationKind.MEASURE_DUE, handler.email),
            (NotificationKind.MEASURE_DUE, org_admin.email),
        }
    }


def test_another_partnership_is_not_told(measure, foreigner):
    run_days(date(2026, 12, 2), date(2026, 12, 8))
    assert not Notification.objects.filter(recipient=foreigner).exists()


def test_the_email_names_the_due_date_and_owner_but_not_the_measure_text(world, measure, handler, settings):
    run_days(date(2026, 12, 2), date(2026, 12, 2))
    row = Notification.objects.get(kind=NotificationKind.MEASURE_DUE, recipient=handler)
    message = build_message(row)
    assert measure.deviation.reference in message.body
    assert world.municipality.name in message.body
    assert "adresselisten" not in message.body.lower()
    assert mail.outbox == []  # built, not sent, here


def test_an_escalation_goes_to_a_leader_who_also_coordinates_once(world, measure, coordinator):
    grant(coordinator, Role.LEADER, organisation=world.municipality)
    run_days(date(2026, 12, 8), date(2026, 12, 9))
    assert Notification.objects.filter(kind=NotificationKind.MEASURE_OVERDUE, recipient=coordinator).count() == 1


def test_an_inactive_responsible_person_falls_back_to_the_handlers(world, case, handler):
    from avvik.measures.services import measure_add

    gone = UserFactory(email="sluttet@kommune.test")
    grant(gone, Role.HANDLER, organisation=world.municipality)
    with time_machine.travel("2026-11-24 10:00 +01:00", tick=False):
        measure_add(
            deviation=case,
            by=handler,
            what="Ny rutine.",
            responsible_organisation=world.municipality,
            responsible_person=gone,
            due_date=date(2026, 12, 7),
        )
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    sent = run_days(date(2026, 12, 2), date(2026, 12, 2))
    assert sent == {date(2026, 12, 2): {(NotificationKind.MEASURE_DUE, handler.email)}}
