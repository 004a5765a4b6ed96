"""Reading our own PDFs in tests: their text (poppler's pdftotext) and their XMP metadata."""

import contextlib
import re
import subprocess
import zlib


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, inflated where it is compressed."""
    found = []
    # The data may itself end in a carriage return, so only the line feed is the separator.
    for match in re.finditer(rb"stream\r?\n(.*?)\nendstream", pdf, re.S):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):  # an uncompressed stream stays as it is
            raw = zlib.decompressobj().decompress(raw)
        found.append(raw)
    return found


def pdfa_part(pdf: bytes) -> str | None:
    """The PDF/A part the XMP metadata declares (pdfaid:part), or None."""
    for stream in pdf_streams(pdf):
        match = re.search(rb'pdfaid:part(?:="|>)(\d)', stream)
        if match:
            return match.group(1).decode()
    return None
