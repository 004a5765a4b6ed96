"""A patient's right to know who has seen their information: the contact point finds the patient's
cases by a keyed hash of the identity number and downloads who opened them."""

import csv
import importlib
import io
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import AccessKind, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog
from avvik.cases.models.records import PatientReference
from avvik.cases.services.retention import retention_apply
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

NUMBER = "01010012356"  # the patient of tests.builders.file_case(patient=True)
URL = reverse("cases:patient_lookup")


def look_up(client, person, number=NUMBER, **extra):
    client.force_login(person)
    return client.post(URL, {"patient_identity_number": number, **extra})


def found(response) -> set[str]:
    return {case.reference for case in response.context["cases"]}


def test_the_contact_point_finds_the_patients_cases_however_the_number_is_written(client, world, reporter, coordinator):
    about_patient = file_case(reporter, world.municipality, patient=True)
    file_case(reporter, world.municipality)  # no patient
    for written in (NUMBER, "010100 12356", "010100-12356"):
        response = look_up(client, coordinator, written)
        assert response.status_code == 200
        assert found(response) == {about_patient.reference}
    assert about_patient.reference in response.content.decode()


def test_the_number_is_kept_only_as_a_keyed_hash(world, reporter):
    case = file_case(reporter, world.municipality, patient=True)
    reference = PatientReference.objects.get(deviation=case)
    assert len(reference.identity_index) == 64
    assert NUMBER not in reference.identity_index and NUMBER not in reference.identity_number_encrypted


def test_each_find_is_written_in_the_cases_access_log(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality, patient=True)
    look_up(client, coordinator)
    entry = AccessLog.objects.get(kind=AccessKind.PATIENT_SEARCH)
    assert (entry.user, entry.deviation) == (coordinator, case)
    assert NUMBER not in entry.detail


def test_another_partnerships_contact_point_finds_nothing(client, world, reporter, foreigner):
    file_case(reporter, world.municipality, patient=True)
    response = look_up(client, foreigner)
    assert found(response) == set()
    assert not AccessLog.objects.filter(kind=AccessKind.PATIENT_SEARCH).exists()


@pytest.mark.parametrize("person", ["handler", "reporter", "council_member", "org_admin"])
def test_only_the_contact_point_may_look_up_a_patient(client, world, reporter, person, request):
    file_case(reporter, world.municipality, patient=True)
    response = look_up(client, request.getfixturevalue(person))
    assert response.status_code == 403
    assert not AccessLog.objects.filter(kind=AccessKind.PATIENT_SEARCH).exists()


def test_a_number_in_the_address_is_not_searched(client, world, reporter, coordinator):
    file_case(reporter, world.municipality, patient=True)
    client.force_login(coordinator)
    response = client.get(URL, {"patient_identity_number": NUMBER})
    assert response.status_code == 200
    assert response.context["cases"] is None
    assert not AccessLog.objects.filter(kind=AccessKind.PATIENT_SEARCH).exists()


def test_an_invalid_number_is_answered_next_to_the_field(client, world, reporter, coordinator):
    file_case(reporter, world.municipality, patient=True)
    response = look_up(client, coordinator, "01010012357")  # wrong check digit
    assert response.status_code == 200
    assert response.context["form"].errors["patient_identity_number"]
    assert response.context["cases"] is None


def test_the_export_lists_who_opened_the_cases_and_is_logged(client, world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality, patient=True)
    case = drive(case, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)
    client.force_login(handler)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    response = look_up(client, coordinator, export="csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    opened = [row for row in rows[1:] if row[2] == handler.email]
    assert opened and opened[0][4] == str(AccessKind.CASE.label) and opened[0][5] == case.reference
    assert AccessLog.objects.filter(user=coordinator, kind=AccessKind.EXPORT, deviation=case).count() == 1
    assert NUMBER not in text


def test_cases_written_under_an_earlier_key_are_found_after_a_rotation(client, world, reporter, coordinator, settings):
    case = file_case(reporter, world.municipality, patient=True)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    newer = file_case(reporter, world.municipality, patient=True)
    indexes = set(PatientReference.objects.values_list("identity_index", flat=True))
    assert len(indexes) == 2  # each written under the key of its day
    assert found(look_up(client, coordinator)) == {case.reference, newer.reference}


def test_an_erased_patient_reference_is_no_longer_found(client, world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality, patient=True)
    case = drive(case, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    Deviation.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=91))
    retention_apply()
    assert PatientReference.objects.get(deviation=case).identity_index == ""
    assert found(look_up(client, coordinator)) == set()


def test_references_written_before_the_index_get_it_from_the_migration(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality, patient=True)
    PatientReference.objects.filter(deviation=case).update(identity_index="")
    migration = importlib.import_module("avvik.cases.migrations.0005_patient_identity_index")
    migration.index_existing_references(apps, None)
    assert found(look_up(client, coordinator)) == {case.reference}


def test_the_patient_reference_read_is_what_the_export_shows(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality, patient=True)
    services.patient_reference_read(deviation=case, by=coordinator)
    response = look_up(client, coordinator, export="csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert str(AccessKind.PATIENT.label) in text and str(AccessKind.PATIENT_SEARCH.label) in text
