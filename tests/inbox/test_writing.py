"""Notices are written with the outbox rows: one per row, once, in the same transaction."""

import pytest
from django.db import transaction

from avvik.cases.choices import Status
from avvik.inbox.models import SiteNotice
from avvik.outbox import writing
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification
from avvik.outbox.writing import Notice, notify, notify_all
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_every_outbox_row_gets_one_notice_with_its_key(world, reporter, coordinator, handler):
    filed = file_case(reporter, world.municipality)
    case = drive(filed, Status.FORWARDED, coordinator=coordinator, handler=handler, reporter=reporter)
    rows = {row.key: row for row in Notification.objects.all()}
    notices = {notice.key: notice for notice in SiteNotice.objects.all()}
    assert set(notices) == set(rows)
    assert {(n.recipient, n.kind) for n in notices.values()} == {
        (coordinator, NotificationKind.NEW_CASE),
        (handler, NotificationKind.FORWARDED),
        (reporter, NotificationKind.REPORTER_FORWARDED),
    }
    for key, notice in notices.items():
        assert notice.deviation == case
        assert notice.organisation_id == rows[key].organisation_id
        assert notice.created_at == rows[key].created_at
        assert notice.read_at is None


def test_a_repeated_notification_writes_no_second_notice(world, reporter, handler):
    case = file_case(reporter, world.municipality)
    for _ in range(2):
        notify(kind=NotificationKind.REMINDER_DUE, recipients=[handler], deviation=case, threshold="2026-12-07")
    assert SiteNotice.objects.filter(recipient=handler, kind=NotificationKind.REMINDER_DUE).count() == 1


def test_a_row_written_meanwhile_by_another_call_gets_no_second_notice(world, reporter, handler, monkeypatch):
    case = file_case(reporter, world.municipality)
    notices = [Notice(NotificationKind.REMINDER_DUE, [handler], case, threshold="2026-12-07")]
    notify_all(notices)
    # The second call read the keys before the first committed: it tries to insert the same row.
    monkeypatch.setattr(writing, "_existing_keys", lambda keys: set())
    notify_all([Notice(NotificationKind.REMINDER_DUE, [handler], case, threshold="2026-12-07")])
    assert SiteNotice.objects.filter(kind=NotificationKind.REMINDER_DUE).count() == 1


def test_notices_are_rolled_back_with_the_change_that_caused_them(world, reporter, coordinator):
    before = SiteNotice.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        file_case(reporter, world.municipality)
        assert SiteNotice.objects.filter(recipient=coordinator).count() == 1
        raise RuntimeError("the filing fails after the notifications are written")
    assert SiteNotice.objects.count() == before
    assert not Notification.objects.exists()


def test_a_system_account_that_gets_no_mail_gets_no_notice_either(world, reporter):
    system = UserFactory(email="epj@system.invalid")
    grant(system, "handler", organisation=world.municipality)
    case = file_case(reporter, world.municipality)
    notify(kind=NotificationKind.COMMENT, recipients=[system], deviation=case, threshold="c1")
    assert not SiteNotice.objects.filter(recipient=system).exists()


def test_notifications_recorded_as_history_are_already_read(world, reporter):
    case = file_case(reporter, world.municipality)
    with writing.recording_history():
        notify(kind=NotificationKind.CLOSED, recipients=[reporter], deviation=case)
    notice = SiteNotice.objects.get(recipient=reporter, kind=NotificationKind.CLOSED)
    assert notice.read_at == notice.created_at


def test_summaries_are_mailed_but_not_noticed(world, reporter, handler):
    notify(kind=NotificationKind.DAILY_DIGEST, recipients=[handler], threshold="2026-12-07")
    notify(kind=NotificationKind.WEEKLY_DIGEST, recipients=[handler], organisation=world.municipality, threshold="w1")
    assert Notification.objects.filter(recipient=handler).count() == 2
    assert not SiteNotice.objects.filter(recipient=handler).exists()
