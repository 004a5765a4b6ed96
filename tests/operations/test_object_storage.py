"""Attachments, held uploads and council reports in an S3 bucket (moto's fake S3 in this process, and
moto as a server on loopback):
stored there and not on disk, and read back through the same views after the same checks."""

import socket
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws
from moto.server import ThreadedMotoServer

from avvik.cases.models.logs import AccessLog
from avvik.cases.models.records import Attachment
from avvik.cases.services.held import held_uploads_attach, uploads_hold
from avvik.council import services as council
from avvik.council.periods import Period
from tests.api.conftest import register
from tests.builders import PNG, file_case
from tests.council.test_views import make_cases

pytestmark = pytest.mark.django_db

BUCKET = "samhandling-test"
REGION = "eu-north-1"


def s3_storage(folder: str) -> dict:
    """As samhandling/settings.py configures a folder of the bucket when S3_BUCKET is set."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "region_name": REGION,
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "location": folder,
        },
    }


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        # Nothing may land on the local disk: the folders the local storage would use are empty.
        settings.MEDIA_ROOT = tmp_path
        settings.S3_BUCKET = BUCKET
        settings.S3_DOWNLOADS = "redirect"
        settings.S3_URL_SECONDS = 60
        settings.STORAGES = {
            **settings.STORAGES,
            "attachments": s3_storage("attachments"),
            "reports": s3_storage("reports"),
        }
        yield s3


def keys(s3, prefix: str) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def test_a_filed_attachment_is_stored_in_the_bucket_and_not_on_disk(bucket, world, reporter, tmp_path):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    assert keys(bucket, "attachments/") == [f"attachments/{attachment.file.name}"]
    assert bucket.get_object(Bucket=BUCKET, Key=f"attachments/{attachment.file.name}")["Body"].read() == PNG
    assert not any(tmp_path.iterdir())


def test_the_download_redirects_to_a_short_lived_signed_url_after_the_check_and_the_log(
    bucket, client, world, reporter, coordinator
):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))

    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert BUCKET in url.netloc + url.path and url.path.endswith(attachment.file.name)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert query["response-content-disposition"] == ['attachment; filename="skjerm.png"']
    assert query["response-content-type"] == ["image/png"]
    assert AccessLog.objects.filter(user=coordinator, deviation=deviation, kind="attachment").count() == 1
    # The signed URL gives the file itself.
    fetched = requests.get(response["Location"], timeout=5)
    assert fetched.status_code == 200 and fetched.content == PNG
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="skjerm.png"'


def test_an_outsider_gets_no_url_to_the_file(bucket, client, world, reporter, foreigner):
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(foreigner)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response.status_code == 404
    assert "Location" not in response


def test_streamed_downloads_come_through_the_web_process(bucket, settings, client, world, reporter, coordinator):
    settings.S3_DOWNLOADS = "stream"
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")


def test_the_api_gets_the_file_itself_from_the_bucket(bucket, world, reporter, coordinator):
    system = register(coordinator, world.hospital)
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    response = system.api.get(f"/api/v1/cases/{deviation.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG


def test_held_uploads_wait_in_the_bucket_and_become_attachments(bucket, world, reporter):
    (held,) = uploads_hold(owner=reporter, uploads=[SimpleUploadedFile("skjerm.png", PNG, content_type="image/png")])
    assert keys(bucket, "attachments/held/") == [f"attachments/{held.file.name}"]

    deviation = file_case(reporter, world.municipality)
    (attached,) = held_uploads_attach(deviation=deviation, by=reporter, keys=[held.key])
    assert Attachment.objects.get(pk=attached.pk).file.read() == PNG


def test_a_council_report_is_built_into_the_bucket_and_downloaded(
    bucket, client, world, reporter, coordinator, handler, council_member
):
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        make_cases(world, reporter, coordinator, handler, 6)
    report = council.report_request(partnership=world.partnership, period=Period.quarter(2026, 3), by=coordinator)
    assert council.report_build(report_id=report.pk) is True
    report.refresh_from_db()

    stored = bucket.get_object(Bucket=BUCKET, Key=f"reports/{report.file.name}")["Body"].read()
    assert stored.startswith(b"%PDF") and len(stored) == report.size

    client.force_login(council_member)
    response = client.get(reverse("council:report_download", args=[report.pk]))
    assert response.status_code == 302
    fetched = requests.get(response["Location"], timeout=5)
    assert fetched.content == stored
    assert fetched.headers["Content-Type"] == "application/pdf"


@pytest.fixture
def s3_server(settings, monkeypatch, tmp_path):
    """A real S3-compatible server on loopback (moto in server mode), reached over HTTP like a store
    in the hospital's data centre, with server-side encryption asked for on every object."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.MEDIA_ROOT = tmp_path
        settings.S3_BUCKET = BUCKET
        settings.S3_DOWNLOADS = "stream"
        storage = s3_storage("attachments")
        storage["OPTIONS"].update(
            endpoint_url=endpoint, addressing_style="path", object_parameters={"ServerSideEncryption": "AES256"}
        )
        settings.STORAGES = {**settings.STORAGES, "attachments": storage}
        yield s3, endpoint
    finally:
        server.stop()


def test_against_a_server_on_loopback_files_are_private_encrypted_and_read_through_the_site(
    s3_server, client, world, reporter, coordinator, foreigner
):
    s3, endpoint = s3_server
    deviation = file_case(reporter, world.municipality, attachment=True)
    attachment = deviation.attachments.get()
    key = f"attachments/{attachment.file.name}"
    stored = s3.head_object(Bucket=BUCKET, Key=key)
    assert stored["ServerSideEncryption"] == "AES256"
    # Private: the object's own address gives nothing without a signature.
    assert requests.get(f"{endpoint}/{BUCKET}/{key}", timeout=5).status_code == 403
    client.force_login(foreigner)
    assert client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk])).status_code == 404
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[deviation.reference, attachment.pk]))
    assert response.status_code == 200
    assert "Location" not in response
    assert b"".join(response.streaming_content) == PNG
