"""A number in free text that is a valid identity number and may be a bank account number: refused
until the person ticks that it is an account number, then accepted, and the confirmation recorded
without the digits. A number written as an identity number has no way past."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.forms.actions import AnswerForm, RejectForm
from avvik.cases.forms.thread import CommentForm
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccountNumberConfirmation
from avvik.cases.models.records import Comment
from tests.builders import drive, file_case, filing_form_data

pytestmark = pytest.mark.django_db

# Valid as an identity number and, like every one, as a bank account number.
ACCOUNT = "15108695088"
AS_IDENTITY_NUMBER = "151086 95088"


def assert_holds_no_digits_of_the_number(row: AccountNumberConfirmation) -> None:
    stored = " ".join(str(getattr(row, field.attname)) for field in row._meta.concrete_fields)
    assert ACCOUNT not in stored
    assert not re.search(r"\d{5}", str(row.field))


# The filing form


def test_filing_refuses_a_possible_account_number_until_it_is_confirmed(client, world, reporter):
    client.force_login(reporter)
    text = f"Refusjonen gikk til konto {ACCOUNT} i stedet for til pasienten."
    response = client.post(reverse("cases:new"), filing_form_data(world, description=text))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="description_is_account_number"' in body
    assert text in body  # what was typed is kept
    assert not Deviation.objects.exists()

    response = client.post(
        reverse("cases:new"), filing_form_data(world, description=text, description_is_account_number="on")
    )
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.description == text
    (row,) = AccountNumberConfirmation.objects.all()
    assert (row.deviation, row.by, row.field, row.count) == (deviation, reporter, "description", 1)
    assert_holds_no_digits_of_the_number(row)


def test_the_box_stands_right_after_its_field_and_is_never_kept_in_a_draft(client, world, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"), filing_form_data(world, description=f"Konto {ACCOUNT}", immediate_action="Ringte.")
    )
    body = response.content.decode()
    description, box, immediate = (
        body.index('name="description"'),
        body.index('name="description_is_account_number"'),
        body.index('name="immediate_action"'),
    )
    assert description < box < immediate
    checkbox = re.search(r"<input[^>]*name=\"description_is_account_number\"[^>]*>", body)[0]
    assert 'type="checkbox"' in checkbox
    assert "data-no-draft" in checkbox
    assert 'id="id_description_is_account_number"' in checkbox
    assert 'for="id_description_is_account_number"' in body  # a label for the box


def test_a_number_written_as_an_identity_number_has_no_box_and_no_way_past(client, world, reporter):
    client.force_login(reporter)
    data = filing_form_data(
        world, description=f"Pasient {AS_IDENTITY_NUMBER} fikk ikke epikrise.", description_is_account_number="on"
    )
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 200
    assert "_is_account_number" not in response.content.decode()
    assert not Deviation.objects.exists()
    assert not AccountNumberConfirmation.objects.exists()


def test_a_tick_without_a_number_to_confirm_records_nothing(client, world, reporter):
    client.force_login(reporter)
    data = filing_form_data(world, description="Epikrisen manglet.", description_is_account_number="on")
    assert client.post(reverse("cases:new"), data).status_code == 302
    assert Deviation.objects.count() == 1
    assert not AccountNumberConfirmation.objects.exists()


def test_two_fields_confirmed_are_recorded_each_with_its_count(client, world, reporter):
    client.force_login(reporter)
    other = "02013299997"  # Skatteetaten's example: valid, and so a valid account number too
    data = filing_form_data(
        world,
        description=f"Konto {ACCOUNT} og {other}.",
        description_is_account_number="on",
        immediate_action=f"Ringte banken om {ACCOUNT}.",
        immediate_action_is_account_number="on",
    )
    assert client.post(reverse("cases:new"), data).status_code == 302
    rows = {row.field: row.count for row in AccountNumberConfirmation.objects.all()}
    assert rows == {"description": 2, "immediate_action": 1}


def test_a_file_name_with_such_a_number_is_refused_even_with_a_tick(client, world, reporter):
    client.force_login(reporter)
    upload = SimpleUploadedFile(f"faktura {ACCOUNT}.txt", b"Faktura", content_type="text/plain")
    data = filing_form_data(world, attachments=[upload], attachments_is_account_number="on")
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 200
    assert not Deviation.objects.exists()


def test_correcting_a_case_offers_and_records_the_confirmation_too(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    data = {
        "occurred_at": "2026-11-20T10:30",
        "category": deviation.category_id,
        "consequence": "minor",
        "title": deviation.title,
        "description": f"Utbetalt til konto {ACCOUNT}.",
        "version": deviation.version,
    }
    url = reverse("cases:edit", args=[deviation.reference])
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'name="description_is_account_number"' in response.content.decode()
    assert client.post(url, {**data, "description_is_account_number": "on"}).status_code == 302
    (row,) = AccountNumberConfirmation.objects.all()
    assert (row.by, row.field) == (coordinator, "description")


# The thread


def test_the_comment_form_offers_the_box_after_the_message_and_accepts_the_text_once_ticked():
    text = f"Beløpet ble satt inn på {ACCOUNT}."
    form = CommentForm({"body": text})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["body"]] == ["account_number_in_text"]
    assert list(form.fields)[:2] == ["body", "body_is_account_number"]
    assert form.confirmed_account_numbers == {}

    form = CommentForm({"body": text, "body_is_account_number": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == text
    assert form.confirmed_account_numbers == {"body": 1}


def test_a_comment_with_a_confirmed_account_number_is_recorded_without_the_digits(world, reporter):
    deviation = file_case(reporter, world.municipality)
    form = CommentForm({"body": f"Konto {ACCOUNT}.", "body_is_account_number": "on"})
    assert form.is_valid()
    services.comment_add(
        deviation=deviation,
        by=reporter,
        body=form.cleaned_data["body"],
        confirmed_account_numbers=form.confirmed_account_numbers,
    )
    (row,) = AccountNumberConfirmation.objects.filter(deviation=deviation)
    assert (row.by, row.field, row.count) == (reporter, "body", 1)
    assert_holds_no_digits_of_the_number(row)


def test_the_comment_page_shows_the_box_and_takes_the_ticked_message(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    url = reverse("cases:comment", args=[deviation.reference])
    response = client.post(url, {"body": f"Konto {ACCOUNT}."})
    assert response.status_code == 400
    assert 'name="body_is_account_number"' in response.content.decode()
    assert not Comment.objects.exists()
    assert client.post(url, {"body": f"Konto {ACCOUNT}.", "body_is_account_number": "on"}).status_code == 302
    assert Comment.objects.get().body == f"Konto {ACCOUNT}."


# The lifecycle actions


def test_an_answer_with_a_possible_account_number_is_accepted_once_ticked(
    client, world, reporter, coordinator, handler
):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    data = {
        "answer-version": deviation.version,
        "answer-cause": f"Refusjonen gikk til konto {ACCOUNT}.",
        "answer-measures": "Rutinen er rettet.",
        "answer-measures_done": "true",
    }
    form = AnswerForm(data, deviation=deviation, user=handler)
    assert not form.is_valid()
    assert "cause_is_account_number" in form.fields
    assert form.account_number_boxes == {"note": None, "cause": form["cause_is_account_number"], "measures": None}

    ticked = {**data, "answer-cause_is_account_number": "on"}
    form = AnswerForm(ticked, deviation=deviation, user=handler)
    assert form.is_valid(), form.errors
    assert form.confirmed_account_numbers == {"cause": 1}
    # The action's arguments stay those deviation_transition takes.
    assert set(form.transition_arguments()) == {"note", "version", "cause", "measures", "measures_done"}

    client.force_login(handler)
    assert client.post(reverse("cases:action", args=[deviation.reference, "answer"]), ticked).status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == Status.ANSWERED
    assert deviation.answer_cause == f"Refusjonen gikk til konto {ACCOUNT}."


def test_an_action_note_with_an_identity_number_has_no_way_past(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    data = {
        "reject-version": deviation.version,
        "reject-note": f"Gjelder {AS_IDENTITY_NUMBER}.",
        "reject-note_is_account_number": "on",
    }
    form = RejectForm(data, deviation=deviation, user=coordinator)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["note"]] == ["identity_number_in_text"]
    assert "note_is_account_number" not in form.fields


def test_the_box_speaks_of_one_number_or_of_several():
    one = CommentForm({"body": f"Konto {ACCOUNT}."})
    several = CommentForm({"body": f"Konto {ACCOUNT} og 02013299997."})
    with translation.override("en"):
        assert not one.is_valid() and not several.is_valid()
    assert one.fields["body_is_account_number"].label == "This is a bank account number, not a national identity number"
    assert several.fields["body_is_account_number"].label == (
        "These are bank account numbers, not national identity numbers"
    )
