"""The case's thread: a message and attachments added from the case page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from avvik.cases.models.records import Attachment
from tests.builders import PNG, file_case

pytestmark = pytest.mark.django_db


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def test_an_attachment_form_sent_without_a_file_is_an_error_on_the_field(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    response = client.post(reverse("cases:attachment_create", args=[deviation.reference]), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert nb("Choose at least one file to add.") in body
    assert nb("The attachment was not added; see the field marked below.") in body
    assert nb("The attachment is added.") not in body
    assert "Vedlegget er lagt til." not in body
    assert not Attachment.objects.exists()
    # Nothing waits to be shown as a success on the next page either.
    assert (
        nb("The attachment is added.")
        not in client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    )


def test_the_case_page_does_not_mark_adding_an_attachment_as_required(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    body = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    label = re.search(r'<label[^>]*for="id_files"[^>]*>(.*?)</label>', body, re.S)
    assert label is not None
    assert nb("Add attachments") in label.group(1)
    assert "asteriskField" not in label.group(1)


def test_an_attachment_form_with_an_empty_file_field_is_an_error_too(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    response = client.post(reverse("cases:attachment_create", args=[deviation.reference]), {"files": ""})
    assert response.status_code == 400
    assert nb("Choose at least one file to add.") in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attachment_is_still_added_and_said_so(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    upload = SimpleUploadedFile("skjerm.png", PNG, content_type="image/png")
    response = client.post(
        reverse("cases:attachment_create", args=[deviation.reference]), {"files": [upload]}, follow=True
    )
    assert response.status_code == 200
    assert nb("The attachment is added.") in response.content.decode()
    assert Attachment.objects.filter(deviation=deviation).count() == 1


def test_the_comment_form_keeps_a_draft_and_the_patient_section_does_not(client, world, reporter):
    """The forms drafts.js keeps: marked data-draft, with their notice; the patient section marked
    data-no-draft."""
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert (
        'action="{}" class="mt-3" novalidate data-draft>'.format(reverse("cases:comment", args=[deviation.reference]))
        in page
    )
    assert "data-draft-notice" in page
    form = client.get(reverse("cases:new")).content.decode()
    assert "data-draft>" in form and "data-draft-notice" in form
    patient = form[form.index("data-no-draft") :]
    assert 'name="patient_name"' in patient and 'name="patient_identity_number"' in patient
    assert "js/drafts.js" in form
