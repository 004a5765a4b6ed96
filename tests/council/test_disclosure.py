"""What the council may see: the figures of the page, its charts and the PDF, built in one place."""

from django.utils import translation

from avvik.council import charts
from avvik.council.counting import Rate, Row, Statistics
from avvik.council.disclosure import Count, figures_for
from avvik.council.periods import Period
from avvik.council.suppression import Hidden
from avvik.tenancy.models import Partnership

SMALL, COMPLEMENT = Hidden.SMALL, Hidden.COMPLEMENT


def test_a_secondarily_hidden_count_never_reads_less_than_five():
    counts = [Count.hiding(9, COMPLEMENT), Count.hiding(3, SMALL), Count.hiding(0, None)]
    with translation.override("en"):
        assert [str(count) for count in counts] == ["hidden", "<5", "0"]
    assert [count.plotted for count in counts] == [charts.HIDDEN, None, 0]
    assert all(count.value in (None, 0) for count in counts)  # the true number is not even carried


def statistics(period: Period | None = None, **numbers) -> Statistics:
    return Statistics(
        partnership=Partnership(name="Helsefellesskap Test"),
        period=period or Period.quarter(2026, 3),
        organisation=None,
        **numbers,
    )


def test_coordinators_see_every_number_exactly():
    stats = statistics(new=23, by_category=[Row("A", 20), Row("B", 3)], matrix_rows=["X"], matrix=[[2]])
    figures = figures_for(stats, exact=True)
    assert figures.exact and str(figures.new) == "23"
    assert [(line.label, str(line.count)) for line in figures.by_category] == [("A", "20"), ("B", "3")]
    assert str(figures.matrix[0].counts[0]) == "2"


def test_hidden_lines_of_a_ranked_list_go_last_in_label_order():
    stats = statistics(new=36, by_category=[Row("Ø", 20), Row("C", 9), Row("B", 4), Row("A", 3)])
    figures = figures_for(stats, exact=False)
    with translation.override("en"):
        lines = [(line.label, str(line.count)) for line in figures.by_category]
    # 4 and 3 are small and take the smallest other count, 9, with them.
    assert lines == [("Ø", "20"), ("A", "<5"), ("B", "<5"), ("C", "hidden")]


def test_fixed_scales_keep_their_order():
    rows = [Row("Ingen", 12), Row("Liten", 2), Row("Moderat", 7), Row("Alvorlig", 0), Row("Kritisk", 0)]
    figures = figures_for(statistics(new=21, by_consequence=rows), exact=False)
    with translation.override("en"):
        assert [str(line.count) for line in figures.by_consequence] == ["12", "<5", "hidden", "0", "0"]


def test_the_clause_list_is_the_ten_most_frequent_and_one_line_for_the_rest():
    clauses = [Row(f"6.{n}", 30 - n) for n in range(10)] + [Row("7.1", 2), Row("7.2", 1)]
    figures = figures_for(statistics(by_clause=clauses), exact=False)
    assert [line.label for line in figures.by_clause] == [f"6.{n}" for n in range(10)]
    assert figures.other_clauses == 2 and str(figures.other_clauses_total) == "<5"
    # The other line (3) is small: the smallest of the ten, 21, is hidden with it.
    assert figures.by_clause[-1].label == "6.9" and figures.by_clause[-1].count.withheld
    assert figures.clause_lines[-1].count == figures.other_clauses_total


def test_a_rate_is_not_shown_for_a_hidden_count():
    stats = statistics(
        new=23,
        by_reporting_organisation=[Row("Sykehuset", 20), Row("Kommunen", 3)],
        rates=[Rate("Sykehuset", "utskrivninger", 20, 1000), Rate("Kommunen", "innbyggere", 3, 400)],
    )
    rates = figures_for(stats, exact=False).rates
    assert [(rate.count.hidden, rate.per_thousand) for rate in rates] == [(COMPLEMENT, None), (SMALL, None)]
    assert [rate.per_thousand for rate in figures_for(stats, exact=True).rates] == [20.0, 7.5]


def test_alerts_sent_are_hidden_when_the_ones_not_sent_are_few():
    figures = figures_for(statistics(statutory_alerts=9, statutory_alerts_sent=7), exact=False)
    assert str(figures.statutory_alerts) == "9" and figures.statutory_alerts_sent.withheld


def test_a_year_total_that_would_give_a_small_quarter_away_is_hidden():
    year = Period.year(2026)
    labels = [quarter.label for quarter in year.previous_quarters(8)]
    stats = statistics(
        period=year,
        new=33,
        closed=40,
        trend_labels=labels,
        trend_new=[8, 8, 8, 8, 10, 3, 10, 10],
        trend_closed=[9, 9, 9, 9, 10, 10, 10, 10],
    )
    figures = figures_for(stats, exact=False)
    assert figures.new.withheld and str(figures.closed) == "40"
    assert [str(point.new) for point in figures.trend][4:] == ["10", "<5", "10", "10"]
    # A quarter is its own total: the same quarter's figures stay as they are.
    quarter = statistics(
        period=Period.quarter(2026, 2), new=3, trend_labels=labels, trend_new=[8] * 8, trend_closed=[8] * 8
    )
    assert str(figures_for(quarter, exact=False).new) == "<5"
