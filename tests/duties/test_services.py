"""Recording the statutory alert and deciding on a breach: the rules hold in the service."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from avvik.duties import services
from avvik.duties.models import PrivacyBreach, StatutoryAlert
from avvik.duties.rules import required_rule
from tests.builders import file_case
from tests.duties.helpers import grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, reporter):
    return grade(file_case(reporter, world.municipality))


def _record(case, by, **overrides):
    rule = required_rule(case)
    values = {
        "sent_at": timezone.now(),
        "recipients": rule.recipients if rule else ["Statens helsetilsyn"],
        "reference": "2026/123",
        "informed_at": timezone.now(),
        "informed_by": "Lege Hansen",
    }
    values.update(overrides)
    return services.alert_record(deviation=case, by=by, **values)


def test_a_coordinator_records_the_alert_with_recipients_reference_and_informing(case, coordinator):
    alert = _record(case, coordinator, recipients=["Statens helsetilsyn"])
    assert alert.recipients == ["Statens helsetilsyn"]
    assert alert.reference == "2026/123"
    assert alert.recorded_by == coordinator
    assert alert.informed_by == "Lege Hansen"


def test_the_reporting_organisations_handler_may_record_but_the_reporter_may_not(case, hospital_handler, reporter):
    with pytest.raises(PermissionDenied):
        _record(case, reporter)
    assert _record(case, hospital_handler).recorded_by == hospital_handler


def test_an_alert_is_refused_where_the_rule_requires_none(world, reporter, coordinator):
    minor = file_case(reporter, world.municipality)
    with pytest.raises(PermissionDenied):
        _record(grade(minor, "very_serious", unexpected=False), coordinator, recipients=["Statens helsetilsyn"])
    assert not StatutoryAlert.objects.exists()


def test_the_patient_informed_or_a_reason_why_not_is_required(case, coordinator):
    with pytest.raises(ValidationError) as error:
        _record(case, coordinator, informed_at=None, informed_by="")
    assert "not_informed_reason" in error.value.message_dict
    alert = _record(
        case, coordinator, informed_at=None, informed_by="", not_informed_reason="Pasienten døde; ingen pårørende."
    )
    assert alert.informed_at is None


def test_a_recipient_the_rule_does_not_name_is_refused(case, coordinator):
    with pytest.raises(ValidationError) as error:
        _record(case, coordinator, recipients=["Politiet"])
    assert "recipients" in error.value.message_dict


def test_a_sending_time_in_the_future_is_refused(case, coordinator):
    with pytest.raises(ValidationError):
        _record(case, coordinator, sent_at=timezone.now() + timedelta(hours=1))


def test_a_breach_not_notified_needs_a_reason_and_is_decided_once(case, handler, coordinator):
    services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        services.breach_decide(deviation=case, by=coordinator, decision="not_notified")
    assert "not_notified_reason" in error.value.message_dict

    services.breach_decide(deviation=case, by=coordinator, decision="not_notified", not_notified_reason="Lav risiko.")
    again = services.breach_decide(
        deviation=case, by=coordinator, decision="notified", notified_at=timezone.now(), authority_reference="X"
    )
    assert again.decision == "not_notified"
    assert PrivacyBreach.objects.get().not_notified_reason == "Lav risiko."


def test_a_notified_breach_needs_the_time_of_notifying(case, coordinator):
    services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        services.breach_decide(deviation=case, by=coordinator, decision="notified")
    assert "notified_at" in error.value.message_dict


def test_an_outsider_may_neither_mark_nor_decide_a_breach(case, outsider, coordinator):
    with pytest.raises(PermissionDenied):
        services.breach_mark(deviation=case, by=outsider, aware_at=timezone.now())
    services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.breach_decide(deviation=case, by=outsider, decision="not_notified", not_notified_reason="Nei")
