"""The filing form and the edit form for a nurse who files twice a year: chosen files survive a form
sent back with an error, the counterpart's unit list follows the counterpart, a person without the
reporter role is told why, and only required fields are marked required."""

import os
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from avvik.cases import services
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.held import HeldUpload
from avvik.cases.models.records import Attachment
from avvik.cases.tasks import HELD_UPLOADS_CLEAN_UP, clean_held_uploads
from avvik.operations.models import PeriodicRun
from avvik.tenancy.choices import Role
from tests.builders import PNG, file_case, filing_form_data
from tests.factories import UnitFactory, grant

pytestmark = pytest.mark.django_db

IDENTITY_NUMBER_IN_TEXT = "Pasient 01010012356 fikk ikke epikrise."


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def png(name: str = "skjermbilde.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def held_keys(body: str) -> list[str]:
    return re.findall(r'name="held" value="([0-9a-f-]+)"', body)


def already_attached(name: str, size: int) -> str:
    """What the re-drawn form says about a held file, in bokmål."""
    from django.template.defaultfilters import filesizeformat

    with translation.override("nb"):
        return translation.gettext("Already attached: %(name)s (%(size)s)") % {
            "name": name,
            "size": filesizeformat(size),
        }


def refused_filing(client, world, *uploads) -> str:
    """Send the filing form with an identity number in the text: it comes back with the warning."""
    response = client.post(
        reverse("cases:new"), {**filing_form_data(world, description=IDENTITY_NUMBER_IN_TEXT), "attachments": uploads}
    )
    assert response.status_code == 200
    assert Deviation.objects.count() == 0
    return response.content.decode()


# Held files


def test_a_file_chosen_on_a_refused_form_is_kept_and_attached_when_the_form_goes_through(
    client, world, reporter, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    body = refused_filing(client, world, png())
    assert "fødselsnummer" in body
    assert already_attached("skjermbilde.png", len(PNG)) in body.replace("&nbsp;", "\xa0")
    [key] = held_keys(body)
    held = HeldUpload.objects.get(key=key)
    assert held.owner == reporter and held.content_type == "image/png" and held.size == len(PNG)
    held_path = held.file.path

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:new"), {**filing_form_data(world), "held": [key]})
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    attachment = deviation.attachments.get()
    # Exactly as a file uploaded with the form: its name, its checked type, its content, its uploader.
    assert attachment.original_name == "skjermbilde.png"
    assert attachment.content_type == "image/png"
    assert attachment.size == len(PNG)
    assert attachment.uploaded_by == reporter
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG
    assert not HeldUpload.objects.exists()
    assert not os.path.exists(held_path)


def test_held_and_newly_chosen_files_are_attached_together(client, world, reporter):
    client.force_login(reporter)
    [key] = held_keys(refused_filing(client, world, png("første.png")))
    response = client.post(
        reverse("cases:new"), {**filing_form_data(world), "held": [key], "attachments": [png("andre.png")]}
    )
    assert response.status_code == 302
    names = sorted(Deviation.objects.get().attachments.values_list("original_name", flat=True))
    assert names == ["andre.png", "første.png"]


def test_a_file_kept_twice_is_listed_once_per_try_and_a_removed_one_is_not_attached(client, world, reporter):
    client.force_login(reporter)
    first = held_keys(refused_filing(client, world, png("første.png"), png("andre.png")))
    assert len(first) == 2
    # The second try is refused again: both stay listed, and the one ticked for removal goes.
    removed = HeldUpload.objects.get(name="første.png").key
    response = client.post(
        reverse("cases:new"),
        {
            **filing_form_data(world, description=IDENTITY_NUMBER_IN_TEXT),
            "held": first,
            "held_remove": [str(removed)],
        },
    )
    body = response.content.decode()
    assert "første.png" not in body and "andre.png" in body
    assert list(HeldUpload.objects.values_list("name", flat=True)) == ["andre.png"]
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "held": held_keys(body)})
    assert response.status_code == 302
    assert list(Deviation.objects.get().attachments.values_list("original_name", flat=True)) == ["andre.png"]


def test_a_file_that_fails_the_checks_is_not_held(client, world, reporter):
    client.force_login(reporter)
    fake = SimpleUploadedFile("rapport.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "application/pdf")
    body = refused_filing(client, world, fake, png())
    assert "rapport.pdf er ikke en PDF" in body
    assert list(HeldUpload.objects.values_list("name", flat=True)) == ["skjermbilde.png"]


def test_another_person_can_neither_see_nor_use_my_held_file(client, world, reporter, colleague_reporter):
    client.force_login(reporter)
    [key] = held_keys(refused_filing(client, world, png()))

    client.force_login(colleague_reporter)
    # Sent back with an error: the stranger's key is not listed on the colleague's form.
    response = client.post(
        reverse("cases:new"), {**filing_form_data(world, description=IDENTITY_NUMBER_IN_TEXT), "held": [key]}
    )
    assert "skjermbilde.png" not in response.content.decode()
    assert key not in response.content.decode()
    # Sent through: the case has no attachment, and my file is still mine, untouched.
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "held": [key], "held_remove": [key]})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert HeldUpload.objects.get(key=key).owner == reporter


def test_the_attach_service_refuses_another_persons_held_file(world, reporter, colleague_reporter):
    [held] = services.uploads_hold(owner=reporter, uploads=[png()])
    deviation = file_case(colleague_reporter, world.municipality)
    assert services.held_uploads_attach(deviation=deviation, by=colleague_reporter, keys=[held.key]) == []
    assert services.held_uploads_discard(owner=colleague_reporter, keys=[held.key]) == 0
    assert not deviation.attachments.exists()
    assert HeldUpload.objects.filter(pk=held.pk).exists()


def test_held_files_are_cleaned_away_after_a_day_by_the_periodic_task(
    world, reporter, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        [old] = services.uploads_hold(owner=reporter, uploads=[png("gammel.png")])
    [fresh] = services.uploads_hold(owner=reporter, uploads=[png("ny.png")])
    old_path = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        assert clean_held_uploads() == 1
    assert list(HeldUpload.objects.values_list("name", flat=True)) == ["ny.png"]
    assert not os.path.exists(old_path)
    assert os.path.exists(fresh.file.path)
    run = PeriodicRun.objects.get(name=HELD_UPLOADS_CLEAN_UP)
    assert run.finished_at >= timezone.now() - timedelta(minutes=1)
    # A second run finds nothing more to do.
    assert clean_held_uploads() == 0


def test_the_clean_up_is_in_the_beat_schedule_and_expires_before_its_next_run(settings):
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("clean_held_uploads")]
    assert entry["task"] == f"{clean_held_uploads.__module__}.{clean_held_uploads.__name__}"
    assert entry["options"]["expires"] < 3600


def test_the_number_of_files_counts_the_held_ones(client, world, reporter, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(reporter)
    keys = held_keys(refused_filing(client, world, png("en.png"), png("to.png")))
    response = client.post(
        reverse("cases:new"), {**filing_form_data(world), "held": keys, "attachments": [png("tre.png")]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "høyst 2 filer" in body or "at most 2 files" in body
    assert Deviation.objects.count() == 0
    # The file over the limit is not held; the two held ones still are, and still listed.
    assert sorted(HeldUpload.objects.values_list("name", flat=True)) == ["en.png", "to.png"]
    assert sorted(held_keys(body)) == sorted(keys)


def test_the_total_size_counts_the_held_ones(client, world, reporter, settings):
    settings.ATTACHMENTS_MAX_TOTAL_BYTES = len(PNG) * 2 - 1
    client.force_login(reporter)
    keys = held_keys(refused_filing(client, world, png("en.png")))
    response = client.post(
        reverse("cases:new"), {**filing_form_data(world), "held": keys, "attachments": [png("to.png")]}
    )
    assert response.status_code == 200
    assert Deviation.objects.count() == 0
    assert list(HeldUpload.objects.values_list("name", flat=True)) == ["en.png"]
    # Within the limit, the held file alone goes through.
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "held": keys})
    assert response.status_code == 302


def test_the_edit_form_keeps_a_chosen_file_and_attaches_it_when_saved(client, world, reporter):
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    url = reverse("cases:edit", args=[deviation.reference])
    data = {
        "occurred_at": "2026-11-20T10:30",
        "category": deviation.category_id,
        "consequence": "minor",
        "title": deviation.title,
        "description": IDENTITY_NUMBER_IN_TEXT,
        "version": deviation.version,
    }
    response = client.post(url, {**data, "attachments": [png("rettet.png")]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "rettet.png" in body
    keys = held_keys(body)
    response = client.post(url, {**data, "description": "Epikrisen kom ikke.", "held": keys})
    assert response.status_code == 302
    assert list(deviation.attachments.values_list("original_name", flat=True)) == ["rettet.png"]
    assert not HeldUpload.objects.exists()


# The counterpart's units


def test_the_unit_list_is_grouped_by_organisation_and_names_each_units_organisation(client, world, reporter):
    client.force_login(reporter)
    body = client.get(reverse("cases:new")).content.decode()
    select = re.search(r'<select name="counterpart_unit".*?</select>', body, re.S).group(0)
    assert 'data-units-of="counterpart"' in select
    group = re.search(r'<optgroup label="Testvik kommune">(.*?)</optgroup>', select, re.S).group(1)
    assert re.search(rf'<option value="\d+" data-organisation="{world.municipality.pk}"[^>]*>Hjemmetjenesten', group)
    assert "Medisinsk avdeling" not in select  # the reporter's own organisation is never the counterpart
    assert "Fremmed avdeling" not in select  # nor is an organisation of another partnership
    assert 'src="/static/js/unit_filter.js"' in body


def test_a_chosen_unit_stays_chosen_when_the_form_is_refused(client, world, reporter):
    client.force_login(reporter)
    unit = UnitFactory(organisation=world.municipality, name="Legevakta")
    response = client.post(reverse("cases:new"), filing_form_data(world, title="", counterpart_unit=unit.pk))
    select = re.search(r'<select name="counterpart_unit".*?</select>', response.content.decode(), re.S).group(0)
    assert re.search(
        rf'<option value="{unit.pk}" selected data-organisation="{world.municipality.pk}">Legevakta<', select
    )
    assert select.count(" selected") == 1


def test_the_her_id_suggestions_give_the_reporters_organisation_first_then_the_others_and_their_units(
    client, world, reporter
):
    world.hospital.her_id, world.municipality.her_id = "100001", "200002"
    world.hospital.save()
    world.municipality.save()
    UnitFactory(organisation=world.municipality, name="Sykehjemmet", her_id="200003")
    UnitFactory(organisation=world.municipality, name="Uten adresse")  # no HER-id: not suggested
    UnitFactory(organisation=world.bystander_org, name="Legekontoret", her_id="300001")
    client.force_login(reporter)
    body = client.get(reverse("cases:new")).content.decode()
    suggestions = re.findall(
        r'<option value="(\d+)">([^<]*)</option>', re.search(r'<datalist id="her-ids">(.*?)</datalist>', body, re.S)[1]
    )
    assert suggestions[0] == ("100001", "Test sykehus HF")
    assert ("200002", "Testvik kommune") in suggestions
    assert suggestions.index(("200002", "Testvik kommune")) < suggestions.index(
        ("200003", "Testvik kommune, Sykehjemmet")
    )
    assert ("300001", f"{world.bystander_org.name}, Legekontoret") in suggestions
    assert not [label for _her_id, label in suggestions if "Uten adresse" in label]


def test_a_unit_of_another_organisation_than_the_counterpart_is_refused_in_norwegian(client, world, reporter):
    client.force_login(reporter)
    unit = UnitFactory(organisation=world.bystander_org, name="Legekontoret")
    response = client.post(reverse("cases:new"), filing_form_data(world, counterpart_unit=unit.pk))
    assert response.status_code == 200
    assert Deviation.objects.count() == 0
    message = nb(
        "{unit} is a unit of {organisation}, not of {counterpart}. Choose one of the units of "
        "{counterpart}, or “Unknown or not relevant”."
    ).format(unit=unit.name, organisation=world.bystander_org.name, counterpart=world.municipality.name)
    assert message in response.content.decode().replace("&#x27;", "'")


# Who may file


@pytest.mark.parametrize(
    ("persona", "queue"),
    [("handler", "cases:handling"), ("coordinator", "cases:triage"), ("council_member", "council:statistics")],
)
def test_a_person_without_the_reporter_role_is_told_why_and_where_to_go(client, world, request, persona, queue):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("cases:new"))
    assert response.status_code == 403
    body = response.content.decode()
    assert nb("You cannot report deviations") in body
    assert "Du har ikke rollen melder i noen virksomhet" in body or "not have the reporter role" in body
    assert f'href="{reverse(queue)}"' in body
    assert "403 Forbidden" not in body


def test_a_handler_sending_the_filing_form_files_nothing(client, world, handler):
    client.force_login(handler)
    response = client.post(reverse("cases:new"), filing_form_data(world))
    assert response.status_code == 403
    assert Deviation.objects.count() == 0


# Required marks


def marked_required(body: str) -> set[str]:
    """The ids of the fields whose label carries crispy's asterisk."""
    return set(re.findall(r'<label[^>]*for="id_(\w+)"[^>]*>(?:(?!</label>).)*asteriskField', body, re.S))


def test_only_required_fields_of_the_filing_form_are_marked_required(client, world, reporter):
    client.force_login(reporter)
    body = client.get(reverse("cases:new")).content.decode()
    assert marked_required(body) == {
        "title",
        "occurred_at",
        "consequence",
        "potential_consequence",
        "category",
        "description",
        "counterpart",
    }
    assert 'for="id_attachments"' in body


def test_a_reporter_in_two_organisations_sees_a_labelled_required_organisation_list(client, world, reporter):
    grant(reporter, Role.REPORTER, organisation=world.bystander_org)
    client.force_login(reporter)
    body = client.get(reverse("cases:new")).content.decode()
    assert "reporting_organisation" in marked_required(body)


def test_only_required_fields_of_the_edit_form_are_marked_required(client, world, reporter):
    # Filed before the potential consequence was asked for: it may stay blank.
    deviation = file_case(reporter, world.municipality)
    client.force_login(reporter)
    body = client.get(reverse("cases:edit", args=[deviation.reference])).content.decode()
    assert marked_required(body) == {"title", "occurred_at", "consequence", "category", "description"}
    assert 'for="id_attachments"' in body


def test_a_potential_consequence_once_given_stays_required_on_the_edit_form(client, world, reporter):
    deviation = file_case(reporter, world.municipality, potential_consequence="significant")
    client.force_login(reporter)
    body = client.get(reverse("cases:edit", args=[deviation.reference])).content.decode()
    assert "potential_consequence" in marked_required(body)


def test_a_person_holds_at_most_a_few_dozen_files_the_oldest_giving_way(world, reporter, monkeypatch):
    from avvik.cases.services import held as held_service

    monkeypatch.setattr(held_service, "HELD_PER_PERSON", 2)
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        services.uploads_hold(owner=reporter, uploads=[png("eldst.png")])
    services.uploads_hold(owner=reporter, uploads=[png("midt.png"), png("nyest.png")])
    assert sorted(HeldUpload.objects.values_list("name", flat=True)) == ["midt.png", "nyest.png"]
