"""Data is kept no longer than needed: patient references and, much later, case free text."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import AccessKind, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog, RetentionRun
from avvik.cases.models.records import Comment, PatientReference, Transition
from avvik.cases.services.retention import retention_apply
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def closed_case(world, reporter, coordinator, handler, *, days_ago):
    case = file_case(reporter, world.municipality, patient=True, attachment=True, title="Epikrise for Kari Nordmann")
    services.comment_add(deviation=case, by=reporter, body="Kommentar med navn")
    services.access_log_write(user=coordinator, kind=AccessKind.ATTACHMENT, deviation=case, detail="kari-nordmann.pdf")
    case = drive(case, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    Deviation.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    Transition.objects.filter(deviation=case).update(note="Snakket med Kari Nordmann")
    return case


def test_patient_references_are_erased_ninety_days_after_closing_once(world, reporter, coordinator, handler):
    old = closed_case(world, reporter, coordinator, handler, days_ago=91)
    recent = closed_case(world, reporter, coordinator, handler, days_ago=10)
    first = retention_apply()
    second = retention_apply()
    assert (first.patients_erased, second.patients_erased) == (1, 0)
    erased = PatientReference.objects.get(deviation=old)
    assert erased.erased_at and erased.name_encrypted == "" and erased.identity_number_encrypted == ""
    assert PatientReference.objects.get(deviation=recent).erased_at is None
    assert services.patient_reference_read(deviation=old, by=coordinator) is None


def test_old_closed_cases_are_anonymised_but_still_counted(world, reporter, coordinator, handler, settings):
    settings.CASE_RETENTION_YEARS = 5
    old = closed_case(world, reporter, coordinator, handler, days_ago=6 * 365)
    run = retention_apply()
    assert run.cases_anonymised == 1 and RetentionRun.objects.count() == 1
    old.refresh_from_db()
    assert old.description == "" and old.answer_measures == "" and old.reporter is None
    assert old.anonymised_at is not None
    assert not Comment.objects.filter(deviation=old).exists() and not old.attachments.exists()
    assert old.category_id and old.consequence and old.reporting_organisation_id  # statistics stay
    assert old.title == old.category.name
    timeline = Transition.objects.filter(deviation=old)
    assert timeline.count() > 3 and set(timeline.values_list("note", "by")) == {("", None)}
    assert AccessLog.objects.filter(deviation=old).exists()
    assert set(AccessLog.objects.filter(deviation=old).values_list("detail", flat=True)) == {""}
    with pytest.raises(PermissionDenied):
        services.comment_add(deviation=old, by=coordinator, body="Etter anonymisering")
    assert retention_apply().cases_anonymised == 0


def test_open_cases_are_never_touched(world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality, patient=True),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    Deviation.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=4000))
    run = retention_apply()
    assert (run.patients_erased, run.cases_anonymised) == (0, 0)
