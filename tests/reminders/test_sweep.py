"""With a frozen clock moved day by day, the right people get the right reminders on the right days, once."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

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
    grant(user, Role.LEADER, organisation=world.municipality)
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


def overdue_case(world, reporter, coordinator, handler):
    """A case due on 7 December 2026, so that on the 14th it goes to the leader and the contact point."""
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        case = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    Notification.objects.all().delete()
    return case


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
    with time_machine.travel("2026-12-07 08:00 +01:00", tick=False), translation.override("en"):
        call_command("send_reminders")
    out = capsys.readouterr().out
    assert f"{case.reference}: reminder_due → {handler.email}" in out
    assert "Reminders written by this run: 1; sent: 1." in out
    assert [m.to for m in mailoutbox] == [[handler.email]]


def test_a_second_run_over_the_same_due_cases_reports_nothing(world, reporter, coordinator, handler, leader, capsys):
    case = overdue_case(world, reporter, coordinator, handler)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False), translation.override("en"):
        call_command("send_reminders")
        first = capsys.readouterr().out
        call_command("send_reminders")
        second = capsys.readouterr().out
    assert case.reference in first and "Reminders written by this run: 2; sent: 2." in first
    assert case.reference not in second and "Reminders written by this run: 0; sent: 0." in second


def test_a_sweep_that_raced_another_over_the_same_cases_reports_none_of_its_rows(
    world, reporter, coordinator, handler, leader, monkeypatch
):
    from avvik.outbox import writing

    case = overdue_case(world, reporter, coordinator, handler)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        first = sweep_deadlines()
        # The second sweep looked for the rows before the first had committed them.
        monkeypatch.setattr(writing, "_existing_keys", lambda keys: set())
        second = sweep_deadlines()
    assert len(first.notifications) == 2 and first.lines
    assert second.notifications == [] and second.lines == []
    assert Notification.objects.filter(deviation=case).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_report_each_row_once_between_them(
    world, reporter, coordinator, handler, leader, monkeypatch
):
    """Two sweeps over the same due cases at the same moment, each past its look for existing rows
    before either writes: what they report adds up to the rows written, each once."""
    import threading

    from django.db import connection

    from avvik.outbox import writing

    for _ in range(3):
        overdue_case(world, reporter, coordinator, handler)
    both_looked = threading.Barrier(2, timeout=10)
    existing_keys = writing._existing_keys
    monkeypatch.setattr(writing, "_existing_keys", lambda keys: [existing_keys(keys), both_looked.wait()][0])
    reported, errors = [], []

    def sweep():
        try:
            reported.append(sweep_deadlines().notifications)
        except BaseException as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    written = Notification.objects.filter(kind__startswith="escalation")
    assert written.count() == 6
    assert sorted(reported[0] + reported[1]) == sorted(written.values_list("pk", flat=True))


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
