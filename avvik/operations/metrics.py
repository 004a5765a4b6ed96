"""Prometheus metrics at /metrics: django-prometheus's request and database counters, and our own
figures, computed from the database and the broker at each scrape.

Our figures are read at scrape time, not counted in the process, so they are the same whichever of
several gunicorn workers answers the scrape. django-prometheus's counters are per process: without
PROMETHEUS_MULTIPROC_DIR each scrape sees one worker's counts; with it (the image sets it) they are
added up across the workers of one container (docs/deploy.md).

Operations sits below outbox and council, so their tables are read by app label (data, not an
import).
"""

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime

import redis
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from avvik.core.redis_urls import configured_client
from avvik.operations.models import PeriodicRun
from avvik.operations.runs import REMINDER_SWEEP

logger = logging.getLogger(__name__)

# Notifications not delivered yet. `held` waits for a person's daily summary on purpose.
OUTBOX_STATES = ("pending", "sending", "failed", "held")
# Notifications that should leave within minutes: their age is what an alert watches.
IN_FLIGHT_STATES = ("pending", "sending")
REPORT_STATES = ("pending", "running", "done", "failed")


def _counts_by_status(app_label: str, model_name: str, states: Iterable[str]) -> dict[str, int]:
    model = apps.get_model(app_label, model_name)
    counts = dict.fromkeys(states, 0)
    rows = model.objects.filter(status__in=counts).values_list("status").annotate(n=Count("pk")).order_by()
    for status, number in rows:
        counts[status] = number
    return counts


def _oldest_in_flight_age(now: datetime) -> float:
    notification = apps.get_model("outbox", "Notification")
    oldest = notification.objects.filter(status__in=IN_FLIGHT_STATES).aggregate(oldest=Min("created_at"))["oldest"]
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def celery_queue_length() -> int | None:
    """Tasks waiting in the default queue, or None when there is no Redis broker or it does not answer."""
    if not settings.REDIS_URL:
        return None
    try:
        client = configured_client(socket_connect_timeout=1, socket_timeout=1)
        try:
            return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
        finally:
            client.close()
    except redis.RedisError:
        logger.warning("metrics: Redis unreachable")
        return None


class SamhandlingCollector(Collector):
    """Our figures, read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        yield from self._database_metrics()
        yield from self._broker_metrics()

    def _database_metrics(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("samhandling_database_up", "1 when the metrics could read the database.")
        try:
            now = timezone.now()
            outbox = _counts_by_status("outbox", "Notification", OUTBOX_STATES)
            oldest = _oldest_in_flight_age(now)
            reports = _counts_by_status("council", "CouncilReport", REPORT_STATES)
            sweep = PeriodicRun.objects.filter(name=REMINDER_SWEEP).first()
        except Exception:  # a database outage must not break the scrape of everything else
            logger.warning("metrics: database unreachable", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up

        backlog = GaugeMetricFamily(
            "samhandling_outbox_notifications", "Notifications not delivered, by state.", labels=["state"]
        )
        for state, number in outbox.items():
            backlog.add_metric([state], number)
        yield backlog
        yield GaugeMetricFamily(
            "samhandling_outbox_oldest_undelivered_age_seconds",
            "Age of the oldest notification waiting to be sent or being sent (0 when none).",
            value=oldest,
        )
        built = GaugeMetricFamily("samhandling_council_reports", "Council reports by state.", labels=["state"])
        for state, number in reports.items():
            built.add_metric([state], number)
        yield built
        if sweep is not None:
            yield GaugeMetricFamily(
                "samhandling_reminder_sweep_duration_seconds",
                "How long the last completed reminder sweep took.",
                value=sweep.duration_seconds,
            )
            yield GaugeMetricFamily(
                "samhandling_reminder_sweep_last_success_timestamp_seconds",
                "When the last reminder sweep completed (Unix time).",
                value=sweep.finished_at.timestamp(),
            )

    def _broker_metrics(self) -> Iterator[Metric]:
        if not settings.REDIS_URL:
            return
        length = celery_queue_length()
        yield GaugeMetricFamily(
            "samhandling_broker_up", "1 when the metrics could read the Redis broker.", value=int(length is not None)
        )
        if length is not None:
            queue = GaugeMetricFamily(
                "samhandling_celery_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
            )
            queue.add_metric([settings.CELERY_TASK_DEFAULT_QUEUE], length)
            yield queue


_ours = CollectorRegistry(auto_describe=False)
_ours.register(SamhandlingCollector())


def metrics_response() -> HttpResponse:
    """django-prometheus's metrics (added up across processes in multiprocess mode), then ours."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry) + generate_latest(_ours), content_type=CONTENT_TYPE_LATEST)


def metrics_allowed(request: HttpRequest) -> bool:
    """A scraper with the bearer token, or from an allowed network. With neither configured: nobody
    in production, the same machine in development."""
    token: str = settings.METRICS_TOKEN or ""
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = settings.METRICS_ALLOWED_NETWORKS
    address = _client_address(request)
    if not token and not networks:
        return not settings.PRODUCTION and address is not None and address.is_loopback
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    return address is not None and any(address in network for network in networks)


def _client_address(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # REMOTE_ADDR, never X-Forwarded-For: a client writes that header itself.
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return None
