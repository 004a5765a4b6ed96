"""Downloads of local files behind nginx: the app checks and logs, then answers with an empty body
and X-Accel-Redirect naming the file under nginx's internal location; nginx sends the bytes."""

from pathlib import Path
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from avvik.cases.models.logs import AccessLog
from avvik.core.file_storage import configured_storage
from avvik.council import services as council
from avvik.council.periods import Period
from tests.api.conftest import register
from tests.builders import PNG, file_case
from tests.council.test_views import make_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_nginx(settings):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    settings.SENDFILE_PREFIX = "/protected-files"


def served_file(settings, response) -> Path:
    """The file nginx would send for the header: its internal location mapped onto MEDIA_ROOT."""
    internal = unquote(response["X-Accel-Redirect"])
    assert internal.startswith("/protected-files/")
    return Path(settings.MEDIA_ROOT) / internal.removeprefix("/protected-files/")


def test_an_attachment_is_handed_to_nginx_after_the_check_and_the_log(
    behind_nginx, settings, client, world, reporter, coordinator
):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-files/attachments/{attachment.file.name}"
    assert served_file(settings, response).read_bytes() == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="skjerm.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(user=coordinator, deviation=deviation, kind="attachment").count() == 1


def test_an_outsider_gets_404_and_no_header(behind_nginx, client, world, reporter, foreigner):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(foreigner)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    assert not AccessLog.objects.filter(user=foreigner, kind="attachment").exists()


def test_a_non_ascii_file_name_is_escaped_in_both_headers(behind_nginx, client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    attachment.original_name = "skjermbilde å ø.png"
    attachment.save(update_fields=["original_name"])
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''skjermbilde%20%C3%A5%20%C3%B8.png"
    assert response["X-Accel-Redirect"].isascii()


def test_the_api_download_is_handed_to_nginx_too(behind_nginx, settings, world, reporter, coordinator):
    system = register(coordinator, world.hospital)
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    response = system.api.get(f"/api/v1/cases/{deviation.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == b""
    assert served_file(settings, response).read_bytes() == PNG


def test_a_council_report_is_handed_to_nginx(
    behind_nginx, settings, client, world, reporter, coordinator, handler, council_member
):
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
    report = council.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    assert council.report_build(report_id=report.pk) is True
    report.refresh_from_db()

    client.force_login(council_member)
    response = client.get(reverse("council:report_download", args=[report.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-files/reports/{report.file.name}"
    assert served_file(settings, response).read_bytes().startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def test_without_the_setting_django_sends_the_file_itself(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == PNG


def test_a_local_storage_folder_follows_media_root_when_it_changes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    assert Path(configured_storage("attachments").path("a.txt")) == tmp_path / "elsewhere" / "attachments" / "a.txt"
