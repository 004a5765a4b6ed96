"""Against real PostgreSQL and Redis: several workers and beats send each notification exactly
once, and a notification written while Redis was down is delivered once it is back."""

import os
import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from samhandling.celery import app as celery_app
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant
from tests.processes import IN_CI, Processes, RedisServer, require, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI must run the integration tests on PostgreSQL")
        pytest.skip("needs PostgreSQL: set DATABASE_URL (the test database is shared with real processes)")
    require("redis-server", "apt-get install redis-server")


@pytest.fixture
def redis_server(tmp_path, postgres):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path, redis_server):
    db = connection.settings_dict
    mail = tmp_path / "mail"
    mail.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "OUTBOX_GRACE_SECONDS": "1",
        "OUTBOX_SWEEP_SECONDS": "1",
        "REMINDER_SWEEP_SECONDS": "1",
    }
    running = Processes(env, tmp_path)
    running.mail = mail
    yield running
    running.stop()


def sent_keys(mail_folder) -> Counter:
    """How many e-mails carry each notification key."""
    keys = Counter()
    for path in mail_folder.iterdir():
        keys.update(re.findall(r"^X-Samhandling-Notification: (\S+)$", path.read_text(), flags=re.MULTILINE))
    return keys


def all_sent() -> bool:
    open_rows = Notification.objects.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING])
    return Notification.objects.exists() and not open_rows.exists()


def test_two_workers_and_two_beats_send_each_notification_exactly_once(
    world, reporter, coordinator, handler, processes, redis_server
):
    redis_server.start()
    leader = UserFactory(email="leder@kommune.test")
    grant(leader, Role.ORG_ADMIN, organisation=world.municipality)
    today = timezone.localdate()
    for offset in (-6, -4, -1, 0, 1, 2, 9):  # overdue, due today, due soon, not yet
        for _ in range(3):
            case = drive(
                file_case(reporter, world.municipality),
                Status.IN_PROGRESS,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
            Deviation.objects.filter(pk=case.pk).update(answer_due=today + timedelta(days=offset))
    for _ in range(3):
        case = file_case(reporter, world.municipality)
        Deviation.objects.filter(pk=case.pk).update(triage_due=today - timedelta(days=7))

    processes.worker("worker1")
    processes.worker("worker2")
    processes.beat("beat1")
    processes.beat("beat2")
    # Both beats sweep the same due cases several times before the count is taken.
    wait_for(
        lambda: all(
            processes.count_in_log(beat, "Sending due task reminder-sweep") >= 3 for beat in ("beat1", "beat2")
        ),
        90,
        "the beats did not sweep three times each:\n" + processes.logs(),
    )
    wait_for(all_sent, 90, "notifications still pending:\n" + processes.logs())
    processes.stop()

    rows = set(Notification.objects.values_list("key", flat=True))
    keys = sent_keys(processes.mail)
    duplicates = {key: n for key, n in keys.items() if n > 1}
    missing = rows - set(keys)
    assert duplicates == {}, duplicates
    assert missing == set(), missing
    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    assert kinds["escalation_contact_point"] >= 3  # the cases 6 days overdue (> 3 working days)
    assert kinds["escalation_leader"] >= 6
    assert kinds["reminder_due"] >= 3
    assert kinds["triage_overdue"] == 3


def test_filing_while_redis_is_down_is_quick_and_the_notification_follows_later(
    client, world, reporter, coordinator, processes, redis_server
):
    from tests.builders import filing_form_data

    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_server.url  # not started: nothing listens there
    celery_app.close()
    try:
        client.force_login(reporter)
        started = time.monotonic()
        response = client.post(reverse("cases:new"), filing_form_data(world))
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = original
        celery_app.close()
    assert response.status_code == 302
    assert elapsed < 2, f"filing took {elapsed:.2f} s with Redis down"
    notification = Notification.objects.get(recipient=coordinator, kind="new_case")
    assert notification.status == NotificationStatus.PENDING

    redis_server.start()
    processes.worker("worker")
    processes.beat("beat")
    wait_for(all_sent, 60, "not delivered after Redis came back:\n" + processes.logs())
    assert sent_keys(processes.mail) == Counter({notification.key: 1})
