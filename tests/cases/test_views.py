"""The deviation in the browser, through Django's test client."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog
from avvik.cases.models.records import Attachment
from avvik.catalogue.models import Category
from tests.builders import PNG, drive, file_case, filing_form_data

pytestmark = pytest.mark.django_db


def test_the_whole_journey_in_the_browser(client, world, reporter, coordinator, handler):
    client.force_login(reporter)
    upload = SimpleUploadedFile("skjermbilde.png", PNG, content_type="image/png")
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "attachments": [upload]})
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert response.url == reverse("cases:detail", args=[deviation.reference])
    assert deviation.attachments.count() == 1

    client.force_login(coordinator)
    assert deviation.reference in client.get(reverse("cases:triage")).content.decode()
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "forward"]),
        {
            "forward-to": world.municipality.pk,
            "forward-category": deviation.category_id,
            "forward-note": "",
            "forward-version": deviation.version,
        },
    )
    assert response.status_code == 302

    client.force_login(handler)
    deviation.refresh_from_db()
    assert deviation.reference in client.get(reverse("cases:handling")).content.decode()
    client.post(
        reverse("cases:action", args=[deviation.reference, "accept"]),
        {"accept-version": deviation.version, "accept-assignee": ""},
    )
    deviation.refresh_from_db()
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "answer"]),
        {
            "answer-version": deviation.version,
            "answer-cause": "Epikrisen ble sendt til feil HER-id.",
            "answer-measures": "Adresselisten er rettet.",
            "answer-measures_done": "true",
        },
    )
    assert response.status_code == 302

    client.force_login(coordinator)
    deviation.refresh_from_db()
    client.post(
        reverse("cases:action", args=[deviation.reference, "close"]),
        {"close-version": deviation.version, "close-note": "Takk for svaret.", "confirm": "yes"},
    )
    deviation.refresh_from_db()
    assert deviation.status == Status.CLOSED

    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert "Epikrisen ble sendt til feil HER-id." in page
    assert "Adresselisten er rettet." in page
    assert "Lukket" in page


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"title": ""}, "påkrev"),  # Django's or DRF's bokmål: "påkrevet", "påkrevd"
        ({"description": "Pasient 01010012356 fikk ikke epikrise."}, "fødselsnummer"),
        ({"category": "__message__", "message_type": "discharge_summary", "sender_her_id": "12ab"}, "HER-id"),
        ({"patient_identity_number": "01010012357"}, "fødselsnummer"),
        ({"occurred_at": "2099-01-01T10:00"}, "fram i tid"),
        ({"category": "__message__"}, "type melding"),
        ({"consequence": "very_serious"}, "uventet"),
    ],
)
def test_bad_input_gets_a_norwegian_message_and_keeps_what_was_typed(client, world, reporter, overrides, field_message):
    if overrides.get("category") == "__message__":
        overrides["category"] = Category.objects.get(partnership=world.partnership, name="Laboratoriesvar").pk
    client.force_login(reporter)
    data = filing_form_data(world, immediate_action="Ringte avdelingen straks.", **overrides)
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert field_message in body
    assert "Ringte avdelingen straks." in body
    assert Deviation.objects.count() == 0


def test_a_20_mb_file_is_refused_with_a_clear_message(client, world, reporter):
    # Within what a form may carry (a larger body is refused unread: tests/pages/test_error_pages.py).
    client.force_login(reporter)
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "attachments": [big]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "stor.pdf er 20 MB" in body
    assert "høyst 10 MB" in body
    assert "Epikrise kom ikke fram" in body
    assert Deviation.objects.count() == 0


def test_an_html_file_named_pdf_is_refused(client, world, reporter):
    client.force_login(reporter)
    fake = SimpleUploadedFile(
        "rapport.pdf", b"<!DOCTYPE html><script>alert(1)</script>", content_type="application/pdf"
    )
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "attachments": [fake]})
    assert response.status_code == 200
    assert "rapport.pdf er ikke en PDF" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_fields_the_form_does_not_offer_cannot_be_set(client, world, reporter, hospital_handler, other_reporter):
    client.force_login(reporter)
    data = filing_form_data(
        world,
        partnership=world.other_partnership.pk,
        reporting_organisation=world.hospital.pk,
        status="closed",
        reporter=hospital_handler.pk,
        reference="SA-1999-99999",
        responsible_organisation=world.bystander_org.pk,
        version=99,
    )
    assert client.post(reverse("cases:new"), data).status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.partnership == world.partnership
    assert deviation.status == Status.SUBMITTED
    assert deviation.reporter == reporter
    assert deviation.reference != "SA-1999-99999"
    assert deviation.responsible_organisation is None
    assert deviation.version == 1


def test_a_reporter_cannot_file_for_another_organisation(client, world, reporter):
    client.force_login(reporter)
    response = client.post(reverse("cases:new"), filing_form_data(world, reporting_organisation=world.municipality.pk))
    assert response.status_code == 200
    assert Deviation.objects.count() == 0


def test_another_partnerships_organisation_is_not_offered_or_accepted(client, world, reporter):
    client.force_login(reporter)
    page = client.get(reverse("cases:new")).content.decode()
    assert world.other_org.name not in page
    response = client.post(reverse("cases:new"), filing_form_data(world, counterpart=world.other_org.pk))
    assert response.status_code == 200
    assert Deviation.objects.count() == 0


def test_a_reporter_in_two_partnerships_files_in_the_one_chosen(client, world, reporter):
    from avvik.tenancy.choices import Role
    from tests.factories import OrganisationFactory, grant

    grant(reporter, Role.REPORTER, organisation=world.other_org)
    neighbour = OrganisationFactory(partnership=world.other_partnership, name="Nabovik kommune")
    client.force_login(reporter)
    page = client.get(reverse("cases:new"), {"p": world.partnership.slug}).content.decode()
    assert world.other_partnership.name in page and 'aria-current="page"' in page
    assert world.municipality.name in page and neighbour.name not in page

    # Organisations of two partnerships in one filing: a message on the form, never an error page.
    mixed = filing_form_data(world, reporting_organisation=world.other_org.pk)
    response = client.post(f"{reverse('cases:new')}?p={world.partnership.slug}", mixed)
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    other_category = Category.objects.get(partnership=world.other_partnership, name="Annet")
    across = filing_form_data(
        world, reporting_organisation=world.other_org.pk, counterpart=world.municipality.pk, category=other_category.pk
    )
    response = client.post(f"{reverse('cases:new')}?p={world.other_partnership.slug}", across)
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert Deviation.objects.count() == 0

    filed = filing_form_data(
        world, reporting_organisation=world.other_org.pk, counterpart=neighbour.pk, category=other_category.pk
    )
    response = client.post(f"{reverse('cases:new')}?p={world.other_partnership.slug}", filed)
    assert response.status_code == 302
    assert Deviation.objects.get().partnership == world.other_partnership


def test_the_second_of_two_concurrent_edits_is_refused(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    url = reverse("cases:edit", args=[deviation.reference])
    base = {
        "occurred_at": "2026-11-20T10:30",
        "category": deviation.category_id,
        "consequence": "minor",
        "description": deviation.description,
        "version": deviation.version,
    }
    assert client.post(url, {**base, "title": "Første lagring"}).status_code == 302
    response = client.post(url, {**base, "title": "Andre lagring"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Noen andre har endret" in body
    assert "Andre lagring" in body  # what the person typed is kept
    assert Deviation.objects.get(pk=deviation.pk).title == "Første lagring"


def test_a_stale_action_is_refused_with_a_clear_message(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    stale = deviation.version
    from avvik.cases import services

    services.deviation_update(deviation=deviation, by=coordinator, version=stale, changes={"title": "Endret"})
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "reject"]),
        {"reject-version": stale, "reject-note": "Ikke samhandling."},
    )
    assert response.status_code == 409
    assert "Noen andre har endret" in response.content.decode()
    assert "Ikke samhandling." in response.content.decode()
    assert Deviation.objects.get(pk=deviation.pk).status == Status.SUBMITTED


def test_a_required_note_missing_keeps_the_form_open_with_a_message(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "reject"]),
        {"reject-version": deviation.version, "reject-note": ""},
    )
    assert response.status_code == 400
    assert "er påkrev" in response.content.decode()


def test_detail_and_attachment_downloads_are_logged(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(coordinator)
    client.get(reverse("cases:detail", args=[deviation.reference]))
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG
    kinds = set(AccessLog.objects.filter(user=coordinator, deviation=deviation).values_list("kind", flat=True))
    assert kinds == {"case", "attachment"}


def test_the_stored_file_name_is_random_and_outside_static_folders(world, reporter, settings):
    deviation = file_case(reporter, world.municipality, attachment=True)
    stored = deviation.attachments.get().file
    assert "skjerm" not in stored.name
    assert str(settings.MEDIA_ROOT) in stored.path
    assert not stored.path.startswith(str(settings.STATIC_ROOT))


def test_csv_export_follows_filters_and_visibility(client, world, reporter, coordinator):
    mine = file_case(reporter, world.municipality, title="Første sak")
    file_case(reporter, world.municipality, title="Andre sak", consequence="significant")
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "csv", "consequence": "minor"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Referanse"
    assert [row[0] for row in rows[1:]] == [mine.reference]
    assert AccessLog.objects.filter(user=coordinator, kind="export").exists()


def test_csv_cells_that_look_like_formulas_are_neutralised(client, world, reporter, coordinator):
    file_case(reporter, world.municipality, title='=HYPERLINK("http://x")')
    client.force_login(coordinator)
    response = client.get(reverse("cases:all"), {"format": "csv"})
    assert "'=HYPERLINK" in response.getvalue().decode("utf-8-sig")


def test_free_text_search_finds_by_reference_and_title(client, world, reporter, coordinator):
    first = file_case(reporter, world.municipality, title="Røntgensvar mangler")
    second = file_case(reporter, world.municipality, title="Feil adresse")
    client.force_login(coordinator)
    body = client.get(reverse("cases:all"), {"q": "røntgen"}).content.decode()
    assert first.reference in body and second.reference not in body
    body = client.get(reverse("cases:all"), {"q": second.reference}).content.decode()
    assert second.reference in body and first.reference not in body


def test_date_range_filter_includes_the_last_day(client, world, reporter, coordinator):
    from django.utils import timezone

    deviation = file_case(reporter, world.municipality)
    today = timezone.localdate().isoformat()
    client.force_login(coordinator)
    body = client.get(reverse("cases:all"), {"created_after": today, "created_before": today}).content.decode()
    assert deviation.reference in body


def make_cases(world, reporter, coordinator, handler, n):
    statuses = [Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED]
    for i in range(n):
        deviation = file_case(reporter, world.municipality, attachment=(i % 3 == 0))
        drive(deviation, statuses[i % len(statuses)], coordinator=coordinator, handler=handler, reporter=reporter)


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("persona", "list_name"),
    [
        ("reporter", "cases:mine"),
        ("handler", "cases:handling"),
        ("coordinator", "cases:triage"),
        ("coordinator", "cases:all"),
    ],
)
def test_list_queries_do_not_grow_with_rows(client, request, world, reporter, coordinator, handler, persona, list_name):
    make_cases(world, reporter, coordinator, handler, 5)
    client.force_login(request.getfixturevalue(persona))
    few = count_queries(client, reverse(list_name))
    make_cases(world, reporter, coordinator, handler, 45)
    client.force_login(request.getfixturevalue(persona))
    many = count_queries(client, reverse(list_name))
    assert many == few


def test_detail_queries_do_not_grow_with_comments_and_attachments(client, world, reporter, coordinator, handler):

    deviation = drive(
        file_case(reporter, world.municipality, attachment=True),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(coordinator)
    from avvik.cases import services

    url = reverse("cases:detail", args=[deviation.reference])
    few = count_queries(client, url)
    for i in range(20):
        services.comment_add(deviation=deviation, by=handler, body=f"Melding {i}", internal=i % 2 == 0)
        services.attachment_add(
            deviation=deviation, by=handler, upload=SimpleUploadedFile(f"logg{i}.txt", b"meldingslogg", "text/plain")
        )
    client.force_login(coordinator)
    assert count_queries(client, url) == few


def test_an_ended_case_is_read_only_until_reopened(client, world, reporter, coordinator, handler):
    case = drive(
        file_case(reporter, world.municipality),
        Status.CLOSED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert reverse("cases:comment", args=[case.reference]) not in page
    assert reverse("cases:attachment_create", args=[case.reference]) not in page
    assert client.post(reverse("cases:comment", args=[case.reference]), {"body": "Takk"}).status_code == 403
    upload = SimpleUploadedFile("etterpå.png", PNG, content_type="image/png")
    response = client.post(reverse("cases:attachment_create", args=[case.reference]), {"files": [upload]})
    assert response.status_code == 403
    assert not case.comments.exists() and not case.attachments.exists()


def test_the_filter_form_is_in_norwegian_and_every_field_has_its_label(client, world, coordinator):
    import re

    client.force_login(coordinator)
    page = client.get(reverse("cases:all"), {"status": "submitted", "overdue": "true"}).content.decode()
    form = page[page.index("<details") : page.index("</details>")]
    assert "descending" not in form and "---------" not in form
    assert "Eldste først" in form and "Alle kategorier" in form and "Nyeste først" in form
    ids = set(re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', form))
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', form))
    assert ids and ids <= labelled, ids - labelled
    assert re.search(r'<input[^>]*value="submitted"[^>]*checked', form)
    assert re.search(r'<input[^>]*name="overdue"[^>]*checked', form)
