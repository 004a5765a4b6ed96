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


# The extension each accepted type is stored and served with, whatever the uploaded name said.
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}


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
        text = data.decode("utf-8-sig")  # a byte-order mark must not hide what the text begins with
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if _looks_like_markup(text):
        return None
    return "text/plain"


def _looks_like_markup(text: str) -> bool:
    """Text a browser could take for a page, an image or a script: it begins with a tag (a comment,
    a doctype, <svg, <html, …, also behind a byte-order mark or white space), or holds a script tag.
    Plain text such as a log or a copied message does not begin with "<"."""
    start = text.lstrip("\ufeff\ufffe \t\r\n\x0b\x0c")
    return start.startswith("<") or "<script" in text.lower()


def stored_name(original: str, content_type: str) -> str:
    """The name a file is served under: the uploaded name, with the extension of the type its content
    was found to be (a text file uploaded as `side.html` is served as `side.html.txt`)."""
    extension = EXTENSIONS[content_type]
    if PurePath(original).suffix.lower() in ({extension, ".jpeg"} if extension == ".jpg" else {extension}):
        return original
    return f"{original}{extension}"


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
