"""Error tracking with Sentry, on only when SENTRY_DSN is set.

An error report must carry nothing personal: the site handles patient references and the people of
two organisations. Sentry is told to collect no personal data, bodies, cookies or local variables, and every event
passes `scrub` before it leaves: request bodies, cookies and credentials are dropped, the patient
section's fields are blanked, and identity numbers and e-mail addresses are masked wherever they
appear (messages, exception values, breadcrumbs, extra data, tags, contexts).
"""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

from avvik.core.identity_numbers import find_identity_numbers

FILTERED = "[Filtered]"
IDENTITY_NUMBER = "[identity number]"
EMAIL_ADDRESS = "[e-mail]"

_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Keys whose values are blanked whatever they hold: the patient section, credentials, sessions.
_SECRET_KEY = re.compile(r"patient|identity|password|passwd|secret|token|cookie|session|csrf|auth|api_?key", re.I)
# A request's parts that carry what people typed or who they are.
_REQUEST_DROPPED = ("data", "cookies", "query_string", "env")
# Sentry's own ids: hex digits that could happen to look like a number, and must stay intact.
_IDS = frozenset({"event_id", "trace_id", "span_id", "parent_span_id", "release", "timestamp", "start_timestamp"})


def scrub_text(text: str) -> str:
    """The text with identity numbers and e-mail addresses masked."""
    for number in find_identity_numbers(text):
        text = text.replace(number, IDENTITY_NUMBER)
    return _EMAIL.sub(EMAIL_ADDRESS, text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub_item(key, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _scrub_item(key: Any, item: Any) -> Any:
    if not isinstance(key, str):
        return _scrub(item)
    if key in _IDS:
        return item
    if _SECRET_KEY.search(key):
        return FILTERED
    return _scrub(item)


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """Sentry's before_send (and before_send_transaction): the event without anything personal."""
    request = event.get("request")
    if isinstance(request, dict):
        for part in _REQUEST_DROPPED:
            if part in request:
                request[part] = FILTERED
    user = event.get("user")
    if isinstance(user, dict):
        # The id alone lets an operator find the account; name, address and IP stay out.
        event["user"] = {"id": user["id"]} if "id" in user else {}
    scrubbed: Event = _scrub(event)
    return scrubbed


def sentry_options(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> dict[str, Any]:
    """sentry_sdk.init's arguments: Django and Celery integrations, nothing personal."""
    return {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        "integrations": [DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=False)],
        # Sentry's own switches, all off; `scrub` is the second line for what slips through.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "denylist"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        "max_request_body_size": "never",
        "traces_sample_rate": traces_sample_rate,
        "before_send": scrub,
        "before_send_transaction": scrub,
    }


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        **sentry_options(dsn=dsn, environment=environment, release=release, traces_sample_rate=traces_sample_rate)
    )
