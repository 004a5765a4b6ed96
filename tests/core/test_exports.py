"""Every CSV and XLSX the site writes neutralises formulas, the access log's included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from avvik.cases import services
from avvik.cases.choices import AccessKind
from avvik.core.exports import safe_cell
from tests.builders import file_case

pytestmark = pytest.mark.django_db

HOSTILE = "=cmd|' -C calc'!A0.txt"


@pytest.mark.parametrize("text", ["=1+1", "+47 22", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_are_left_as_they_are():
    assert [safe_cell(value) for value in ("SA-2026-K7MQ4X", 12, None, "Epikrise")] == [
        "SA-2026-K7MQ4X",
        "12",
        "",
        "Epikrise",
    ]


def test_the_access_log_export_neutralises_a_hostile_file_name(client, world, reporter, handler, request):
    org_admin = request.getfixturevalue("org_admin")
    deviation = file_case(reporter, world.municipality)
    deviation = services.deviation_transition(
        action="forward", deviation=deviation, by=request.getfixturevalue("coordinator"), to=world.municipality
    )
    attachment = services.attachment_add(
        deviation=deviation, by=reporter, upload=SimpleUploadedFile(HOSTILE, b"logg", "text/plain")
    )
    services.access_log_write(
        user=handler, kind=AccessKind.ATTACHMENT, deviation=deviation, detail=attachment.original_name
    )
    client.force_login(org_admin)
    body = b"".join(client.get(reverse("cases:my_access_log"), {"format": "csv"}).streaming_content).decode()
    assert HOSTILE in body
    assert f";'{HOSTILE}" in body and f";{HOSTILE}" not in body
