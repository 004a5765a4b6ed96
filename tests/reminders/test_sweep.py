"""With a frozen clock moved day by day, the right people get the right reminders on the right days, once."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from avvik.cases.choices import Status
from avvik.outbox.models import Notification
from avvik.reminders.models import LOOK_NOW, ReminderClock
from avvik.reminders.sweep import sweep_deadlines
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case, in_progress_cases
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


def sweep_notices() -> list:
    """One sweep; the notices whose rows it wrote."""
    notices: list = []
    sweep_deadlines(on_batch=notices.extend)
    return notices


def overdue_case(world, reporter, coordinator, handler):
    """A case due on 7 December 2026, so that on the 14th it goes to the leader and the contact point."""
    return in_progress_cases(world, reporter, coordinator, handler, 1)[0]


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
    in_progress_cases(world, reporter, coordinator, handler, 1)
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
        # The second sweep read the clocks and looked for the rows before the first had committed them.
        ReminderClock.objects.update(due_on=LOOK_NOW)
        monkeypatch.setattr(writing, "_existing_keys", lambda keys: set())
        second = sweep_deadlines()
    assert first.written == 2
    assert second.written == 0
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
            sweep_deadlines(on_batch=lambda notices: reported.extend(pk for n in notices for pk in n.ids))
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
    assert sorted(reported) == sorted(written.values_list("pk", flat=True))


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
        written = [pk for notice in sweep_notices() for pk in notice.ids]
    assert len(written) == 60  # the leader and the contact point for each of the 30 overdue cases
    assert case.pk in set(Notification.objects.filter(pk__in=written).values_list("deviation_id", flat=True))


def test_with_nothing_newly_due_the_sweep_reads_no_case(
    world, reporter, coordinator, handler, leader, django_assert_num_queries
):
    in_progress_cases(world, reporter, coordinator, handler, 20)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        assert sweep_deadlines().written == 40
        with django_assert_num_queries(1):  # the due clocks, through their index: none
            assert sweep_deadlines().cases == 0
    # Before the first reminder and after the last escalation alike: nothing is read.
    with time_machine.travel("2026-12-21 08:00 +01:00", tick=False), django_assert_num_queries(1):
        assert sweep_deadlines().written == 0


def test_each_case_is_read_again_only_on_the_day_of_its_next_step(world, reporter, coordinator, handler, leader):
    (case,) = in_progress_cases(world, reporter, coordinator, handler, 1)
    looked_at = {}
    day = date(2026, 11, 24)
    while day <= date(2026, 12, 14):
        with time_machine.travel(f"{day.isoformat()} 08:00 +01:00", tick=False):
            looked_at[day] = sweep_deadlines().cases
        day += timedelta(days=1)
    # The first day it saw the case (the migration or the case's last change), then each step's day.
    assert {day for day, cases in looked_at.items() if cases} == {
        date(2026, 11, 24),
        date(2026, 12, 3),
        date(2026, 12, 7),
        date(2026, 12, 8),
        date(2026, 12, 10),
    }
    assert ReminderClock.objects.get(deviation=case).due_on is None  # nothing more to write


def test_a_changed_deadline_is_swept_again(world, reporter, coordinator, handler, leader):
    from avvik.cases.models import Deviation

    (case,) = in_progress_cases(world, reporter, coordinator, handler, 1)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        assert sweep_deadlines().written == 2
        # However the deadline is written (here one bulk UPDATE), the next sweep looks again.
        Deviation.objects.filter(pk=case.pk).update(answer_due=date(2026, 12, 11))
        assert sweep_deadlines().written == 1  # the leader, for the new due day; the contact point waits
    assert Notification.objects.filter(deviation=case, kind="escalation_leader").count() == 2


def test_a_sweep_never_overwrites_a_change_made_while_it_ran(world, reporter, coordinator, handler, leader):
    from avvik.cases.models import Deviation
    from avvik.reminders.sweep import _Sweep

    (case,) = in_progress_cases(world, reporter, coordinator, handler, 1)
    read = ReminderClock.objects.get(deviation=case)
    Deviation.objects.filter(pk=case.pk).update(answer_due=date(2026, 12, 11))  # after the sweep read the clock
    with time_machine.travel("2026-12-01 08:00 +01:00", tick=False):
        _Sweep(date(2026, 12, 1)).batch({case.pk: read.changes})
    clock = ReminderClock.objects.get(deviation=case)
    assert clock.due_on == date(2026, 11, 20) and clock.changes == read.changes + 1  # the new day's


def test_a_change_the_reminders_do_not_depend_on_leaves_the_clock_alone(world, reporter, coordinator, handler):
    from avvik.cases.models import Deviation

    (case,) = in_progress_cases(world, reporter, coordinator, handler, 1)
    with time_machine.travel("2026-11-24 08:00 +01:00", tick=False):
        sweep_deadlines()
    before = ReminderClock.objects.get(deviation=case)
    Deviation.objects.filter(pk=case.pk).update(title="Ny tittel")
    case.refresh_from_db()
    case.save()  # every column written again, none changed
    after = ReminderClock.objects.get(deviation=case)
    assert (after.due_on, after.changes) == (before.due_on, before.changes) == (date(2026, 12, 3), before.changes)


@pytest.mark.postgres
def test_what_is_due_is_read_through_the_clock_index():
    from django.db import connection

    from avvik.reminders.sweep import due_clocks

    with connection.cursor() as cursor:
        # A table this small is read whole by choice; forbidding that asks whether the index fits the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "reminder_clock_due" in due_clocks(date(2026, 12, 14)).values_list("deviation_id", "changes").explain()


def test_the_people_are_read_once_per_sweep_however_many_batches(
    world, reporter, coordinator, handler, leader, monkeypatch, settings
):
    """Case handlers, their organisations and the recipients' organisations are read for the
    first batch that needs them and kept for the rest of the sweep."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from avvik.reminders import sweep

    settings.REMINDER_SWEEP_WORKERS = 1  # every batch on the connection whose queries are counted

    def people_queries(batch: int) -> int:
        in_progress_cases(world, reporter, coordinator, handler, 12)
        monkeypatch.setattr(sweep, "BATCH", batch)
        with (
            time_machine.travel("2026-12-14 08:00 +01:00", tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            written = [pk for notice in sweep_notices() for pk in notice.ids]
        assert len(written) == 24  # the leader and the contact point for each of the 12 cases
        return sum('"tenancy_' in query["sql"] for query in queries.captured_queries)

    assert people_queries(batch=1000) == people_queries(batch=3)


def test_each_reminder_names_the_recipients_organisation_that_is_a_party_to_the_case(
    world, reporter, coordinator, handler
):
    case = in_progress_cases(world, reporter, coordinator, handler, 1)[0]
    run_days(date(2026, 12, 7), date(2026, 12, 7))
    row = Notification.objects.get(kind="reminder_due", deviation=case)
    assert row.recipient == handler
    assert row.organisation_id == case.responsible_organisation_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_batches_written_in_two_threads_write_each_reminder_once(
    world, reporter, coordinator, handler, leader, monkeypatch, settings
):
    """Five batches over two connections: every reminder written once, each reported to the
    caller's thread, every clock moved on; a second sweep finds nothing."""
    import threading

    from avvik.reminders import sweep

    settings.REMINDER_SWEEP_WORKERS = 2
    monkeypatch.setattr(sweep, "BATCH", 2)
    cases = in_progress_cases(world, reporter, coordinator, handler, 9)
    caller, told_in = threading.get_ident(), set()

    def on_batch(notices) -> None:
        told_in.add(threading.get_ident())
        reported.extend(pk for notice in notices for pk in notice.ids)

    batch, written_in = sweep._Sweep.batch, set()

    def noted(self, clocks):
        written_in.add(threading.get_ident())
        return batch(self, clocks)

    monkeypatch.setattr(sweep._Sweep, "batch", noted)
    reported: list[int] = []
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        result = sweep_deadlines(on_batch=on_batch)
        again = sweep_deadlines()
    written = Notification.objects.filter(deviation__in=cases)
    assert (result.cases, result.written, again.cases, again.written) == (9, 18, 0, 0)
    assert sorted(reported) == sorted(written.values_list("pk", flat=True))
    assert set(written.values_list("kind", flat=True)) == {"escalation_leader", "escalation_contact_point"}
    assert told_in == {caller} and caller not in written_in
    assert not ReminderClock.objects.filter(deviation__in=cases, due_on__lte=date(2026, 12, 14)).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_that_fails_in_a_thread_stops_the_sweep_and_the_next_sweep_writes_what_it_left(
    world, reporter, coordinator, handler, leader, monkeypatch, settings
):
    from avvik.reminders import sweep

    settings.REMINDER_SWEEP_WORKERS = 2
    monkeypatch.setattr(sweep, "BATCH", 2)
    cases = in_progress_cases(world, reporter, coordinator, handler, 9)
    move_on = sweep._clocks_move_on
    failing = cases[4].pk

    def broken(next_day) -> None:
        if any(failing in ids for ids in next_day.values()):
            raise RuntimeError("connection lost")
        move_on(next_day)

    monkeypatch.setattr(sweep, "_clocks_move_on", broken)
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False):
        with pytest.raises(RuntimeError, match="connection lost"):
            sweep_deadlines()
        assert not Notification.objects.filter(deviation_id=failing).exists()  # its batch rolled back
        monkeypatch.setattr(sweep, "_clocks_move_on", move_on)
        sweep_deadlines()
    written = Notification.objects.filter(deviation__in=cases)
    assert written.count() == 18
    assert written.values("deviation", "kind", "recipient").distinct().count() == 18
