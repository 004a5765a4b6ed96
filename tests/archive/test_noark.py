import pytest
from lxml import etree

from avvik.archive import noark
from avvik.archive.selectors import case_record

pytestmark = pytest.mark.django_db


def metadata(closed_case, user) -> bytes:
    record = case_record(user, closed_case)
    document = noark.DocumentObject(
        number=1,
        title="Sak",
        role="Hoveddokument",
        variant="Arkivformat",
        file_format=noark.PDF_FORMAT,
        path="dokumenter/sak.pdf",
        sha256="0" * 64,
        size=10,
    )
    return noark.metadata_xml(record, [document])


def test_metadata_follows_the_schema(closed_case, handler):
    noark.validate(metadata(closed_case, handler))


def test_the_schema_refuses_a_document_without_checksum(closed_case, handler):
    root = etree.fromstring(metadata(closed_case, handler))
    checksum = root.find(f".//{{{noark.NAMESPACE}}}sjekksum")
    checksum.getparent().remove(checksum)
    with pytest.raises(etree.DocumentInvalid):
        noark.validate(etree.tostring(root))


def test_the_schema_refuses_a_checksum_that_is_not_sha256(closed_case, handler):
    root = etree.fromstring(metadata(closed_case, handler))
    root.find(f".//{{{noark.NAMESPACE}}}sjekksum").text = "md5:abc"
    with pytest.raises(etree.DocumentInvalid):
        noark.validate(etree.tostring(root))
