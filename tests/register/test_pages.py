"""The contact point's register pages: upload, dry run per row, confirm, history; held files are
their uploader's alone."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from avvik.register.models import HeldRegisterFile, ImportRun, RegisterEntry
from avvik.register.services import register_import
from tests.register.helpers import csv_text, world_register


def upload(client, data: bytes, name: str = "ar.csv", **extra):
    return client.post(reverse("register:upload"), {"file": SimpleUploadedFile(name, data, "text/csv"), **extra})


def test_upload_shows_the_dry_run_per_row_and_stores_nothing(client, world, coordinator):
    client.force_login(coordinator)
    response = upload(client, world_register(world))
    held = HeldRegisterFile.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("register:preview", args=[held.key])
    page = client.get(response.url).content.decode()
    assert world.hospital.her_id in page
    assert "Sidevik sykehjem" in page
    assert reverse("register:confirm", args=[held.key]) in page
    assert RegisterEntry.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_confirming_imports_the_held_file_and_lists_the_import(client, world, coordinator):
    client.force_login(coordinator)
    upload(client, world_register(world), name="adresseregister-mars.csv")
    held = HeldRegisterFile.objects.get()
    response = client.post(reverse("register:confirm", args=[held.key]))
    assert response.status_code == 302
    assert RegisterEntry.objects.filter(partnership=world.partnership).count() == 5
    run = ImportRun.objects.get()
    assert (run.by, run.source, run.new) == (coordinator, "adresseregister-mars.csv", 5)
    assert not HeldRegisterFile.objects.exists()
    page = client.get(response.url).content.decode()
    assert "adresseregister-mars.csv" in page
    assert coordinator.full_name in page


def test_a_file_with_errors_shows_its_lines_and_cannot_be_imported(client, world, coordinator):
    client.force_login(coordinator)
    data = csv_text("8010001,,organisation,Demo sykehus HF,,", "80100X2,,organisation,Feil,,")
    upload(client, data.encode())
    held = HeldRegisterFile.objects.get()
    page = client.get(reverse("register:preview", args=[held.key])).content.decode()
    assert "80100X2" in page
    assert re.search(r"<td>3</td>", page)  # the line of the error
    assert reverse("register:confirm", args=[held.key]) not in page
    client.post(reverse("register:confirm", args=[held.key]))
    assert RegisterEntry.objects.count() == 0
    assert HeldRegisterFile.objects.exists()  # kept, so the person sees why


def test_formula_cells_are_shown_as_text(client, world, coordinator):
    client.force_login(coordinator)
    upload(client, csv_text("8010001,,organisation,\"=cmd|' /C calc'!A0<b>\",,").encode())
    held = HeldRegisterFile.objects.get()
    page = client.get(reverse("register:preview", args=[held.key])).content.decode()
    assert "=cmd|&#x27; /C calc&#x27;!A0&lt;b&gt;" in page


def test_the_page_lists_our_names_that_differ_from_the_register(client, world, coordinator):
    register_import(
        partnership=world.partnership,
        data=csv_text(f"{world.hospital.her_id},,organisation,Test universitetssykehus HF,,").encode(),
        source="ar.csv",
        by=None,
    )
    client.force_login(coordinator)
    page = client.get(reverse("register:home")).content.decode()
    assert "Test universitetssykehus HF" in page
    assert world.municipality.her_id in page  # not in the register


def test_without_an_import_the_page_says_her_ids_are_not_checked(client, world, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("register:home")).content.decode()
    assert 'id="no-register"' in page


def test_another_partnerships_coordinator_can_neither_see_nor_confirm_nor_discard_a_held_file(
    client, world, coordinator, foreigner
):
    client.force_login(coordinator)
    upload(client, world_register(world))
    held = HeldRegisterFile.objects.get()
    client.force_login(foreigner)
    assert client.get(reverse("register:preview", args=[held.key])).status_code == 404
    assert client.post(reverse("register:confirm", args=[held.key])).status_code == 404
    assert client.post(reverse("register:discard", args=[held.key])).status_code == 404
    assert RegisterEntry.objects.count() == 0
    assert HeldRegisterFile.objects.filter(pk=held.pk).exists()


def test_a_second_coordinator_of_the_same_partnership_cannot_use_my_held_file(client, world, coordinator):
    from avvik.tenancy.choices import Role
    from tests.factories import UserFactory, grant

    colleague = UserFactory(email="koordinator2@test")
    grant(colleague, Role.COORDINATOR, partnership=world.partnership)
    client.force_login(coordinator)
    upload(client, world_register(world))
    held = HeldRegisterFile.objects.get()
    client.force_login(colleague)
    assert client.get(reverse("register:preview", args=[held.key])).status_code == 404
    assert client.post(reverse("register:confirm", args=[held.key])).status_code == 404


def test_a_coordinator_uploads_only_for_a_partnership_they_coordinate(client, world, foreigner):
    client.force_login(foreigner)
    response = upload(client, world_register(world), p=world.partnership.slug)
    assert response.status_code == 404
    assert not HeldRegisterFile.objects.exists()


def test_discarding_lets_the_file_go(client, world, coordinator):
    client.force_login(coordinator)
    upload(client, world_register(world))
    held = HeldRegisterFile.objects.get()
    response = client.post(reverse("register:discard", args=[held.key]))
    assert response.status_code == 302
    assert not HeldRegisterFile.objects.exists()
    assert RegisterEntry.objects.count() == 0


def test_people_who_are_not_coordinators_are_refused(client, world, reporter, handler, council_member):
    for person in (reporter, handler, council_member):
        client.force_login(person)
        assert client.get(reverse("register:home")).status_code == 403
        assert upload(client, world_register(world)).status_code == 403


def test_a_file_held_for_more_than_a_day_is_let_go_at_the_next_upload(client, world, coordinator, foreigner):
    import time_machine

    client.force_login(foreigner)
    with time_machine.travel("2026-11-01 08:00 +0000"):
        upload(client, world_register(world), p=world.other_partnership.slug)
    client.force_login(coordinator)
    with time_machine.travel("2026-11-02 09:00 +0000"):
        upload(client, world_register(world))
    assert list(HeldRegisterFile.objects.values_list("owner", flat=True)) == [coordinator.pk]
