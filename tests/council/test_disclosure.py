"""What the council may see: the figures of the page, its charts and the PDF, built in one place."""

from django.utils import translation

from avvik.council import charts
from avvik.council.counting import Rate, Row, Share, Statistics
from avvik.council.disclosure import Count, council_figures, figures_for
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


def year_and_quarters(new: list[int], categories: list[list[int]]) -> dict[Period, Statistics]:
    """Consistent statistics for 2026 and its quarters: category A and B per quarter."""
    labels = [quarter.label for quarter in Period.year(2026).previous_quarters(8)]
    trend = [8, 8, 8, 8, *new]
    found = {}
    for number, (total, (a, b)) in enumerate(zip(new, categories, strict=True), start=1):
        quarter = Period.quarter(2026, number)
        found[quarter] = statistics(
            period=quarter,
            new=total,
            by_category=[Row("A", a), Row("B", b)],
            trend_labels=[q.label for q in quarter.previous_quarters(8)],
            trend_new=[*([8] * (8 - number)), *new[:number]][-8:],
            trend_closed=[0] * 8,
        )
    found[Period.year(2026)] = statistics(
        period=Period.year(2026),
        new=sum(new),
        by_category=[Row("A", sum(a for a, _b in categories)), Row("B", sum(b for _a, b in categories))],
        trend_labels=labels,
        trend_new=trend,
        trend_closed=[0] * 8,
    )
    return found


def test_the_year_hides_what_would_give_a_small_quarter_away_and_the_quarters_stay_as_published():
    periods = year_and_quarters(new=[10, 3, 10, 10], categories=[[5, 5], [3, 0], [10, 0], [5, 5]])
    _stats, year = council_figures(Partnership(), Period.year(2026), counted=lambda p, period: periods[period])
    # 33 beside the quarters' 10, "<5", 10 and 10 would say 3.
    assert year.new.withheld
    # A's year count holds the second quarter's 3; B's does not and stays.
    assert {line.label: str(line.count) for line in year.by_category}["B"] == "10"
    assert {line.label: line.count.suppressed for line in year.by_category}["A"]
    # Each quarter reads the same on its own page as when its year is protected.
    for number in range(1, 5):
        quarter = Period.quarter(2026, number)
        _stats, alone = council_figures(Partnership(), quarter, counted=lambda p, period: periods[period])
        assert alone == figures_for(periods[quarter], exact=False)
    assert [str(point.new) for point in year.trend][4:] == ["10", "<5", "10", "10"]


def test_the_partnerships_threshold_decides_what_is_small():
    rows = [Row("A", 20), Row("B", 6), Row("C", 7)]
    default = figures_for(statistics(new=33, by_category=rows), exact=False)
    assert not any(line.count.suppressed for line in default.by_category)
    strict = statistics(new=33, by_category=rows)
    strict.partnership.small_count_threshold = 8
    figures = figures_for(strict, exact=False)
    with translation.override("en"):
        assert {line.label: str(line.count) for line in figures.by_category} == {"A": "hidden", "B": "<8", "C": "<8"}


def test_percentiles_are_shown_to_the_council_only_over_at_least_ten_cases():
    few = statistics(answer_on_time=Share(9, 9), handling_median=2, handling_p90=7)
    enough = statistics(answer_on_time=Share(10, 10), handling_median=2, handling_p90=7)
    assert not figures_for(few, exact=False).handling_shown
    assert figures_for(few, exact=True).handling_p90 == 7  # coordinators read the exact figures
    assert figures_for(enough, exact=False).handling_p90 == 7
