"""A case does not close while a required alert is unrecorded or a breach is undecided: in the
service, on the close form and in the bulk close."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from avvik.cases import services as case_services
from avvik.cases.choices import Action, Status
from avvik.cases.services.bulk import Refusal, deviations_bulk_transition
from avvik.duties import services
from avvik.duties.rules import required_rule
from tests.builders import drive, file_case
from tests.duties.helpers import grade, moderate_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    return grade(case)


def _close(case, coordinator):
    return case_services.deviation_transition(deviation=case, by=coordinator, action=Action.CLOSE, note="Ferdig.")


def _record_alert(case, by):
    services.alert_record(
        deviation=case,
        by=by,
        sent_at=timezone.now(),
        recipients=required_rule(case).recipients,
        not_informed_reason="Pårørende var ikke kjent.",
    )


def test_closing_is_refused_until_the_alert_is_recorded(answered, coordinator):
    with pytest.raises(case_services.ClosingBlocked):
        _close(answered, coordinator)
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED

    _record_alert(answered, coordinator)
    assert _close(answered, coordinator).status == Status.CLOSED


def test_closing_is_refused_until_the_breach_is_decided(answered, coordinator):
    _record_alert(answered, coordinator)
    services.breach_mark(deviation=answered, by=coordinator, aware_at=timezone.now())
    with pytest.raises(case_services.ClosingBlocked):
        _close(answered, coordinator)
    services.breach_decide(
        deviation=answered, by=coordinator, decision="not_notified", not_notified_reason="Lav risiko."
    )
    assert _close(answered, coordinator).status == Status.CLOSED


def test_the_close_form_says_why_and_keeps_the_note(answered, coordinator):
    moderate_rule()
    grade(answered, "moderate", unexpected=None)
    client = Client()
    client.force_login(coordinator)
    url = reverse("cases:action", args=[answered.reference, Action.CLOSE])
    response = client.post(
        url, {"close-note": "Mitt avslutningsnotat", "close-version": answered.version, "confirm": "yes"}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Mitt avslutningsnotat" in text
    message = [str(m) for m in response.context["messages"]]
    assert any("statutory alert" in m or "varsel" in m for m in message)
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_the_bulk_close_reports_the_unrecorded_duty(answered, world, reporter, coordinator, handler):
    free = drive(
        file_case(reporter, world.municipality),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    outcome = deviations_bulk_transition(
        by=coordinator, action=Action.CLOSE, references=[answered.reference, free.reference], note="Ferdig."
    )
    assert outcome.done == [free.reference]
    assert outcome.refused == [(answered.reference, Refusal.DUTY)]
