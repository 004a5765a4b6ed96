import pytest
from django.urls import reverse

from avvik.cases.choices import AccessKind
from avvik.cases.models.logs import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("case_json", "application/json"), ("case_pdf", "application/pdf"), ("case_package", "application/zip")],
)
def test_a_handler_downloads_each_export(client, closed_case, handler, name, content_type):
    client.force_login(handler)
    response = client.get(reverse(f"archive:{name}", args=[closed_case.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert closed_case.reference in response["Content-Disposition"]
    assert AccessLog.objects.filter(kind=AccessKind.CASE_EXPORT, user=handler).count() == 1


@pytest.mark.parametrize("name", ["case_json", "case_pdf", "case_package"])
def test_someone_who_cannot_read_the_case_gets_404_and_no_log(client, closed_case, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(f"archive:{name}", args=[closed_case.reference])).status_code == 404
    assert not AccessLog.objects.filter(kind=AccessKind.CASE_EXPORT).exists()


def test_the_case_page_offers_the_exports_and_the_package_once_ended(client, closed_case, handler):
    client.force_login(handler)
    page = client.get(reverse("cases:detail", args=[closed_case.reference])).content.decode()
    for name in ("case_json", "case_pdf", "case_package"):
        assert reverse(f"archive:{name}", args=[closed_case.reference]) in page
