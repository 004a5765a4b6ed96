"""/metrics: our figures read from the database and the broker at each scrape, for allowed scrapers only."""

import ipaddress
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from avvik.council.models import CouncilReport
from avvik.outbox.models import Notification
from avvik.reminders.tasks import sweep_reminders
from tests.processes import RedisServer, require

pytestmark = pytest.mark.django_db


def samples(response) -> dict[tuple[str, tuple], float]:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def own_redis(tmp_path):
    require("redis-server", "apt-get install redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def notification(recipient, status, age_minutes, n):
    return Notification.objects.create(
        key=f"test-{n}",
        kind="reminder_due",
        recipient=recipient,
        status=status,
        created_at=timezone.now() - timedelta(minutes=age_minutes),
    )


def test_outbox_backlog_oldest_age_reports_and_sweep_duration(client, world, handler):
    notification(handler, "pending", 5, 1)
    notification(handler, "sending", 45, 2)
    notification(handler, "failed", 600, 3)  # not in flight: counted, but not the oldest undelivered
    notification(handler, "held", 300, 4)  # waits for the daily summary on purpose
    notification(handler, "sent", 900, 5)
    today = timezone.localdate()
    for version, status in enumerate(["pending", "failed", "failed"], start=1):
        CouncilReport.objects.create(
            partnership=world.partnership,
            period_label="x",
            period_start=today,
            period_end=today,
            version=version,
            status=status,
        )
    sweep_reminders()

    found = samples(client.get("/metrics"))
    assert found[("samhandling_database_up", ())] == 1
    for state, number in {"pending": 1, "sending": 1, "failed": 1, "held": 1}.items():
        assert found[("samhandling_outbox_notifications", (("state", state),))] == number
    assert 45 * 60 <= found[("samhandling_outbox_oldest_undelivered_age_seconds", ())] < 46 * 60
    for state, number in {"pending": 1, "running": 0, "done": 0, "failed": 2}.items():
        assert found[("samhandling_council_reports", (("state", state),))] == number
    assert found[("samhandling_reminder_sweep_duration_seconds", ())] >= 0
    last = found[("samhandling_reminder_sweep_last_success_timestamp_seconds", ())]
    assert abs(last - timezone.now().timestamp()) < 60
    # django-prometheus's own figures come in the same answer.
    assert any(name.startswith("django_http_requests") for name, _ in found)
    assert any(name.startswith("django_db_execute") for name, _ in found)


def test_nothing_undelivered_is_age_zero_and_no_sweep_yet_is_no_duration(client):
    found = samples(client.get("/metrics"))
    assert found[("samhandling_outbox_oldest_undelivered_age_seconds", ())] == 0
    assert not any(name.startswith("samhandling_reminder_sweep") for name, _ in found)


def test_queue_length_from_redis_and_broker_down_does_not_break_the_scrape(client, settings, own_redis):
    settings.REDIS_URL = own_redis.url
    redis.Redis.from_url(own_redis.url).rpush(settings.CELERY_TASK_DEFAULT_QUEUE, "a", "b", "c")
    found = samples(client.get("/metrics"))
    assert found[("samhandling_broker_up", ())] == 1
    assert found[("samhandling_celery_queue_length", (("queue", "celery"),))] == 3

    own_redis.stop()
    response = client.get("/metrics")
    assert response.status_code == 200
    found = samples(response)
    assert found[("samhandling_broker_up", ())] == 0
    assert ("samhandling_celery_queue_length", (("queue", "celery"),)) not in found
    assert found[("samhandling_database_up", ())] == 1


def test_development_without_configuration_is_open_to_this_machine_only(client, settings):
    settings.PRODUCTION = False
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_production_without_configuration_answers_404_even_on_loopback(client, settings):
    settings.PRODUCTION = True
    settings.SECURE_SSL_REDIRECT = False
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    ("header", "status"),
    [("Bearer s3cret-scrape-token", 200), ("Bearer wrong", 404), ("s3cret-scrape-token", 404), (None, 404)],
)
def test_the_token_opens_it_from_anywhere(client, settings, header, status):
    settings.PRODUCTION = True
    settings.SECURE_SSL_REDIRECT = False
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", **extra).status_code == status


@pytest.mark.parametrize(("address", "status"), [("10.20.30.40", 200), ("fd00::5", 200), ("192.168.1.1", 404)])
def test_allowed_networks_open_it_by_address_and_forwarded_for_counts_for_nothing(client, settings, address, status):
    settings.PRODUCTION = True
    settings.SECURE_SSL_REDIRECT = False
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8")]
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == status
    forged = client.get("/metrics", REMOTE_ADDR="192.168.1.1", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert forged.status_code == 404
