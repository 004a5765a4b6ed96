"""The people import's pages: upload, dry run, confirm, progress, and whose held file is whose."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from avvik.administration.imports import forms, services
from avvik.administration.imports.tasks import import_people
from avvik.administration.models import HeldPeopleFile, Invitation, PeopleImport

HEADER = "e-post;navn;virksomhet;enhet;roller\n"
GOOD = HEADER + "kari@kommune.test;Kari;Testvik kommune;Hjemmetjenesten;Melder\n"
BAD = GOOD + "ola@kommune.test;Ola;Test sykehus HF;;Melder\n"


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch.object(services, "_enqueue") as enqueue:
        yield enqueue


def upload(client, text: str, name="personer.csv"):
    return client.post(reverse("administration:import_upload"), {"file": SimpleUploadedFile(name, text.encode())})


def test_the_upload_page_documents_the_format(client, org_admin):
    client.force_login(org_admin)
    page = client.get(reverse("administration:import_upload_page")).content.decode()
    assert "e-post;navn;virksomhet;enhet;roller" in page


def test_a_bad_row_is_shown_and_the_file_cannot_be_confirmed(client, world, org_admin):
    client.force_login(org_admin)
    response = upload(client, BAD)
    held = HeldPeopleFile.objects.get()
    assert response.url == reverse("administration:import_preview", args=[held.key])
    page = client.get(response.url).content.decode()
    assert "Du administrerer ikke personer i Test sykehus HF" in page
    assert reverse("administration:import_confirm", args=[held.key]) not in page
    # Posting anyway is refused by the service: nothing is saved.
    response = client.post(reverse("administration:import_confirm", args=[held.key]))
    assert response.url == reverse("administration:import_preview", args=[held.key])
    assert not PeopleImport.objects.exists() and not Invitation.objects.exists()


def test_a_good_file_is_confirmed_and_its_page_follows_the_task(client, world, org_admin):
    client.force_login(org_admin)
    held_url = upload(client, GOOD).url
    key = HeldPeopleFile.objects.get().key
    assert "Blir invitert" in client.get(held_url).content.decode()
    response = client.post(reverse("administration:import_confirm", args=[key]))
    people_import = PeopleImport.objects.get()
    assert response.url == reverse("administration:import_detail", args=[people_import.pk])
    status = client.get(response.url, {"format": "json"}).json()
    assert (status["done"], status["total"], status["status"]) == (0, 1, "queued")
    assert "import_progress.js" in client.get(response.url).content.decode()
    import_people(people_import.pk)
    status = client.get(response.url, {"format": "json"}).json()
    assert (status["done"], status["total"], status["status"]) == (1, 1, "done")
    assert "Importen er ferdig." in client.get(response.url).content.decode()
    assert Invitation.objects.get().email == "kari@kommune.test"


def test_a_file_over_the_limit_is_refused_with_a_message(client, org_admin, monkeypatch):
    monkeypatch.setattr(forms, "MAX_BYTES", 10)
    client.force_login(org_admin)
    response = upload(client, GOOD)
    assert response.status_code == 400
    assert "høyst" in response.content.decode()
    assert not HeldPeopleFile.objects.exists()


def test_a_broken_spreadsheet_is_shown_with_a_message(client, org_admin):
    client.force_login(org_admin)
    response = upload(client, "PK\x03\x04 broken", name="personer.xlsx")
    assert "Lagre det på nytt som XLSX" in client.get(response.url).content.decode()


def test_someone_elses_held_file_and_import_are_404(client, world, org_admin, partnership_admin):
    client.force_login(org_admin)
    upload(client, GOOD)
    key = HeldPeopleFile.objects.get().key
    client.post(reverse("administration:import_confirm", args=[key]))
    client.force_login(partnership_admin)
    held_url = upload(client, GOOD).url
    client.force_login(org_admin)
    assert client.get(held_url).status_code == 404
    client.force_login(partnership_admin)
    assert client.get(reverse("administration:import_detail", args=[PeopleImport.objects.get().pk])).status_code == 404


def test_a_person_who_administers_nobody_is_refused(client, handler):
    client.force_login(handler)
    assert client.get(reverse("administration:import_upload_page")).status_code == 403
