"""The archive package of an ended case: metadata in the spirit of Noark 5, the case as PDF/A, the attachments.

Our subset of Noark 5's arkivstruktur (mappe → registrering → dokumentbeskrivelse →
dokumentobjekt) is described by `schema/arkivuttrekk.xsd`, shipped in the package too. It uses
its own namespace: it borrows Noark's names, it does not claim conformance with the standard.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils.text import get_valid_filename
from lxml import etree

from avvik.archive.documents import parties
from avvik.archive.selectors import AttachmentFacts, CaseRecord

NAMESPACE = "urn:samhandling:arkivuttrekk:1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "arkivuttrekk.xsd"
METADATA = "arkivuttrekk.xml"
SCHEMA_NAME = "arkivuttrekk.xsd"
PDF_FORMAT = "PDF/A-3b"


@dataclass(frozen=True)
class DocumentObject:
    """One file of the package as the metadata describes it."""

    number: int
    title: str
    role: str  # Noark's tilknyttetRegistreringSom: Hoveddokument or Vedlegg
    variant: str  # Noark's variantformat: Arkivformat or Produksjonsformat
    file_format: str
    path: str
    sha256: str
    size: int


def package(record: CaseRecord, *, pdf: bytes, pdf_sha256: str) -> bytes:
    """The ZIP: metadata, its schema, the case PDF/A and every attachment, checked against the schema."""
    reference = record.deviation.reference
    documents = [
        DocumentObject(
            number=1,
            title=record.deviation.title,
            role="Hoveddokument",
            variant="Arkivformat",
            file_format=PDF_FORMAT,
            path=f"dokumenter/{reference}.pdf",
            sha256=pdf_sha256,
            size=len(pdf),
        )
    ]
    for number, facts in enumerate(record.attachments, start=2):
        documents.append(_attachment_object(number, facts))
    metadata = metadata_xml(record, documents)
    validate(metadata)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(METADATA, metadata)
        archive.writestr(SCHEMA_NAME, SCHEMA_PATH.read_bytes())
        archive.writestr(documents[0].path, pdf)
        for document, facts in zip(documents[1:], record.attachments, strict=True):
            with facts.attachment.file.open("rb") as source, archive.open(document.path, "w") as target:
                for chunk in source.chunks():
                    target.write(chunk)
    return buffer.getvalue()


def _attachment_object(number: int, facts: AttachmentFacts) -> DocumentObject:
    # Numbered, so two attachments of the same name cannot overwrite each other in the ZIP.
    safe = get_valid_filename(facts.name) or "vedlegg"
    return DocumentObject(
        number=number,
        title=facts.name,
        role="Vedlegg",
        variant="Produksjonsformat",
        file_format=facts.content_type or "application/octet-stream",
        path=f"dokumenter/vedlegg/{number:03d}-{safe}",
        sha256=facts.sha256,
        size=facts.size,
    )


def metadata_xml(record: CaseRecord, documents: list[DocumentObject]) -> bytes:
    """arkivuttrekk.xml: one mappe (the case) with one registrering holding the documents."""
    deviation = record.deviation
    root = _element(None, "arkivuttrekk")
    _text(root, "arkivskaper", deviation.partnership.name)
    _text(root, "uttrekksdato", _when(record.exported_at))
    _text(root, "uttrekketAv", str(record.reader))
    folder = _element(root, "mappe")
    _text(folder, "systemID", deviation.reference)
    _text(folder, "saksnummer", deviation.reference)
    _text(folder, "tittel", deviation.title)
    _text(folder, "opprettetDato", _when(deviation.created_at))
    if deviation.closed_at:
        _text(folder, "avsluttetDato", _when(deviation.closed_at))
    _text(folder, "saksstatus", deviation.get_status_display())
    for party in parties(deviation):
        element = _element(folder, "korrespondansepart")
        _text(element, "korrespondanseparttype", party["role"])
        _text(element, "korrespondansepartNavn", party["name"])
        if party["organisation_number"]:
            _text(element, "organisasjonsnummer", party["organisation_number"])
        if party["unit"]:
            _text(element, "administrativEnhet", party["unit"])
    registration = _element(folder, "registrering")
    _text(registration, "registreringsID", f"{deviation.reference}-1")
    _text(registration, "tittel", deviation.title)
    _text(registration, "opprettetDato", _when(deviation.created_at))
    for document in documents:
        description = _element(registration, "dokumentbeskrivelse")
        _text(description, "dokumentnummer", str(document.number))
        _text(description, "tilknyttetRegistreringSom", document.role)
        _text(description, "tittel", document.title)
        item = _element(description, "dokumentobjekt")
        _text(item, "versjonsnummer", "1")
        _text(item, "variantformat", document.variant)
        _text(item, "format", document.file_format)
        _text(item, "referanseDokumentfil", document.path)
        _text(item, "sjekksum", document.sha256)
        _text(item, "sjekksumAlgoritme", "SHA-256")
        _text(item, "filstoerrelse", str(document.size))
    content: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return content


def validate(metadata: bytes) -> None:
    """Raise lxml's DocumentInvalid when the metadata does not follow our schema."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    schema.assertValid(etree.fromstring(metadata))


def _element(parent: etree._Element | None, name: str) -> etree._Element:
    tag = f"{{{NAMESPACE}}}{name}"
    if parent is None:
        return etree.Element(tag, nsmap={None: NAMESPACE})
    return etree.SubElement(parent, tag)


def _text(parent: etree._Element, name: str, value: str) -> None:
    _element(parent, name).text = value


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
