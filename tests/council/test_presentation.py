"""The statistics page and the PDF report draw their charts from one builder, so they never disagree."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from avvik.council.disclosure import council_figures
from avvik.council.periods import Period
from avvik.council.presentation import report_context
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def test_the_council_sees_the_same_charts_and_titles_on_the_page_and_in_the_pdf(
    client, world, reporter, council_member
):
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        for _ in range(7):
            file_case(reporter, world.municipality)
        file_case(reporter, world.bystander_org)
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        client.force_login(council_member)
        page = client.get(reverse("council:statistics"), {"period": "2026Q4"}, HTTP_ACCEPT_LANGUAGE="nb")
        with translation.override("nb"):
            stats, figures = council_figures(world.partnership, Period.quarter(2026, 4))
            pdf = report_context(stats, summaries=[], generated_at=timezone.now(), figures=figures)
    on_page = page.context["chapters"]
    assert set(on_page) == {"trend", "category", "consequence", "clause", "matrix"}
    assert on_page == pdf["chapters"]
    for chapter in on_page.values():
        assert chapter.title in page.content.decode()
