"""The traffic page's charts: SVG with a title and a text summary, and the numbers in a table beside."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from avvik.tenancy.choices import Role
from avvik.traffic.charts import MOST_PAIRS_DRAWN, failure_rate_chart, trend_chart
from avvik.traffic.models import Message
from avvik.traffic.selectors import Day, PairFigures
from tests.factories import UserFactory, grant


def pair(number: int, failed: int) -> PairFigures:
    return PairFigures(f"1000{number:02d}", "200002", f"Sender {number}", "Testvik", 100, failed, 0, None, None)


def test_the_failure_rate_is_drawn_in_per_cent_for_the_pairs_with_most_failures():
    svg = str(failure_rate_chart([pair(number, 40 - number) for number in range(MOST_PAIRS_DRAWN + 5)]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Sender 0 → Testvik" in svg and ">40<" in svg
    assert f"Sender {MOST_PAIRS_DRAWN} " not in svg


def test_the_trend_has_a_line_for_messages_and_one_for_failures():
    days = [Day(date(2026, 11, 1) + timedelta(days=offset), 10 + offset, offset % 3) for offset in range(30)]
    svg = str(trend_chart(days))
    assert 'id="chart-traffic-trend"' in svg
    assert "01.11." in svg and "30.11." in svg


@pytest.mark.django_db
def test_the_traffic_page_shows_both_charts_and_the_days_as_a_table(world, client):
    world.hospital.her_id = "100001"
    world.hospital.save()
    owner = UserFactory(email="meldingsansvarlig@sykehus.test")
    grant(owner, Role.MESSAGE_OWNER, organisation=world.hospital)
    now = timezone.now()
    for number in range(4):
        Message.objects.create(
            partnership=world.partnership,
            source="client:1",
            message_id=f"m-{number}",
            sender_her_id="100001",
            receiver_her_id="200002",
            sent_at=now - timedelta(hours=number),
            failed_at=now if number == 0 else None,
        )
    client.force_login(owner)
    page = client.get(reverse("traffic:traffic"))
    html = page.content.decode()
    assert 'id="chart-failure-rate"' in html and 'id="chart-traffic-trend"' in html
    days = page.context["days"]
    assert len(days) == 30
    assert (sum(day.messages for day in days), sum(day.failed for day in days)) == (4, 1)
