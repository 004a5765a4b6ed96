"""An error report leaves with nothing personal in it: no body, cookies, credentials, patient
section, identity numbers or e-mail addresses, wherever in the event they were."""

import json
import logging

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.transport import Transport

from avvik.operations.errors import IDENTITY_NUMBER, scrub, scrub_text, sentry_options

# A made-up fødselsnummer with valid check digits, in both written forms, and people's addresses.
IDENTITY = "15058510170"
IDENTITY_SPACED = "150585 10170"
PERSONAL = [
    IDENTITY,
    IDENTITY_SPACED,
    "kari.nordmann@fjordnes.kommune.no",
    "ola@helse-nord.no",
    "Kari Nordmann",
    "sessionid-value-123",
    "csrf-value-456",
    "Bearer secret-token-789",
    "hemmelig-fritekst",
]


class MemoryTransport(Transport):
    """Keeps every envelope Sentry would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self) -> list[dict]:
        return [item.payload.json for envelope in self.envelopes for item in envelope.items if item.type == "event"]


@pytest.fixture
def sentry():
    transport = MemoryTransport()
    options = sentry_options(
        dsn="https://public@sentry.example.no/1", environment="test", release="1.0", traces_sample_rate=0.0
    )
    sentry_sdk.init(**options, transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again


def test_celery_and_django_integrations_are_on_and_no_personal_data_is_asked_for(sentry):
    client = sentry_sdk.get_client()
    collection = client.options["data_collection"]
    assert collection["user_info"] is False and collection["http_bodies"] == []
    assert collection["stack_frame_variables"] is False
    assert client.get_integration(CeleryIntegration) is not None


@pytest.mark.django_db
def test_a_failing_request_reaches_sentry_without_anything_personal(sentry, settings):
    settings.ROOT_URLCONF = "tests.operations.urls"
    logging.getLogger("avvik.outbox").warning("could not reach kari.nordmann@fjordnes.kommune.no")  # a breadcrumb
    sentry_sdk.set_extra("patient_name", "Kari Nordmann")
    sentry_sdk.set_extra("note", f"about {IDENTITY_SPACED}")
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "sessionid-value-123"
    client.cookies["csrftoken"] = "csrf-value-456"
    response = client.post(
        "/test/fails?email=ola@helse-nord.no",
        {
            "email": "ola@helse-nord.no",
            "about": IDENTITY,
            "patient_name": "Kari Nordmann",
            "patient_identity_number": IDENTITY,
            "description": "hemmelig-fritekst",
        },
        HTTP_AUTHORIZATION="Bearer secret-token-789",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = sentry.events()
    sent = json.dumps(event)
    assert event["exception"]["values"][0]["type"] == "ValueError"
    for value in PERSONAL:
        assert value not in sent, value
    assert "could not notify [e-mail] about [identity number]" in sent
    assert "could not reach [e-mail]" in sent  # the breadcrumb stays, masked
    assert event["request"].get("data", "[Filtered]") == "[Filtered]"  # never collected, or blanked


def test_scrub_masks_identity_numbers_and_addresses_and_blanks_the_patient_section():
    event = {
        "event_id": "0123456789abcdef0123456789abcdef",
        "message": f"case for {IDENTITY} from ola@helse-nord.no",
        "logentry": {"message": "send to %s", "params": ["ola@helse-nord.no"]},
        "request": {
            "url": "https://samhandling.example.no/saker/",
            "data": {"title": "hemmelig-fritekst"},
            "cookies": {"sessionid": "sessionid-value-123"},
            "query_string": "q=Kari+Nordmann",
            "headers": {
                "Authorization": "Bearer secret-token-789",
                "Cookie": "csrftoken=csrf-value-456",
                "Accept": "*/*",
            },
        },
        "user": {"id": "7", "email": "kari.nordmann@fjordnes.kommune.no", "ip_address": "10.1.2.3"},
        "extra": {"patient": {"patient_name": "Kari Nordmann", "patient_identity_number": IDENTITY}},
        "breadcrumbs": {"values": [{"message": f"looked up {IDENTITY_SPACED}", "data": {"to": "ola@helse-nord.no"}}]},
        "contexts": {"trace": {"trace_id": "0123456789abcdef0123456789abcdef"}},
    }
    scrubbed = scrub(event)
    sent = json.dumps(scrubbed)
    for value in [*PERSONAL, "10.1.2.3"]:
        assert value not in sent, value
    assert scrubbed["user"] == {"id": "7"}
    assert scrubbed["request"]["headers"] == {"Authorization": "[Filtered]", "Cookie": "[Filtered]", "Accept": "*/*"}
    assert scrubbed["request"]["url"] == "https://samhandling.example.no/saker/"
    assert scrubbed["event_id"] == event["event_id"]
    assert scrubbed["contexts"]["trace"]["trace_id"] == event["contexts"]["trace"]["trace_id"]


def test_numbers_that_are_not_identity_numbers_stay():
    assert scrub_text("case SAM-2026-00042 took 12345678901 ms") == "case SAM-2026-00042 took 12345678901 ms"
    assert scrub_text(f"fnr {IDENTITY}") == f"fnr {IDENTITY_NUMBER}"
