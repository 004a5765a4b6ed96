"""Uploads: the content decides the type, the type decides the extension, and markup never passes as text."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from avvik.cases import services
from avvik.core.uploads import sniff_content_type, stored_name, validate_upload
from tests.builders import PNG, file_case

MARKUP = [
    b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"<!-- logg -->\n<html><body onload=alert(1)>",
    b"  \r\n<?xml version='1.0'?><svg/>",
    b"<a href=javascript:alert(1)>klikk</a>",
    "\ufeff<!DOCTYPE html><p>hei</p>".encode(),
]


@pytest.mark.parametrize("content", MARKUP)
def test_text_that_begins_like_markup_is_refused(content):
    upload = SimpleUploadedFile("logg.txt", content, content_type="text/plain")
    assert sniff_content_type(upload) is None
    with pytest.raises(ValidationError):
        validate_upload(upload)


def test_plain_text_with_a_byte_order_mark_is_accepted():
    assert sniff_content_type(SimpleUploadedFile("logg.txt", "\ufeffMelding sendt 10:31".encode())) == "text/plain"


@pytest.mark.parametrize(
    ("name", "content_type", "served"),
    [
        ("side.html", "text/plain", "side.html.txt"),
        ("bilde.svg", "text/plain", "bilde.svg.txt"),
        ("skript.bat", "application/pdf", "skript.bat.pdf"),
        ("notat.txt", "text/plain", "notat.txt"),
        ("foto.JPEG", "image/jpeg", "foto.JPEG"),
        ("foto.jpg", "image/jpeg", "foto.jpg"),
    ],
)
def test_a_file_is_served_with_the_extension_of_what_it_is(name, content_type, served):
    assert stored_name(name, content_type) == served


@pytest.mark.django_db
def test_the_stored_and_served_names_follow_the_content_not_the_uploaded_name(world, reporter):
    deviation = file_case(reporter, world.municipality)
    text = services.attachment_add(
        deviation=deviation, by=reporter, upload=SimpleUploadedFile("side.html", b"Meldingslogg", "text/html")
    )
    image = services.attachment_add(
        deviation=deviation, by=reporter, upload=SimpleUploadedFile("skjerm.bat", PNG, "application/octet-stream")
    )
    assert (text.original_name, text.content_type) == ("side.html.txt", "text/plain")
    assert text.file.name.endswith(".txt") and image.file.name.endswith(".png")
    assert image.original_name == "skjerm.bat.png"
