"""Checks for uploaded attachments: the type is read from the content, never from the name."""

import unicodedata
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.core.files.base import File

# Leading bytes of each accepted binary type.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


# Text that a browser could treat as a page or a script is not "plain text" for us.
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")


def sniff_content_type(upload: "File[bytes]") -> str | None:
    """The accepted type the content really is, or None."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if text.lstrip().lower().encode()[:20].startswith(_MARKUP_STARTS) or "<script" in text.lower():
        return None
    return "text/plain"


def clean_file_name(name: str) -> str:
    """The last part of the name, without control characters or path separators."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/"))
    name = PurePath(name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:150] or "vedlegg"


def validate_upload(upload: "File[bytes]") -> str:
    """Raise ValidationError for a file we do not accept; return its real content type."""
    name = clean_file_name(upload.name or "")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("{name} is {size} MB. A file may be at most {limit} MB.").format(
                name=name, size=_megabytes(upload.size), limit=_megabytes(limit)
            ),
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("{name} is empty.").format(name=name), code="file_empty")
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "{name} is not a PDF, PNG, JPEG or plain text file. "
                "The content of the file decides, not its name; save it as PDF and try again."
            ).format(name=name),
            code="file_type",
        )
    return content_type


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")
