"""The statistics page and the PDF report draw their charts from one builder, so they never disagree."""

import re
import subprocess
from html import unescape

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from avvik.cases.choices import Status
from avvik.catalogue.models import Category
from avvik.council import services
from avvik.council.counting import statistics_for
from avvik.council.disclosure import council_figures, figures_for
from avvik.council.periods import Period
from avvik.council.presentation import protected_chapter, report_content, report_context, report_title
from avvik.council.suppression import hidden_text
from tests.builders import drive, file_case
from tests.processes import require

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


def _page_pairs(html: str, start: str, end: str) -> dict[str, str]:
    """Label → text of the page's rows between two markers: <dt>/<dd> pairs and <th>/<td> table rows."""
    part = html.split(start, 1)[1].split(end, 1)[0]
    rows = re.findall(r"<(?:dt|th)[^>]*>\s*(.*?)\s*</(?:dt|th)>\s*<(?:dd|td)[^>]*>\s*(.*?)\s*</(?:dd|td)>", part, re.S)
    return {unescape(label): unescape(text).replace("\xa0", " ") for label, text in rows}


def _pdf_beside(text: str, label: str) -> str:
    """The text to the right of `label` on its line of the PDF (columns are two or more spaces apart)."""
    found = re.findall(rf"^\s*{re.escape(label)}\s{{2,}}(\S+(?: \S+)*)\s*$", text, re.MULTILINE)
    assert found, f"{label!r} is not in the PDF"
    return found[0]


def test_the_page_and_the_pdf_of_the_same_period_and_reader_show_the_same_figures(
    client, world, reporter, coordinator, handler, council_member, tmp_path, settings
):
    """Six cases, two of them triaged late: the page read "skjult" and the PDF "skjult saker" or
    "6 saker" for the same count, as each template worded the figures its own way."""
    require("pdftotext", "apt-get install poppler-utils")
    settings.SITE_URL = "http://127.0.0.1:8000"
    world.partnership.council_name = "SSU"
    world.partnership.save()
    first, second = Category.objects.filter(partnership=world.partnership).order_by("position")[:2]
    with time_machine.travel("2026-07-06 09:00 +02:00", tick=False):
        late = [file_case(reporter, world.municipality, category=second) for _ in range(2)]
        for _ in range(4):
            drive(
                file_case(reporter, world.municipality, category=first),
                Status.CLOSED,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
    with time_machine.travel("2026-08-20 09:00 +02:00", tick=False):
        for deviation in late:
            drive(deviation, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    with time_machine.travel("2026-10-10 09:00 +02:00", tick=False):
        client.force_login(council_member)
        page = client.get(reverse("council:statistics"), {"period": "2026Q3"}, HTTP_ACCEPT_LANGUAGE="nb")
        report = services.report_request(partnership=world.partnership, period=Period.quarter(2026, 3))
        services.report_build(report_id=report.pk)
    report.refresh_from_db()
    html = page.content.decode()
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", report.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout

    with translation.override("nb"):
        title = report_title(world.partnership, Period.quarter(2026, 3))
    assert "SSU" in title
    assert title in unescape(html)
    assert title in " ".join(text.split())

    summary = _page_pairs(html, "stats-summary", "</dl>")
    assert len(summary) == 11
    assert "skjult" in summary.values()  # the case the two templates once worded apart
    for label, shown in summary.items():
        assert _pdf_beside(text, label) == shown, label

    content = page.context["content"]
    for key in ("category", "consequence", "clause"):
        chapter = content["chapters"][key]
        assert chapter.title in " ".join(text.split())
        rows = _page_pairs(html, f'id="{key}-heading"', "</section>")
        assert rows == {line.label: str(line.count) for line in chapter.lines}
        for label, shown in rows.items():
            assert _pdf_beside(text, label) == shown, (key, label)
    for point in content["trend"]:
        assert re.search(rf"^\s*{re.escape(point.label)}\s{{2,}}{point.new}\s{{2,}}{point.closed}\s*$", text, re.M)


MEASURES = {"Carried out": 12, "Not yet due": 3, "Overdue": 9}


def test_a_chapter_from_plain_counts_hides_a_small_count_and_enough_to_protect_it():
    chapter = protected_chapter("measures", "Measures", MEASURES, threshold=5, total_label="All agreed")
    shown = {line.label: str(line.count) for line in chapter.lines}
    # 3 is small; with the total 24 shown, the smallest other part (9) is hidden with it.
    assert shown == {"Carried out": "12", "Not yet due": "<5", "Overdue": hidden_text(), "All agreed": "24"}
    assert "12" in chapter.chart and ">9<" not in chapter.chart and ">3<" not in chapter.chart


def test_a_chapter_without_its_total_hides_the_small_count_only_and_coordinators_see_every_count():
    alone = protected_chapter("measures", "Measures", MEASURES, threshold=5)
    assert [str(line.count) for line in alone.lines] == ["12", "<5", "9"]
    exact = protected_chapter("measures", "Measures", MEASURES, threshold=5, total_label="All", exact=True)
    assert [str(line.count) for line in exact.lines] == ["12", "3", "9", "24"]
    raised = protected_chapter("measures", "Measures", MEASURES, threshold=10)
    assert [str(line.count) for line in raised.lines] == ["12", "<10", "<10"]


def test_an_extra_chapter_is_on_the_page_and_in_the_pdf(world):
    stats = statistics_for(world.partnership, Period.quarter(2026, 3))
    chapter = protected_chapter("alerts", "Privacy breaches by kind", {"Wrong recipient": 7, "Lost": 2}, threshold=5)
    figures = figures_for(stats, exact=False)
    content = report_content(figures, partnership=world.partnership, period=stats.period, extra=[chapter])
    assert content["extra_chapters"] == [chapter]
    with translation.override("nb"):
        context = report_context(stats, summaries=[], generated_at=timezone.now())
        context["content"] = content
        html = render_to_string("council/report_pdf.html", context)
    assert "Privacy breaches by kind" in html and "Wrong recipient" in html
