"""A completed period's council figures are frozen at their first publication: a case changed later
(its category corrected, or deleted) changes the coordinators' figures, never the council's."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.models import Category
from avvik.council import freezing, services
from avvik.council.counting import NO_CLAUSE, statistics_for
from avvik.council.freezing import frozen_statistics, published_figures
from avvik.council.models import FrozenFigures
from avvik.council.periods import Period
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db

Q4 = Period.quarter(2026, 4)
PUBLISHED = "2027-01-15 09:00 +01:00"
LATER = "2027-02-20 09:00 +01:00"


def make_cases(world, reporter, coordinator, handler, n, *, at, status=Status.CLOSED):
    with time_machine.travel(at, tick=False):
        return [
            drive(
                file_case(reporter, world.municipality),
                status,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
            for _ in range(n)
        ]


def change_after_publication(world, cases):
    """A coordinator corrects the category of two cases and one case is deleted."""
    other = Category.objects.filter(partnership=world.partnership).exclude(pk=cases[0].category_id).first()
    Deviation.objects.filter(pk__in=[cases[0].pk, cases[1].pk]).update(category=other)
    Deviation.objects.filter(pk=cases[2].pk).delete()


def statistics_context(client, user, period: str, at: str):
    with time_machine.travel(at, tick=False):
        client.force_login(user)
        response = client.get(reverse("council:statistics"), {"period": period})
    assert response.status_code == 200
    return response


def test_the_council_page_shows_the_same_figures_after_a_case_of_the_quarter_changes(
    client, world, reporter, coordinator, handler, council_member
):
    cases = make_cases(world, reporter, coordinator, handler, 9, at="2026-10-05 09:00 +02:00")
    first = statistics_context(client, council_member, "2026Q4", PUBLISHED).context["figures"]
    change_after_publication(world, cases)

    again = statistics_context(client, council_member, "2026Q4", LATER)
    assert again.context["figures"] == first
    assert first.new.value == 9 and first.frozen_at is not None
    assert "15.01.2027" in again.content.decode()  # "Tallene ble låst 15.01.2027"
    coordinators = statistics_context(client, coordinator, "2026Q4", LATER).context["figures"]
    assert coordinators.exact and coordinators.new.value == 8 and coordinators.frozen_at is None
    assert sorted(line.count.value for line in coordinators.by_category) == [2, 6]


def test_a_new_report_version_shows_the_same_figures_as_the_first(
    client, world, reporter, coordinator, handler, council_member, monkeypatch
):
    cases = make_cases(world, reporter, coordinator, handler, 9, at="2026-10-05 09:00 +02:00")
    rendered = []
    real = services.render_report_html

    def recording(stats, **kwargs):
        html = real(stats, **kwargs)
        rendered.append((kwargs["figures"], html))
        return html

    monkeypatch.setattr(services, "render_report_html", recording)
    with time_machine.travel(PUBLISHED, tick=False):
        first = services.report_request(partnership=world.partnership, period=Q4, by=coordinator)
        assert services.report_build(report_id=first.pk)
    change_after_publication(world, cases)
    with time_machine.travel(LATER, tick=False):
        second = services.report_request(partnership=world.partnership, period=Q4, by=coordinator)
        assert services.report_build(report_id=second.pk)

    (first_figures, _first_html), (second_figures, second_html) = rendered
    assert second.version == 2
    assert second_figures == first_figures and second_figures.new.value == 9
    assert "15.01.2027" in second_html  # frozen with the first version, shown in every later one
    page = statistics_context(client, council_member, "2026Q4", LATER).context["figures"]
    assert page == first_figures  # the report came first, and the page follows it
    assert statistics_for(world.partnership, Q4).new == 8  # coordinators count the case that is gone


def test_the_year_built_after_its_quarters_froze_adds_up_to_their_frozen_figures(
    client, world, reporter, coordinator, handler, council_member
):
    made = {
        number: make_cases(world, reporter, coordinator, handler, count, at=at)
        for number, count, at in (
            (1, 6, "2026-02-03 09:00 +01:00"),
            (2, 7, "2026-05-05 09:00 +02:00"),
            (3, 5, "2026-08-04 09:00 +02:00"),
            (4, 8, "2026-11-03 09:00 +01:00"),
        )
    }
    quarters = {number: statistics_context(client, council_member, f"2026Q{number}", PUBLISHED) for number in made}
    change_after_publication(world, made[1])

    year = statistics_context(client, council_member, "2026", LATER)
    stats = year.context["stats"]
    frozen = [quarters[number].context["stats"] for number in made]
    assert stats.new == sum(quarter.new for quarter in frozen) == 26
    assert statistics_for(world.partnership, Period.year(2026)).new == 25  # live, as coordinators see it
    year_categories = {row.label: row.count for row in stats.by_category}
    assert year_categories == {
        label: sum(row.count for quarter in frozen for row in quarter.by_category if row.label == label)
        for label in {row.label for quarter in frozen for row in quarter.by_category}
    }
    assert stats.open_at_end == frozen[-1].open_at_end
    # Each quarter reads the same on its own page as when the year is protected with it.
    for number in made:
        again = statistics_context(client, council_member, f"2026Q{number}", LATER)
        assert again.context["figures"] == quarters[number].context["figures"]


def test_a_quarter_first_shown_in_a_trend_keeps_the_count_the_trend_showed(
    client, world, reporter, coordinator, handler, council_member
):
    q3 = make_cases(world, reporter, coordinator, handler, 6, at="2026-08-04 09:00 +02:00")
    make_cases(world, reporter, coordinator, handler, 7, at="2026-11-03 09:00 +01:00")
    q4 = statistics_context(client, council_member, "2026Q4", PUBLISHED).context["figures"]
    assert [point.new.value for point in q4.trend[-2:]] == [6, 7]
    assert FrozenFigures.objects.filter(partnership=world.partnership).count() == 8  # the trend's eight quarters
    change_after_publication(world, q3)

    q3_page = statistics_context(client, council_member, "2026Q3", LATER).context["stats"]
    assert q3_page.new == 6  # frozen when the fourth quarter's trend showed it


def test_frozen_counts_are_read_in_the_readers_language(world, reporter, coordinator, handler):
    make_cases(world, reporter, coordinator, handler, 5, at="2026-10-05 09:00 +02:00")
    with time_machine.travel(PUBLISHED, tick=False), translation.override("nb"):
        frozen_statistics(world.partnership, Q4)
    with time_machine.travel(LATER, tick=False), translation.override("nn"):
        frozen = frozen_statistics(world.partnership, Q4)[Q4]
        live = statistics_for(world.partnership, Q4)
    assert [row.label for row in frozen.by_consequence] == [row.label for row in live.by_consequence]
    assert [row.label for row in frozen.backlog_by_age] == [row.label for row in live.backlog_by_age]
    assert [row.label for row in frozen.by_clause] == [row.label for row in live.by_clause]
    stored = FrozenFigures.objects.get(partnership=world.partnership, period_start=Q4.start, period_end=Q4.end)
    assert stored.counts["by_clause"] == [[None, 5]]  # the no-clause line, in no language
    assert live.by_clause[0].label != NO_CLAUSE  # nynorsk, not the source text


def test_a_period_frozen_by_another_request_meanwhile_is_kept(world, reporter, coordinator, handler):
    make_cases(world, reporter, coordinator, handler, 5, at="2026-10-05 09:00 +02:00")
    with time_machine.travel(PUBLISHED, tick=False):
        kept = FrozenFigures.objects.create(
            partnership=world.partnership,
            period_label=Q4.label,
            period_start=Q4.start,
            period_end=Q4.end,
            threshold=5,
            counts=freezing.counts_of(statistics_for(world.partnership, Q4, with_trend=False)),
        )
        # As a second request that had not seen it yet would: count, store, meet the constraint.
        assert freezing._freeze(world.partnership, Q4, {}) == kept
    assert FrozenFigures.objects.filter(partnership=world.partnership).count() == 1


def test_the_threshold_a_period_was_frozen_under_stays_with_it(world, reporter, coordinator, handler):
    make_cases(world, reporter, coordinator, handler, 6, at="2026-10-05 09:00 +02:00")
    with time_machine.travel(PUBLISHED, tick=False):
        _stats, first = published_figures(world.partnership, Q4)
        world.partnership.small_count_threshold = 7
        world.partnership.save(update_fields=["small_count_threshold"])
        _stats, again = published_figures(world.partnership, Q4)
    assert first.new.value == 6 and again == first  # under 7 it would read "<7"


def test_a_running_quarter_is_counted_live_and_never_frozen(world, reporter, coordinator, handler):
    make_cases(world, reporter, coordinator, handler, 6, at="2026-10-05 09:00 +02:00")
    with time_machine.travel("2026-11-01 09:00 +01:00", tick=False):
        _stats, figures = published_figures(world.partnership, Q4)
    assert figures.frozen_at is None and not FrozenFigures.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_readings_at_once_store_the_period_once_and_show_the_same_figures(
    world, reporter, coordinator, handler, monkeypatch
):
    """Both readings look for stored counts before either writes: one row is kept, and both show it."""
    import threading

    from django.db import connection

    make_cases(world, reporter, coordinator, handler, 7, at="2026-10-05 09:00 +02:00")
    both_looked = threading.Barrier(2, timeout=10)
    looked = freezing._stored
    monkeypatch.setattr(freezing, "_stored", lambda *args: [looked(*args), both_looked.wait()][0])
    shown, errors = [], []

    def read():
        try:
            shown.append(published_figures(world.partnership, Q4)[1])
        except BaseException as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(PUBLISHED, tick=False):
        threads = [threading.Thread(target=read) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert len(shown) == 2 and shown[0] == shown[1] and shown[0].new.value == 7
    assert FrozenFigures.objects.filter(period_start=Q4.start, period_end=Q4.end).count() == 1
    assert FrozenFigures.objects.count() == 8  # the quarter and its trend, each once
