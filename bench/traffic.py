"""The message traffic bench (issue #18): intake throughput, and the monitoring sweep over a large
message table. Runs inside Django: `python -m bench.measure traffic`, or on its own with
`python -m bench.traffic` (prints the results as JSON).

Nothing is kept: every measurement runs in a transaction that is rolled back, so the benchmark
database holds no traffic afterwards. The large table is made in SQL (INSERT … SELECT over
generate_series), not as ORM objects; BENCH_TRAFFIC_EVENTS sets its size (default 10 million
events, half of them sending events and half receipts, so 5 million messages).
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from avvik.administration.services import partnership_setup  # noqa: E402
from avvik.api.services import api_client_create  # noqa: E402
from avvik.tenancy.choices import Role  # noqa: E402
from avvik.tenancy.models import Membership, Organisation, Partnership, User  # noqa: E402
from avvik.traffic.monitoring import sweep  # noqa: E402
from avvik.traffic.services import MAX_BATCH, client_source, record_events  # noqa: E402

EVENTS = int(os.environ.get("BENCH_TRAFFIC_EVENTS", "10000000"))
INTAKE_BATCHES = int(os.environ.get("BENCH_INTAKE_BATCHES", "20"))
HTTP_BATCHES = int(os.environ.get("BENCH_HTTP_BATCHES", "10"))
NEWLY_DUE = 10_000
SLUG = "bench-traffic"
SENDER_HER, RECEIVER_HER = "8000001", "8000002"
# Messages still waiting for a receipt that is not yet due: about what a busy hour leaves open.
WAITING = 5_000


class Discarded(Exception):
    """Raised to roll back a measurement's transaction."""


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Discarded
    except Discarded:
        pass


def parties() -> tuple[Partnership, Organisation, User]:
    """The bench's partnership: a sending and a receiving organisation and a coordinator."""
    partnership, created = Partnership.objects.get_or_create(slug=SLUG, defaults={"name": "Benk meldingstrafikk"})
    if created:
        # The default catalogue: a system case needs a category.
        partnership_setup(partnership=partnership)
    sender, _created = Organisation.objects.get_or_create(
        partnership=partnership,
        her_id=SENDER_HER,
        defaults={"name": "Benk sykehus HF", "organisation_number": "974760002"},
    )
    Organisation.objects.get_or_create(
        partnership=partnership,
        her_id=RECEIVER_HER,
        defaults={"name": "Benk kommune", "organisation_number": "974760010"},
    )
    coordinator, _created = User.objects.get_or_create(email="koordinator@benk-trafikk.test")
    Membership.objects.get_or_create(user=coordinator, role=Role.COORDINATOR, partnership=partnership)
    return partnership, sender, coordinator


def event_batch(first: int, *, at: datetime, size: int = MAX_BATCH) -> list[dict[str, Any]]:
    """A batch as a message server sends it: sending events and, for every other message, its receipt."""
    rows: list[dict[str, Any]] = []
    number = first
    while len(rows) < size:
        rows.append(
            {
                "message_id": f"bench-{number}",
                "kind": "sent",
                "message_type": "discharge_summary",
                "sender_her_id": SENDER_HER,
                "receiver_her_id": RECEIVER_HER,
                "happened_at": at.isoformat(),
            }
        )
        if number % 2 and len(rows) < size:
            rows.append(
                {
                    "message_id": f"bench-{number}",
                    "kind": "apprec",
                    "receipt_status": "ok",
                    "happened_at": (at + timedelta(minutes=3)).isoformat(),
                }
            )
        number += 1
    return rows


def intake(batches: int = INTAKE_BATCHES) -> dict[str, Any]:
    """Batches of 1,000 events through `record_events`, each batch new."""
    with rolled_back():
        partnership, _sender, _coordinator = parties()
        at = timezone.now() - timedelta(minutes=30)
        prepared = [event_batch(index * MAX_BATCH, at=at) for index in range(batches)]
        started = time.perf_counter()
        accepted = sum(record_events(partnership.pk, client_source(0), rows).accepted for rows in prepared)
        seconds = time.perf_counter() - started
    return {"events": accepted, "seconds": round(seconds, 2), "per_second": round(accepted / seconds)}


def intake_http(batches: int = HTTP_BATCHES) -> dict[str, Any]:
    """The same batches through POST /api/v1/message-events/ with a token (Django's test client:
    the whole request stack, authentication, throttle and JSON, without a network)."""
    with rolled_back():
        _partnership, sender, coordinator = parties()
        _client, token = api_client_create(
            by=coordinator, organisation=sender, name="Benk meldingstjener", scopes=["events:write"], valid_days=1
        )
        # A host the settings allow (with DEBUG off, "testserver" is not), over HTTPS as in production.
        host = next((h for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
        browser = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST=host, **{"wsgi.url_scheme": "https"})
        at = timezone.now() - timedelta(minutes=30)
        bodies = [{"events": event_batch(index * MAX_BATCH, at=at)} for index in range(batches)]
        accepted = 0
        started = time.perf_counter()
        for body in bodies:
            response = browser.post("/api/v1/message-events/", body, content_type="application/json")
            assert response.status_code == 200, response.content[:500]
            accepted += response.json()["accepted"]
        seconds = time.perf_counter() - started
    return {"events": accepted, "seconds": round(seconds, 2), "per_second": round(accepted / seconds)}


# The table names are those of avvik.traffic.models.Message and MessageEvent (checked by a test).
SEED_MESSAGES = """
INSERT INTO traffic_message (partnership_id, source, message_id, message_type, sender_her_id,
    receiver_her_id, sent_at, receipt_at, receipt_status, error_code, error_text, due_at, failure, updated_at)
SELECT %(partnership)s, 'client:0', 'seed-' || n, 'discharge_summary', %(sender)s, %(receiver)s,
    %(now)s - (n || ' seconds')::interval,
    CASE WHEN n > %(waiting)s THEN %(now)s - (n || ' seconds')::interval + interval '3 minutes' END,
    CASE WHEN n > %(waiting)s THEN 'ok' ELSE '' END, '', '',
    %(now)s - (n || ' seconds')::interval + interval '4 hours', '', %(now)s
FROM generate_series(1, %(messages)s) AS n
"""

SEED_EVENTS = """
INSERT INTO traffic_messageevent (partnership_id, source, message_id, kind, message_type,
    sender_her_id, receiver_her_id, happened_at, receipt_status, error_code, error_text, received_at)
SELECT %(partnership)s, 'client:0', 'seed-' || n, kind.kind,
    CASE WHEN kind.kind = 'sent' THEN 'discharge_summary' ELSE '' END,
    CASE WHEN kind.kind = 'sent' THEN %(sender)s ELSE '' END,
    CASE WHEN kind.kind = 'sent' THEN %(receiver)s ELSE '' END,
    %(now)s - (n || ' seconds')::interval, CASE WHEN kind.kind = 'apprec' THEN 'ok' ELSE '' END, '', '', %(now)s
FROM generate_series(1, %(messages)s) AS n, (VALUES ('sent'), ('apprec')) AS kind(kind)
"""

# Messages sent five hours ago without a receipt: past their four hours, for the second sweep.
SEED_DUE = """
INSERT INTO traffic_message (partnership_id, source, message_id, message_type, sender_her_id,
    receiver_her_id, sent_at, receipt_status, error_code, error_text, due_at, failure, updated_at)
SELECT %(partnership)s, 'client:0', 'due-' || n, 'discharge_summary', %(sender)s, %(receiver)s,
    %(now)s - interval '5 hours', '', '', '', %(now)s - interval '1 hour', '', %(now)s
FROM generate_series(1, %(due)s) AS n
"""


def sweep_at_scale(events: int = EVENTS, due: int = NEWLY_DUE) -> dict[str, Any]:
    """The sweep over `events` events (events / 2 messages) with nothing newly due, then with `due` due."""
    messages = events // 2
    with rolled_back():
        partnership, _sender, _coordinator = parties()
        now = timezone.now()
        params = {
            "partnership": partnership.pk,
            "sender": SENDER_HER,
            "receiver": RECEIVER_HER,
            "now": now,
            "messages": messages,
            "waiting": min(WAITING, messages),
            "due": due,
        }
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(SEED_MESSAGES, params)
            cursor.execute(SEED_EVENTS, params)
            cursor.execute("ANALYZE traffic_message")
            cursor.execute("ANALYZE traffic_messageevent")
        seed_seconds = time.perf_counter() - started
        nothing_due = _timed_sweep(now)
        with connection.cursor() as cursor:
            cursor.execute(SEED_DUE, params)
            cursor.execute("ANALYZE traffic_message")
        newly_due = _timed_sweep(now)
    return {
        "events": messages * 2,
        "messages": messages + due,
        "newly_due_messages": due,
        "seed_seconds": round(seed_seconds, 1),
        "nothing_due": nothing_due,
        "newly_due": newly_due,
    }


def _timed_sweep(now: datetime) -> dict[str, Any]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = sweep(now)
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "queries": len(queries),
        "failed": result.failed,
        "clusters_opened": result.clusters_opened,
        "cases_opened": result.cases_opened,
    }


# Targets of issue #18: events per second taken in, and seconds for a sweep with nothing due.
INTAKE_TARGET = 2000
SWEEP_TARGET = 10


def section(t: dict[str, Any]) -> list[str]:
    """The message traffic part of docs/performance.md."""
    sweep_, idle, due = t["sweep"], t["sweep"]["nothing_due"], t["sweep"]["newly_due"]
    met = {True: "met", False: "**missed**"}
    return [
        "## Message traffic",
        "",
        f"- Intake through `record_events`, batches of 1,000: {t['intake']['per_second']:,} events/s "
        f"({t['intake']['events']:,} events in {t['intake']['seconds']} s); target {INTAKE_TARGET:,}/s: "
        f"{met[t['intake']['per_second'] >= INTAKE_TARGET]}.",
        f"- The same through `POST /api/v1/message-events/` with a token: {t['intake_http']['per_second']:,} "
        f"events/s ({t['intake_http']['events']:,} events in {t['intake_http']['seconds']} s).",
        f"- Monitoring sweep over {sweep_['events']:,} events ({sweep_['messages']:,} messages), "
        f"nothing newly due: {idle['seconds']} s in {idle['queries']} queries; "
        f"target {SWEEP_TARGET} s: {met[idle['seconds'] < SWEEP_TARGET]}.",
        f"- With {sweep_['newly_due_messages']:,} newly due: {due['seconds']} s, {due['failed']:,} failed, "
        f"{due['clusters_opened']} clusters and {due['cases_opened']} cases opened, {due['queries']} queries.",
        f"- The table was made in SQL in {sweep_['seed_seconds']} s (`BENCH_TRAFFIC_EVENTS`, default 10 million) "
        "and rolled back afterwards.",
        "",
    ]


def measure() -> dict[str, Any]:
    return {"intake": intake(), "intake_http": intake_http(), "sweep": sweep_at_scale()}


if __name__ == "__main__":
    import json

    results = measure()
    print("\n".join(section(results)))
    print(json.dumps(results))
