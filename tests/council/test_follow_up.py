"""The report's follow-up chapters: measures and their effect, recurrence, alerts and breaches, protected."""

import pytest
from django.utils import translation

from avvik.council import follow_up
from avvik.council.counting import Statistics
from avvik.council.periods import Period
from avvik.duties.selectors import DutyCounts
from avvik.measures.selectors import MeasureCounts

pytestmark = pytest.mark.django_db

Q4 = Period.quarter(2026, 4)
TOTALS = {"Measures carried out", "Alerts required", "Breaches"}


@pytest.fixture
def counts(monkeypatch):
    measures = MeasureCounts(
        agreed=12,
        carried_out=9,
        overdue=3,
        dropped=1,
        by_effect={"not_evaluated": 1, "effective": 6, "partly_effective": 2, "not_effective": 0},
        recurrences=2,
    )
    duties = DutyCounts(alerts_required=7, alerts_recorded=6, alerts_recorded_late=1, breaches=3, breaches_notified=2)
    monkeypatch.setattr(follow_up, "measure_counts", lambda *args: measures)
    monkeypatch.setattr(follow_up, "duty_counts", lambda *args: duties)


def stats_of(world, organisation=None):
    return Statistics(partnership=world.partnership, period=Q4, organisation=organisation)


def lines(chapter):
    return {line.label: line.count.value for line in chapter.lines}


def test_coordinators_see_every_count(world, counts):
    with translation.override("en"):
        chapters = follow_up.follow_up_chapters(stats_of(world), threshold=5, exact=True)
    by_title = {chapter.title: lines(chapter) for chapter in chapters}
    assert by_title["Measures agreed in the period"] == {"Agreed": 12}
    assert by_title["Effect of the measures carried out"] == {
        "Not evaluated yet": 1,
        "Effective": 6,
        "Partly effective": 2,
        "Not effective": 0,
        "Measures carried out": 9,
    }
    assert by_title["Statutory alerts (varselplikt) of the cases filed in the period"] == {
        "Recorded in time": 5,
        "Recorded late": 1,
        "Not recorded": 1,
        "Alerts required": 7,
    }
    assert by_title["Personal-data breaches that became known in the period"] == {
        "Notified to Datatilsynet": 2,
        "Not notified, with the reason recorded": 0,
        "Not yet decided": 1,
        "Breaches": 3,
    }


def test_the_council_sees_no_small_count_nor_one_it_could_work_out(world, counts):
    with translation.override("en"):
        chapters = follow_up.follow_up_chapters(stats_of(world), threshold=5, exact=False)
    for chapter in chapters:
        shown = lines(chapter)
        assert not any(value is not None and 0 < value < 5 for value in shown.values()), chapter.title
        total = chapter.lines[-1]
        if total.label in TOTALS and total.count.value is not None:
            # One hidden part of a published total would be the total minus the others.
            assert sum(1 for line in chapter.lines[:-1] if line.count.value is None) != 1, chapter.title


def test_one_organisations_figures_have_no_partnership_wide_chapters(world, counts):
    assert follow_up.follow_up_chapters(stats_of(world, world.hospital), threshold=5, exact=True) == []
