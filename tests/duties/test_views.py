"""The duties on the case page: what the rule requires, the forms, and the breach's clock in hours."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from avvik.cases import services as case_services
from avvik.cases.choices import Action
from avvik.duties import services
from avvik.duties.models import PrivacyBreach, StatutoryAlert
from tests.builders import file_case
from tests.duties.helpers import grade, moderate_rule

pytestmark = pytest.mark.django_db

MONDAY = datetime.fromisoformat("2026-11-23T09:00:00+01:00")


@pytest.fixture
def case(world, reporter):
    moderate_rule()
    return grade(file_case(reporter, world.municipality), "moderate", unexpected=None)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.reference])).content.decode()


def test_the_page_shows_the_rules_recipients_and_law_and_the_form_to_its_keepers(case, coordinator, reporter):
    text = _page(_client(coordinator), case)
    assert "data-duty-alert" in text
    assert "Statens helsetilsyn, Ukom" in text
    assert "Spesialisthelsetjenesteloven § 3-3 a" in text
    assert reverse("duties:alert", args=[case.reference]) in text
    # The reporter sees what is required, but records nothing.
    assert reverse("duties:alert", args=[case.reference]) not in _page(_client(reporter), case)


def test_a_case_no_rule_covers_says_nothing_of_an_alert(world, reporter, coordinator):
    minor = file_case(reporter, world.municipality)
    assert "data-duty-alert" not in _page(_client(coordinator), minor)


def test_recording_the_alert(case, hospital_handler):
    url = reverse("duties:alert", args=[case.reference])
    sent = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = _client(hospital_handler).post(
        url, {"sent_at": sent, "recipients": ["Ukom"], "reference": "U-77", "not_informed_reason": "Ingen pårørende."}
    )
    assert response.status_code == 302
    alert = StatutoryAlert.objects.get(deviation=case)
    assert (alert.recipients, alert.reference, alert.recorded_by) == (["Ukom"], "U-77", hospital_handler)
    text = _page(_client(hospital_handler), case)
    assert "U-77" in text
    assert "data-duty-alert" not in text


def test_bad_input_is_sent_back_with_what_was_written(case, coordinator):
    url = reverse("duties:alert", args=[case.reference])
    response = _client(coordinator).post(url, {"sent_at": "i går", "reference": "REF-991"})
    assert response.status_code == 400
    assert "REF-991" in response.content.decode()
    assert not StatutoryAlert.objects.exists()


def test_the_service_rule_on_informing_comes_back_on_the_form(case, coordinator):
    url = reverse("duties:alert", args=[case.reference])
    sent = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = _client(coordinator).post(url, {"sent_at": sent, "recipients": ["Ukom"], "reference": "REF-5"})
    assert response.status_code == 400
    assert "not_informed_reason" in response.context["bound"]["duty_alert"].errors
    assert "REF-5" in response.content.decode()


def _clock(text: str) -> str:
    match = re.search(r"data-breach-clock>(.*?)</p>", text, re.S)
    assert match, "the clock is shown"
    return " ".join(match.group(1).split())


def test_the_breach_clock_counts_hours_left_and_then_hours_overdue(world, reporter, coordinator):
    with time_machine.travel(MONDAY, tick=False):
        case = file_case(reporter, world.municipality)
        response = _client(coordinator).post(
            reverse("duties:breach", args=[case.reference]), {"aware_at": "2026-11-23T08:00"}
        )
        assert response.status_code == 302
        assert PrivacyBreach.objects.get().aware_at == MONDAY - timedelta(hours=1)
        assert re.search(r"\b71\b", _clock(_page(_client(coordinator), case)))
    with time_machine.travel(MONDAY + timedelta(hours=74), tick=False):
        clock = _clock(_page(_client(coordinator), case))
        assert re.search(r"\b3\b", clock) and not re.search(r"\b71\b", clock)


def test_deciding_the_breach_on_the_page(world, reporter, coordinator):
    case = file_case(reporter, world.municipality)
    services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
    url = reverse("duties:breach_decision", args=[case.reference])
    refused = _client(coordinator).post(url, {"decision": "not_notified"})
    assert refused.status_code == 400
    done = _client(coordinator).post(url, {"decision": "not_notified", "not_notified_reason": "Kun internt."})
    assert done.status_code == 302
    assert PrivacyBreach.objects.get().not_notified_reason == "Kun internt."
    assert "data-breach-clock" not in _page(_client(coordinator), case)


def test_the_list_marks_an_open_case_with_an_unrecorded_alert_and_not_an_ended_one(
    world, reporter, coordinator, handler
):
    moderate_rule()
    due = grade(file_case(reporter, world.municipality, title="Skal varsles"), "moderate", unexpected=None)
    ended = grade(file_case(reporter, world.municipality, title="Trukket sak"), "moderate", unexpected=None)
    case_services.deviation_transition(deviation=ended, by=reporter, action=Action.WITHDRAW)
    text = _client(coordinator).get(reverse("cases:all")).content.decode()
    rows = {ref: row for ref, row in re.findall(r"<tr>.*?(SA-\d{4}-\w+)(.*?)</tr>", text, re.S)}
    assert "Varsel til Helsetilsynet og Ukom skal sendes" in rows[due.reference]
    assert "skal sendes" not in rows[ended.reference]
