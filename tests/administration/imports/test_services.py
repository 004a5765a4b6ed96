"""Confirming a people file and the task that invites its rows: progress, pacing by the sender's
hourly limit, per-row refusals, and no one invited twice."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from avvik.administration.imports import services
from avvik.administration.imports.services import (
    ImportRefused,
    people_file_confirm,
    people_file_hold,
    people_import_run,
)
from avvik.administration.imports.tasks import import_people
from avvik.administration.invitations import PER_ADDRESS, PER_SENDER, invite
from avvik.administration.models import (
    HeldPeopleFile,
    Invitation,
    PeopleImport,
    PeopleImportRow,
    PeopleImportRowStatus,
    PeopleImportStatus,
)
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role

HEADER = "e-post;navn;virksomhet;enhet;roller\n"


@pytest.fixture(autouse=True)
def _no_broker():
    # The task is called directly below; nothing is queued.
    with mock.patch.object(services, "_enqueue") as enqueue:
        yield enqueue


def confirmed(by, world, lines: str) -> PeopleImport:
    held = people_file_hold(owner=by, partnership=world.partnership, name="f.csv", data=(HEADER + lines).encode())
    return people_file_confirm(held=held, by=by)


def rows(n: int, start: int = 0) -> str:
    return "".join(f"p{i}@kommune.test;P {i};Testvik kommune;;reporter\n" for i in range(start, start + n))


def test_a_file_with_an_error_saves_nothing_and_keeps_the_held_file(world, org_admin):
    held = people_file_hold(
        owner=org_admin,
        partnership=world.partnership,
        name="f.csv",
        data=(HEADER + rows(2) + "bad;X;Testvik kommune;;reporter\n").encode(),
    )
    with pytest.raises(ImportRefused):
        people_file_confirm(held=held, by=org_admin)
    assert not PeopleImport.objects.exists() and not Invitation.objects.exists()
    assert HeldPeopleFile.objects.filter(pk=held.pk).exists()


def test_confirming_writes_the_rows_and_queues_the_task_after_commit(
    world, org_admin, counterpart_reporter, django_capture_on_commit_callbacks, _no_broker
):
    with django_capture_on_commit_callbacks(execute=True):
        people_import = confirmed(
            org_admin, world, rows(2) + f"{counterpart_reporter.email};Has;Testvik kommune;;reporter\n"
        )
    _no_broker.assert_called_once_with(people_import.pk)
    assert list(people_import.rows.values_list("line", "status")) == [
        (2, PeopleImportRowStatus.PENDING),
        (3, PeopleImportRowStatus.PENDING),
        (4, PeopleImportRowStatus.NOTHING),
    ]
    assert not HeldPeopleFile.objects.exists()
    assert not Invitation.objects.exists()  # nothing is invited in the request


def test_the_task_invites_every_row_once_even_when_run_twice(world, org_admin):
    people_import = confirmed(org_admin, world, rows(3))
    import_people(people_import.pk)
    import_people(people_import.pk)
    people_import.refresh_from_db()
    assert people_import.status == PeopleImportStatus.DONE and people_import.finished_at is not None
    assert Invitation.objects.filter(invited_by=org_admin).count() == 3
    assert set(people_import.rows.values_list("status", flat=True)) == {PeopleImportRowStatus.INVITED}
    assert Notification.objects.count() == 3
    assert all(row.invitation.email == row.email for row in people_import.rows.select_related("invitation"))


def test_a_row_refused_at_import_is_reported_and_the_others_are_kept(world, org_admin, partnership_admin):
    # The address has had its three invitations today, from someone else, after the dry run.
    people_import = confirmed(org_admin, world, rows(3))
    for _ in range(PER_ADDRESS):
        invite(
            by=partnership_admin,
            partnership=world.partnership,
            organisation=world.municipality,
            email="p1@kommune.test",
            full_name="P 1",
            roles=[Role.HANDLER],
        )
    people_import_run(import_id=people_import.pk)
    statuses = dict(people_import.rows.values_list("line", "status"))
    assert statuses == {
        2: PeopleImportRowStatus.INVITED,
        3: PeopleImportRowStatus.REFUSED,
        4: PeopleImportRowStatus.INVITED,
    }
    assert "24 hours" in people_import.rows.get(line=3).message
    assert Invitation.objects.filter(invited_by=org_admin).count() == 2


def test_more_than_the_hourly_limit_is_sent_in_hourly_portions(world, org_admin):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        people_import = confirmed(org_admin, world, rows(PER_SENDER + 5))
        step = people_import_run(import_id=people_import.pk)
    assert step.invited == PER_SENDER
    people_import.refresh_from_db()
    assert people_import.status == PeopleImportStatus.WAITING
    assert people_import.resumes_at == start + timedelta(hours=1, seconds=5)
    assert people_import.rows.filter(status=PeopleImportRowStatus.PENDING).count() == 5
    # Each invitation is written whole with its row, or not at all: no invitation without its row.
    assert Invitation.objects.count() == people_import.rows.filter(status=PeopleImportRowStatus.INVITED).count()
    with time_machine.travel(people_import.resumes_at, tick=False):
        step = people_import_run(import_id=people_import.pk)
    assert step.invited == 5 and step.resumes_at is None
    people_import.refresh_from_db()
    assert people_import.status == PeopleImportStatus.DONE
    assert Invitation.objects.filter(invited_by=org_admin).count() == PER_SENDER + 5


def test_the_task_queues_itself_again_when_the_limit_is_reached(world, org_admin):
    people_import = confirmed(org_admin, world, rows(PER_SENDER + 1))
    with mock.patch.object(import_people, "apply_async") as again:
        import_people(people_import.pk)
    people_import.refresh_from_db()
    again.assert_called_once_with(args=(people_import.pk,), eta=people_import.resumes_at)


def test_the_task_skips_an_import_that_is_gone(world, org_admin):
    import_people(987654)
    assert not Invitation.objects.exists()


def test_a_row_whose_role_may_no_longer_be_given_is_refused_and_nothing_half_written(world, org_admin):
    people_import = confirmed(org_admin, world, rows(1))
    PeopleImportRow.objects.update(roles=[Role.COORDINATOR])  # a role no longer grantable there
    people_import_run(import_id=people_import.pk)
    row = people_import.rows.get()
    assert row.status == PeopleImportRowStatus.REFUSED and row.invitation is None
    assert not Invitation.objects.exists()


def test_the_sweep_queues_again_imports_whose_message_was_lost(world, org_admin, _no_broker):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fresh = confirmed(org_admin, world, rows(1))
    with time_machine.travel(start - timedelta(minutes=5), tick=False):
        lost = confirmed(org_admin, world, rows(1, start=1))
    done = confirmed(org_admin, world, rows(1, start=2))
    people_import_run(import_id=done.pk)
    PeopleImport.objects.filter(pk=done.pk).update(created_at=start - timedelta(hours=1))
    with time_machine.travel(start, tick=False):
        assert services.people_imports_requeue() == [lost.pk]
    _no_broker.assert_called_once_with(lost.pk)
    assert fresh.pk != lost.pk


def test_the_sweep_is_in_the_beat_schedule_and_expires_before_its_next_run(settings):
    from avvik.administration.imports.tasks import sweep_people_imports

    name = f"{sweep_people_imports.__module__}.{sweep_people_imports.__name__}"
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == name]
    assert entry["options"]["expires"] < entry["schedule"]
