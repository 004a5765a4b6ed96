"""What the council may ask of the report builder: its own periods only, sensible dates, a bounded queue."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from avvik.core import queue
from avvik.council.models import CouncilReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(queue, "dispatch", lambda *args: True)


def ask(client, user, **data):
    client.force_login(user)
    return client.post(reverse("council:report_create"), {"p": "test", **data}, follow=True)


def test_a_council_member_cannot_make_a_report_over_chosen_dates(client, council_member):
    response = ask(client, council_member, period="custom", start="2026-10-01", end="2026-10-02")
    assert not CouncilReport.objects.exists()
    assert "Velg en gyldig periode" in response.content.decode() or "valid period" in response.content.decode()


def test_reports_are_made_for_completed_quarters_and_years_only_even_for_a_coordinator(client, coordinator):
    # A report is archived for the council: chosen dates or the running quarter could be set against
    # the completed periods' reports to uncover what those hide.
    with time_machine.travel("2026-11-26 09:00 +01:00", tick=False):
        ask(client, coordinator, period="custom", start="2026-10-01", end="9999-12-31")
        refused = ask(client, coordinator, period="custom", start="2026-07-01", end="2026-07-31").content.decode()
        ask(client, coordinator, period="2026Q4")
        assert not CouncilReport.objects.exists()
        with translation.override("nb"):
            assert translation.gettext("Reports are made for completed quarters and years only.") in refused
        ask(client, coordinator, period="2026Q3")
        ask(client, coordinator, period="2025")
    assert sorted(CouncilReport.objects.values_list("period_label", flat=True)) == ["2025", "2026 K3"]


def test_report_builds_are_limited_per_person(client, council_member):
    for _ in range(5):
        ask(client, council_member, period="2026Q3")
    assert CouncilReport.objects.count() == 2  # the rest refused with a message, nothing queued
    response = ask(client, council_member, period="2026Q3")
    assert response.status_code == 200 and CouncilReport.objects.count() == 2
