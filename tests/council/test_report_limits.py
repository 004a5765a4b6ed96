"""What the council may ask of the report builder: its own periods only, sensible dates, a bounded queue."""

import pytest
from django.urls import reverse

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


def test_a_coordinator_may_but_not_with_dates_far_out(client, coordinator):
    ask(client, coordinator, period="custom", start="2026-10-01", end="9999-12-31")
    assert not CouncilReport.objects.exists()
    ask(client, coordinator, period="custom", start="2026-10-01", end="2026-10-31")
    assert CouncilReport.objects.count() == 1


def test_report_builds_are_limited_per_person(client, council_member):
    for _ in range(5):
        ask(client, council_member, period="2026Q3")
    assert CouncilReport.objects.count() == 2  # the rest refused with a message, nothing queued
    response = ask(client, council_member, period="2026Q3")
    assert response.status_code == 200 and CouncilReport.objects.count() == 2
