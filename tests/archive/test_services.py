import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from avvik.archive import noark, services
from avvik.cases import services as case_services
from avvik.cases.choices import AccessKind, Status
from avvik.cases.models.logs import AccessLog
from tests.archive.pdfs import pdf_text, pdfa_part
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def exported(deviation, user) -> dict:
    return json.loads(services.case_export_json(deviation=deviation, by=user))


def test_json_holds_the_case_parties_history_thread_answer_and_attachments(closed_case, handler):
    document = exported(closed_case, handler)
    assert document["schema"] == "samhandling.case-export/1"
    assert document["case"]["reference"] == closed_case.reference
    assert document["case"]["status"] == Status.CLOSED
    assert [party["role"] for party in document["parties"]] == [
        "reporting_organisation",
        "counterpart",
        "responsible_organisation",
    ]
    statuses = [transition["to"] for transition in document["transitions"]]
    assert statuses[-3:] == [Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED]
    assert document["transitions"][-1]["note"] == "Godt svar."
    assert document["answer"]["measures"] == "Adresselisten rettet."
    (attachment,) = document["attachments"]
    stored = closed_case.attachments.get()
    assert attachment["name"] == "skjerm.png"
    assert attachment["size"] == stored.size
    assert len(attachment["sha256"]) == 64


def test_json_leaves_out_the_other_organisations_internal_notes(closed_case, handler):
    texts = {(entry["kind"], entry["text"]) for entry in exported(closed_case, handler)["thread"]}
    assert ("comment", "Vi ser på adresselisten.") in texts
    assert ("internal_note", "Kommunens interne notat.") in texts
    assert all("Sykehusets" not in text for _, text in texts)


def test_the_reporter_gets_no_internal_note_at_all(closed_case, reporter):
    kinds = {entry["kind"] for entry in exported(closed_case, reporter)["thread"]}
    assert kinds == {"comment"}


def test_coordinators_get_every_internal_note(closed_case, coordinator):
    texts = {entry["text"] for entry in exported(closed_case, coordinator)["thread"]}
    assert {"Kommunens interne notat.", "Sykehusets interne notat."} <= texts


def test_json_has_no_patient_reference(world, reporter, handler):
    deviation = file_case(reporter, world.municipality, patient=True)
    content = services.case_export_json(deviation=deviation, by=reporter).decode()
    assert "Ola Nordmann" not in content and "01010012356" not in content


def test_pdf_shows_the_reference_and_the_thread(closed_case, handler):
    text = pdf_text(services.case_export_pdf(deviation=closed_case, by=handler))
    assert closed_case.reference in text
    assert "Vi ser på adresselisten." in text
    assert "Kommunens interne notat." in text
    assert "Sykehusets interne notat." not in text


def test_every_download_is_access_logged(closed_case, handler):
    services.case_export_json(deviation=closed_case, by=handler)
    services.case_export_pdf(deviation=closed_case, by=handler)
    services.case_archive_package(deviation=closed_case, by=handler)
    rows = AccessLog.objects.filter(kind=AccessKind.CASE_EXPORT, deviation=closed_case, user=handler)
    assert sorted(rows.values_list("detail", flat=True)) == ["archive", "json", "pdf"]
    assert {row.organisation_id for row in rows} == {closed_case.responsible_organisation_id}


def test_package_is_refused_while_the_case_is_open(world, reporter, handler, coordinator):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    with pytest.raises(PermissionDenied):
        services.case_archive_package(deviation=deviation, by=handler)
    assert not AccessLog.objects.filter(kind=AccessKind.CASE_EXPORT).exists()


def test_package_holds_valid_metadata_the_pdfa_and_the_attachments(closed_case, handler):
    archive = zipfile.ZipFile(io.BytesIO(services.case_archive_package(deviation=closed_case, by=handler)))
    names = set(archive.namelist())
    pdf_name = f"dokumenter/{closed_case.reference}.pdf"
    assert {"arkivuttrekk.xml", "arkivuttrekk.xsd", pdf_name, "dokumenter/vedlegg/002-skjerm.png"} == names
    metadata = archive.read("arkivuttrekk.xml")
    noark.validate(metadata)
    pdf = archive.read(pdf_name)
    assert pdfa_part(pdf) == "3"
    assert closed_case.reference in pdf_text(pdf)
    root = etree.fromstring(metadata)
    ns = {"n": noark.NAMESPACE}
    assert root.findtext("n:mappe/n:saksnummer", namespaces=ns) == closed_case.reference
    parties = root.findall("n:mappe/n:korrespondansepart/n:korrespondansepartNavn", namespaces=ns)
    assert {party.text for party in parties} == {"Test sykehus HF", "Testvik kommune"}
    objects = root.findall(".//n:dokumentobjekt", namespaces=ns)
    for item in objects:
        content = archive.read(item.findtext("n:referanseDokumentfil", namespaces=ns))
        assert item.findtext("n:sjekksum", namespaces=ns) == hashlib.sha256(content).hexdigest()
        assert item.findtext("n:filstoerrelse", namespaces=ns) == str(len(content))


def test_the_json_export_takes_as_many_queries_for_many_comments_as_for_one(
    world, reporter, handler, coordinator, django_assert_num_queries
):
    deviation = drive(
        file_case(reporter, world.municipality, attachment=True),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    case_services.comment_add(deviation=deviation, by=handler, body="Første", internal=False)
    services.case_export_json(deviation=deviation, by=handler)  # loads the case's own relations once
    with CaptureQueriesContext(connection) as few:
        services.case_export_json(deviation=deviation, by=handler)
    for number in range(5):
        case_services.comment_add(
            deviation=deviation, by=handler, body=f"Oppfølging {number}", internal=number % 2 == 0
        )
    with django_assert_num_queries(len(few.captured_queries)):
        services.case_export_json(deviation=deviation, by=handler)
