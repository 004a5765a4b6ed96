"""List exports made by a worker: asked for from a list, built with the list's own visibility and
filter, followed on the export page, downloaded by their owner alone, and deleted after a day."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from avvik.cases.choices import Status
from avvik.cases.models.logs import AccessLog
from avvik.cases.views import lists
from avvik.core import queue
from avvik.exports import building, services
from avvik.exports.choices import ExportFormat, ExportStatus
from avvik.exports.models import Export
from avvik.exports.tasks import build_export, delete_old_exports, sweep_export_queue
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_and_queue(settings, tmp_path, monkeypatch):
    """Files go to a folder of the test; what would be queued is noted instead."""
    settings.MEDIA_ROOT = tmp_path
    queued: list[tuple] = []
    monkeypatch.setattr(queue, "dispatch", lambda *args: queued.append(args) or True)
    return queued


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def ask_excel(client, user, **query):
    client.force_login(user)
    return client.get(reverse("cases:all"), {**query, "format": "xlsx"})


def workbook_rows(export: Export) -> list[list[str]]:
    with export.file.open("rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
        return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def csv_rows(client, **query) -> list[list[str]]:
    response = client.get(reverse("cases:all"), {**query, "format": "csv"})
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))


def test_the_excel_link_redirects_to_the_export_page_and_queues_the_build_after_commit(
    client, world, reporter, coordinator, _files_and_queue, django_capture_on_commit_callbacks
):
    file_case(reporter, world.municipality, title="Epikrise mangler")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_excel(client, coordinator, q="epikrise")
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert (export.requested_by, export.list_name, export.list_path) == (coordinator, "all", reverse("cases:all"))
    assert export.query == "q=epikrise&format=xlsx"
    assert (export.file_format, export.status, export.language) == ("xlsx", ExportStatus.PENDING, "nb")
    assert _files_and_queue == [(services.BUILD_TASK, export.pk)]
    # Nothing is read before the worker does it, and nothing is logged until the file is downloaded.
    assert not AccessLog.objects.filter(kind="export").exists()


def test_the_task_writes_the_same_rows_as_the_list_download(client, world, reporter, coordinator):
    cases = [file_case(reporter, world.municipality, title=title) for title in ("Første", "=Andre", "Tredje")]
    ask_excel(client, coordinator, ordering="reference")
    export = Export.objects.get()
    build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    rows = workbook_rows(export)
    assert rows == csv_rows(client, ordering="reference")
    assert rows[0][0] == "Referanse"
    assert [row[0] for row in rows[1:]] == sorted(case.reference for case in cases)
    assert "'=Andre" in {row[-1] for row in rows[1:]}  # never a formula
    assert (export.rows_written, export.rows_total) == (3, 3)
    assert export.size == export.file.size > 0


def test_a_csv_download_of_a_long_list_is_made_by_the_worker_with_the_same_bytes(
    client, world, reporter, coordinator, monkeypatch
):
    for title in ("Første", "Andre", "Tredje"):
        file_case(reporter, world.municipality, title=title)
    client.force_login(coordinator)
    streamed = client.get(reverse("cases:all"), {"ordering": "reference", "format": "csv"})
    assert streamed.status_code == 200  # a short list streams at once
    streamed_bytes = streamed.getvalue()
    assert streamed_bytes.decode("utf-8-sig").count("\n") == 4
    monkeypatch.setattr(lists, "CSV_STREAMED_ROWS", 2)
    response = client.get(reverse("cases:all"), {"ordering": "reference", "format": "csv"})
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert (export.requested_by, export.file_format) == (coordinator, ExportFormat.CSV)
    build_export(export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as file:
        assert file.read() == streamed_bytes


def test_the_task_keeps_the_filter_of_the_list(client, world, reporter, coordinator):
    wanted = file_case(reporter, world.municipality, title="Labsvar kom ikke", description="Labsvaret manglet.")
    file_case(reporter, world.municipality, title="Epikrise forsinket")
    ask_excel(client, coordinator, q="labsvar")
    export = Export.objects.get()
    build_export(export.pk)
    export.refresh_from_db()
    assert [row[0] for row in workbook_rows(export)[1:]] == [wanted.reference]


def test_the_task_reads_only_what_the_person_who_asked_may_see(world, reporter, handler, coordinator, foreigner):
    forwarded = file_case(reporter, world.municipality, title="Til kommunen")
    file_case(reporter, world.bystander_org, title="Til Sidevik")
    drive(forwarded, Status.FORWARDED, coordinator=coordinator, handler=handler, reporter=reporter)
    exports = {
        who: Export.objects.create(
            requested_by=user,
            list_name="all",
            list_path=reverse("cases:all"),
            query="",
            file_format=ExportFormat.CSV,
            language="nb",
        )
        for who, user in (("handler", handler), ("foreigner", foreigner))
    }
    for export in exports.values():
        build_export(export.pk)
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE
    with exports["handler"].file.open("rb") as file:
        handler_rows = list(csv.reader(io.StringIO(file.read().decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in handler_rows[1:]] == [forwarded.reference]
    with exports["foreigner"].file.open("rb") as file:
        assert len(file.read().decode("utf-8-sig").splitlines()) == 1  # the header; nothing of our partnership


def test_a_person_who_may_no_longer_read_the_list_gets_no_file(client, world, reporter, coordinator):
    file_case(reporter, world.municipality)
    ask_excel(client, coordinator)
    coordinator.memberships.all().delete()
    export = Export.objects.get()
    build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.file
    assert export.error == "You may no longer read this list."


def test_the_worker_notes_its_progress_as_it_writes(client, world, reporter, coordinator, monkeypatch):
    for number in range(5):
        file_case(reporter, world.municipality, title=f"Sak {number}")
    ask_excel(client, coordinator)
    export = Export.objects.get()
    monkeypatch.setattr("avvik.exports.writers.PROGRESS_EVERY", 2)
    seen: list[tuple[int, int | None, str]] = []
    write_rows = building.write_rows

    def watched(rows, path, *, progress, **kwargs):
        def noted(written: int) -> None:
            progress(written)
            stored = Export.objects.get(pk=export.pk)
            seen.append((stored.rows_written, stored.rows_total, stored.status))

        return write_rows(rows, path, progress=noted, **kwargs)

    monkeypatch.setattr(building, "write_rows", watched)
    build_export(export.pk)
    assert seen == [(2, 5, ExportStatus.RUNNING), (4, 5, ExportStatus.RUNNING)]
    export.refresh_from_db()
    assert (export.rows_written, export.rows_total, export.percent) == (5, 5, 100)


def test_the_export_page_and_its_status_show_the_rows_written_of_the_total(client, coordinator):
    export = Export.objects.create(
        requested_by=coordinator,
        list_name="all",
        list_path=reverse("cases:all"),
        query="q=lab&format=xlsx",
        file_format=ExportFormat.XLSX,
        language="nb",
        status=ExportStatus.RUNNING,
        rows_written=3000,
        rows_total=12000,
    )
    client.force_login(coordinator)
    page = client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert 'value="25"' in page and "3000" in page and "12000" in page
    assert 'src="/static/js/export_progress.js"' in page
    assert f'href="{reverse("cases:all")}?q=lab"' in page  # back to the list with its filter
    assert f'href="{reverse("exports:detail", args=[export.pk])}"' in page  # checking again without JavaScript
    status = client.get(reverse("exports:detail", args=[export.pk]), {"format": "json"}).json()
    assert status["percent"] == 25 and status["written"] == 3000 and status["total"] == 12000
    assert "3000" in status["text"] and "12000" in status["text"]
    assert status["download"] is None


def test_only_the_owner_downloads_the_file_and_the_download_is_logged(client, world, reporter, coordinator):
    file_case(reporter, world.municipality)
    ask_excel(client, coordinator)
    export = Export.objects.get()
    build_export(export.pk)
    colleague = UserFactory(email="koordinator2@test")
    grant(colleague, Role.COORDINATOR, partnership=world.partnership)
    admin = UserFactory(email="drift@test", is_superuser=True, is_staff=True)
    for other in (colleague, admin, reporter):
        client.force_login(other)
        assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
        assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert not AccessLog.objects.filter(kind="export").exists()
    client.force_login(coordinator)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="avvik-all-')
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip: the spreadsheet
    log = AccessLog.objects.get(kind="export")
    assert (log.user, log.detail) == (coordinator, "all?format=xlsx")


def test_a_file_not_yet_made_cannot_be_downloaded(client, coordinator):
    client.force_login(coordinator)
    ask_excel(client, coordinator)
    export = Export.objects.get()
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    page = client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert reverse("exports:download", args=[export.pk]) not in page


def test_a_person_has_at_most_two_exports_being_made(client, coordinator):
    ask_excel(client, coordinator)
    ask_excel(client, coordinator, q="lab")
    response = ask_excel(client, coordinator, q="epikrise")
    assert response.status_code == 302 and response["Location"] == reverse("exports:list")
    assert Export.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    refusal = nb("You already have {count} exports being made. Wait until one is ready, then try again.")
    assert refusal.format(count=2) in page
    Export.objects.filter(query="format=xlsx").update(status=ExportStatus.DONE)
    assert ask_excel(client, coordinator, q="epikrise")["Location"].startswith("/eksport/")
    assert Export.objects.count() == 3


def test_the_sweep_queues_exports_whose_message_was_lost(client, coordinator, _files_and_queue):
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        ask_excel(client, coordinator)
    lost = Export.objects.get()
    Export.objects.filter(pk=lost.pk).update(
        status=ExportStatus.RUNNING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    _files_and_queue.clear()
    assert sweep_export_queue() == 1
    assert _files_and_queue == [(services.BUILD_TASK, lost.pk)]
    lost.refresh_from_db()
    assert lost.status == ExportStatus.PENDING


def test_exports_and_their_files_are_deleted_after_a_day(client, world, reporter, coordinator):
    file_case(reporter, world.municipality)
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        ask_excel(client, coordinator)
        old = Export.objects.get()
        build_export(old.pk)
    ask_excel(client, coordinator)
    recent = Export.objects.latest("pk")
    build_export(recent.pk)
    old.refresh_from_db()
    recent.refresh_from_db()
    old_path, recent_path = old.file.path, recent.file.path
    assert delete_old_exports() == 1
    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Path(old_path).exists() and Path(recent_path).exists()


@pytest.mark.parametrize("task", [sweep_export_queue, delete_old_exports])
def test_the_sweep_and_the_clean_up_are_in_the_beat_schedule_and_expire_before_their_next_run(settings, task):
    name = f"{task.__module__}.{task.__name__}"
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == name]
    schedule = entry["schedule"]
    every = schedule if isinstance(schedule, float) else 3600.0  # the clean-up runs hourly
    assert entry["options"]["expires"] < every
