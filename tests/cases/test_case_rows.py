"""A list's row drawn by the `deviation_row` tag: the same cells, names and escaping as the row's
template had, in the person's language."""

from datetime import datetime, time, timedelta
from html import escape

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from avvik.access.roles import roles_of
from avvik.cases.models.deviation import Deviation
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import deadline_badge
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def row(deviation: Deviation, user, *, alert_due: bool = False, language: str = "nb") -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load case_rows %}{% deviation_row deviation alert_due %}")
    with translation.override(language):
        return template.render(
            Context({"deviation": deviation, "alert_due": alert_due, "roles": roles_of(user), "request": request})
        )


@pytest.fixture
def forwarded(world, reporter, coordinator, handler):
    deviation = file_case(reporter, world.municipality, title='Epikrise <script>alert("x")</script> & mer')
    return drive(deviation, "forwarded", coordinator=coordinator, handler=handler, reporter=reporter)


def test_a_row_names_each_cell_and_links_the_case(forwarded, coordinator):
    html = row(forwarded, coordinator)
    assert html.startswith("<tr>") and html.endswith("</tr>")
    for label in ("Velg", "Referanse", "Tittel", "Status", "Konsekvens", "Kategori", "Fra → til", "Meldt"):
        assert f'data-label="{label}"' in html
    assert f'<a href="/avvik/{forwarded.reference}/">{forwarded.reference}</a>' in html
    reference = forwarded.reference
    assert f'<label class="visually-hidden" for="choose-{reference}">Velg {reference}</label>' in html
    assert f"{forwarded.reporting_organisation.name} → {forwarded.responsible_organisation.name}" in html
    assert forwarded.category.display_name in html
    assert "Varsel til Helsetilsynet" not in html


def test_a_row_escapes_what_people_typed(forwarded, coordinator):
    html = row(forwarded, coordinator)
    assert "<script>" not in html
    assert "Epikrise &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; mer" in html


def test_a_reporter_has_no_check_box_and_sees_the_counterpart_before_forwarding(world, reporter):
    deviation = file_case(reporter, world.municipality)
    html = row(deviation, reporter)
    assert "checkbox" not in html and 'data-label="Velg"' not in html
    assert f"{deviation.reporting_organisation.name} → {world.municipality.name}" in html


def test_a_row_shows_a_due_statutory_alert_and_speaks_the_persons_language(forwarded, coordinator):
    html = row(forwarded, coordinator, alert_due=True, language="en")
    assert '<span class="badge text-bg-danger">Statutory alert due</span>' in html
    assert 'data-label="From → to"' in html and 'data-label="Reference"' in html


def test_the_badges_and_dates_follow_the_language_from_row_to_row(forwarded, coordinator):
    """Badges and dates are kept once made, by language: rows alternating languages each get their own."""
    local_day = timezone.localdate(forwarded.created_at)
    for _ in range(2):
        norwegian, english = row(forwarded, coordinator), row(forwarded, coordinator, language="en")
        assert ">Videresendt</span>" in norwegian and ">Forwarded</span>" in english
        assert f">{local_day:%d.%m.%Y}</td>" in norwegian
        with translation.override("en"):
            assert f">{formats.date_format(local_day, 'SHORT_DATE_FORMAT')}</td>" in english
        assert "working day" in english and "virkedag" in norwegian


def test_the_link_is_the_address_django_gives_the_case_however_its_reference_is_written(forwarded, coordinator):
    for reference in ("SA-2026-000042", "SA 2026 æøå?", "SA-'&\"<x>#%"):
        forwarded.reference = reference
        html = row(forwarded, coordinator)
        assert f'<a href="{escape(reverse("cases:detail", args=[reference]))}">' in html


def test_the_deadline_badge_counts_from_the_day_the_row_is_drawn(forwarded, coordinator):
    """The badge is kept once made: by the working days left, so a later day gets its own."""
    calendar = calendar_for(forwarded.partnership_id)
    due = forwarded.answer_due
    first = calendar.working_days_between(timezone.localdate(), due) - 1
    for days_before in (first, first - 1):
        day = due - timedelta(days=1)
        while calendar.working_days_between(day, due) != days_before:
            day -= timedelta(days=1)
        with time_machine.travel(datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())):
            html = row(forwarded, coordinator)
            with translation.override("nb"):
                assert escape(deadline_badge(gettext("Answer"), days_before)) in html
