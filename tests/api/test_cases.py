"""Filing, listing, reading, commenting and attaching through the API: the pages' rules and messages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from avvik.cases import services
from avvik.cases.choices import AccessKind, Status
from avvik.cases.models import AccessLog, Attachment, Comment, Deviation
from avvik.catalogue.models import Category
from tests.api.conftest import register
from tests.builders import PNG, drive, file_case


def _filing(world, **overrides):
    category = Category.objects.filter(partnership=world.partnership, concerns_message=False).first()
    data = {
        "occurred_at": "2026-01-05T10:00:00+01:00",
        "counterpart": world.municipality.pk,
        "category": category.pk,
        "consequence": "minor",
        "title": "Epikrise kom ikke fram",
        "description": "Epikrisen var ikke mottatt tre dager etter utskrivning.",
    }
    data.update(overrides)
    data.setdefault("potential_consequence", data["consequence"])
    return data


def test_filing_makes_a_case_for_the_clients_organisation(world, hospital_system):
    response = hospital_system.api.post("/api/v1/cases/", _filing(world), format="json")
    assert response.status_code == 201
    case = Deviation.objects.get(reference=response.json()["reference"])
    assert case.reporting_organisation == world.hospital
    assert case.reporter == hospital_system.account
    assert case.status == Status.SUBMITTED
    assert response["Location"].endswith(f"/api/v1/cases/{case.reference}/")


def test_an_identity_number_in_free_text_is_refused_with_the_forms_message(world, hospital_system):
    response = hospital_system.api.post(
        "/api/v1/cases/", _filing(world, description="Gjelder pasient 01010012356."), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["description"]
    assert not Deviation.objects.exists()


def test_the_patient_section_takes_the_identity_number(world, hospital_system):
    response = hospital_system.api.post(
        "/api/v1/cases/",
        _filing(world, patient_name="Ola Nordmann", patient_identity_number="01010012356"),
        format="json",
    )
    assert response.status_code == 201
    assert "01010012356" not in response.content.decode()


def test_field_errors_are_listed_per_field(world, hospital_system):
    response = hospital_system.api.post(
        "/api/v1/cases/",
        _filing(world, counterpart=world.hospital.pk, consequence="very_serious", title=""),
        format="json",
    )
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert set(errors) >= {"title"}
    # The form's own rules, not only types: the counterpart and the unanswered "unexpected" question.
    response = hospital_system.api.post(
        "/api/v1/cases/", _filing(world, counterpart=world.hospital.pk, consequence="very_serious"), format="json"
    )
    assert {"counterpart", "unexpected"} <= set(response.json()["errors"])


def test_another_partnerships_counterpart_is_refused(world, hospital_system):
    response = hospital_system.api.post("/api/v1/cases/", _filing(world, counterpart=world.other_org.pk), format="json")
    assert response.status_code == 400
    assert "counterpart" in response.json()["errors"]


def test_the_list_takes_the_pages_filters(world, hospital_system, reporter, coordinator, handler):
    submitted = file_case(reporter, world.municipality)
    forwarded = drive(
        file_case(reporter, world.municipality),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    body = hospital_system.api.get("/api/v1/cases/?status=forwarded").json()
    assert [row["reference"] for row in body["results"]] == [forwarded.reference]
    body = hospital_system.api.get("/api/v1/cases/").json()
    assert {row["reference"] for row in body["results"]} == {submitted.reference, forwarded.reference}


def test_an_invalid_filter_is_400_and_lists_nothing(world, hospital_system, reporter):
    file_case(reporter, world.municipality)
    response = hospital_system.api.get("/api/v1/cases/?created_after=2026-02-30&status=nonsense")
    assert response.status_code == 400
    assert {"created", "status"} <= set(response.json()["errors"])


def test_the_list_pages(world, hospital_system, reporter):
    for _ in range(3):
        file_case(reporter, world.municipality)
    first = hospital_system.api.get("/api/v1/cases/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    second = hospital_system.api.get("/api/v1/cases/?page_size=2&page=2").json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert hospital_system.api.get("/api/v1/cases/?page=0").status_code == 400


def test_the_list_read_is_access_logged(world, hospital_system):
    hospital_system.api.get("/api/v1/cases/?status=submitted")
    entry = AccessLog.objects.get(user=hospital_system.account)
    assert entry.kind == AccessKind.EXPORT
    assert "status=submitted" in entry.detail


def test_the_detail_shows_status_answer_and_thread_and_is_logged(world, reporter, coordinator, handler):
    municipality = register(coordinator, world.municipality)
    case = drive(
        file_case(reporter, world.municipality),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.comment_add(deviation=case, by=reporter, body="Takk for svaret.")
    response = municipality.api.get(f"/api/v1/cases/{case.reference}/")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "answered"
    assert body["answer"]["cause"] == "Feil adresse."
    assert [c["body"] for c in body["comments"]] == ["Takk for svaret."]
    assert [t["to_status"] for t in body["timeline"]][-1] == "answered"
    assert AccessLog.objects.filter(user=municipality.account, deviation=case, kind=AccessKind.CASE).exists()


def test_internal_notes_reach_only_the_writers_handlers(world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.comment_add(deviation=case, by=handler, body="Intern vurdering.", internal=True)
    own_side = register(coordinator, world.municipality)
    other_side = register(coordinator, world.hospital)
    own = own_side.api.get(f"/api/v1/cases/{case.reference}/comments/").json()
    other = other_side.api.get(f"/api/v1/cases/{case.reference}/comments/").json()
    assert [c["body"] for c in own] == ["Intern vurdering."]
    assert other == []


def test_a_reporting_only_client_reads_only_what_it_filed(world, coordinator, reporter):
    filer = register(coordinator, world.hospital, scopes=["cases:write"], name="Innmelding")
    file_case(reporter, world.municipality)
    assert filer.api.get("/api/v1/cases/").status_code == 403
    created = filer.api.post("/api/v1/cases/", _filing(world), format="json")
    assert created.status_code == 201


def test_a_comment_is_written_on_the_thread(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(
        f"/api/v1/cases/{case.reference}/comments/", {"body": "Ny info."}, format="json"
    )
    assert response.status_code == 201
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.author, comment.organisation, comment.is_internal) == (
        hospital_system.account,
        world.hospital,
        False,
    )


def test_a_comment_with_an_identity_number_is_refused(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(
        f"/api/v1/cases/{case.reference}/comments/", {"body": "Pasient 01010012356"}, format="json"
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Comment.objects.exists()


def test_an_ended_case_takes_no_comment(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    services.deviation_transition(action="withdraw", deviation=case, by=reporter)
    response = hospital_system.api.post(f"/api/v1/cases/{case.reference}/comments/", {"body": "Hei"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_attachments_are_checked_added_and_downloaded(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"files": [SimpleUploadedFile("skjerm.png", PNG, content_type="image/png")]},
        format="multipart",
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get(deviation=case)
    download = hospital_system.api.get(f"/api/v1/cases/{case.reference}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert AccessLog.objects.filter(kind=AccessKind.ATTACHMENT, user=hospital_system.account).exists()


def test_a_file_that_is_no_accepted_type_is_400(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"files": [SimpleUploadedFile("side.html", b"<script>x</script>", content_type="text/html")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "files" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_no_file_at_all_is_400(world, hospital_system, reporter):
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(f"/api/v1/cases/{case.reference}/attachments/", {}, format="json")
    assert response.status_code == 400


def test_a_file_over_the_limit_is_413(world, hospital_system, reporter, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    case = file_case(reporter, world.municipality)
    response = hospital_system.api.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"files": [SimpleUploadedFile("stor.txt", b"a" * 2048, content_type="text/plain")]},
        format="multipart",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert not Attachment.objects.exists()


def test_an_unknown_api_address_is_a_problem_not_a_page(world):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v2/cases/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
