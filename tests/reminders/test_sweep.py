"""With a frozen clock moved day by day, the right people get the right reminders on the right days, once."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from avvik.cases.choices import Status
from avvik.outbox.models import Notification
from avvik.reminders.sweep import sweep_deadlines
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(world):
    user = UserFactory(email="leder@kommune.test")
    grant(user, Role.ORG_ADMIN, organisation=world.municipality)
    return user


def run_days(start: date, end: date) -> dict[date, set[tuple[str, str]]]:
    """Run the sweep twice a day (as two beats would), and record what each day wrote."""
    sent = defaultdict(set)
    day = start
    while day <= end:
        with time_machine.travel(f"{day.isoformat()} 08:00 +01:00", tick=False):
            before = set(Notification.objects.values_list("pk", flat=True))
            sweep_deadlines()
            sweep_deadlines()
            for kind, email in Notification.objects.exclude(pk__in=before).values_list("kind", "recipient__email"):
                sent[day].add((kind, email))
        day += timedelta(days=1)
    return dict(sent)


def test_the_escalation_ladder_day_by_day(world, reporter, coordinator, handler, leader):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):  # Monday
        case = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    assert case.answer_due == date(2026, 12, 7)
    Notification.objects.all().delete()  # only the deadline notifications matter here

    sent = run_days(date(2026, 11, 24), date(2026, 12, 14))

    assert sent == {
        date(2026, 12, 3): {("reminder_before", handler.email)},  # two working days before
        date(2026, 12, 7): {("reminder_due", handler.email)},  # the due day
        date(2026, 12, 8): {("escalation_leader", leader.email)},  # overdue: the organisation's leader
        date(2026, 12, 10): {("escalation_contact_point", coordinator.email)},  # three working days later
    }
    assert Notification.objects.count() == 4


def test_triage_overdue_goes_to_the_coordinators_once(world, reporter, coordinator):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        file_case(reporter, world.municipality)
    Notification.objects.all().delete()
    sent = run_days(date(2026, 11, 24), date(2026, 12, 2))
    assert sent == {date(2026, 11, 26): {("triage_overdue", coordinator.email)}}


def test_no_reminders_while_waiting_for_the_reporter_or_after_the_answer(world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        drive(
            file_case(reporter, world.municipality),
            Status.WAITING,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        drive(
            file_case(reporter, world.municipality),
            Status.ANSWERED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Notification.objects.all().delete()
    assert run_days(date(2026, 11, 24), date(2026, 12, 21)) == {}


def test_an_assigned_case_reminds_the_case_handler_only(world, reporter, coordinator, handler):
    colleague = UserFactory(email="kollega@kommune.test")
    grant(colleague, Role.HANDLER, organisation=world.municipality)
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Notification.objects.all().delete()
    sent = run_days(date(2026, 12, 7), date(2026, 12, 7))
    assert sent == {date(2026, 12, 7): {("reminder_due", handler.email)}}


def test_forwarded_but_not_accepted_reminds_every_handler(world, reporter, coordinator, handler):
    colleague = UserFactory(email="kollega@kommune.test")
    grant(colleague, Role.HANDLER, organisation=world.municipality)
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        drive(
            file_case(reporter, world.municipality),
            Status.FORWARDED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Notification.objects.all().delete()
    sent = run_days(date(2026, 12, 7), date(2026, 12, 7))
    assert sent == {date(2026, 12, 7): {("reminder_due", handler.email), ("reminder_due", colleague.email)}}


def test_send_reminders_command_prints_what_it_sent(world, reporter, coordinator, handler, mailoutbox, capsys):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        case = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    with time_machine.travel("2026-12-07 08:00 +01:00", tick=False):
        call_command("send_reminders")
    out = capsys.readouterr().out
    assert f"{case.reference}: reminder_due → {handler.email}" in out
    assert "1 reminders written, 1 sent." in out
    assert [m.to for m in mailoutbox] == [[handler.email]]


def test_a_long_overdue_case_gets_the_escalations_not_a_due_today_reminder(world, reporter, coordinator, handler):
    with time_machine.travel("2026-06-01 09:00 +01:00", tick=False):
        drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Notification.objects.all().delete()
    sent = run_days(date(2026, 11, 26), date(2026, 11, 26))
    assert sent == {date(2026, 11, 26): {("escalation_contact_point", coordinator.email)}}


def test_a_case_handler_who_left_the_organisation_is_replaced_by_its_handlers(world, reporter, coordinator, handler):
    from avvik.tenancy.models import Membership

    colleague = UserFactory(email="kollega@kommune.test")
    grant(colleague, Role.HANDLER, organisation=world.municipality)
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Membership.objects.filter(user=handler).delete()
    Notification.objects.all().delete()
    sent = run_days(date(2026, 12, 7), date(2026, 12, 7))
    assert sent == {date(2026, 12, 7): {("reminder_due", colleague.email)}}


def test_the_sweep_writes_many_cases_in_a_few_queries(
    world, reporter, coordinator, handler, leader, django_assert_max_num_queries
):
    # Per case, the sweep used to cost several queries; at a million open cases that took hours.
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        for _ in range(30):
            case = drive(
                file_case(reporter, world.municipality),
                Status.IN_PROGRESS,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
    Notification.objects.all().delete()
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False), django_assert_max_num_queries(25):
        written = sweep_deadlines().notifications
    assert len(written) == 60  # the leader and the contact point for each of the 30 overdue cases
    assert case.pk in set(Notification.objects.filter(pk__in=written).values_list("deviation_id", flat=True))
