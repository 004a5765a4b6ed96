"""The statistics as one audience may see them: exact for coordinators, protected for the council.

The statistics page, its charts and the quarterly PDF all read a Figures built here, so they can never
disagree about what is hidden. For the council, every figure is a cell of one system of sums (each
breakdown adds up to its total, an organisation's row in the matrix to its count, a year's cell to its
quarters' cells), and the cells to hide are chosen for the whole system at once (avvik.council.joint,
docs/disclosure.md). A small count reads "<5" (under the partnership's threshold); a count hidden to
protect it reads "hidden".

A hidden count is not carried at all (its value is None), so no template or chart can show it by mistake."""

from collections.abc import Mapping

from avvik.council.counting import Row, Share, Statistics, statistics_for
from avvik.council.disclosure.cells import (
    ADDITIVE,
    Cells,
    Universe,
    _threshold,
    cells_of,
    protect_quarter,
    protect_year,
    year_relations,
)
from avvik.council.disclosure.figures import (
    MIN_PERCENTILE_CASES,
    TOP_CLAUSES,
    Compliance,
    Count,
    Figures,
    Line,
    MatrixRow,
    RateLine,
    TrendPoint,
)
from avvik.council.joint import Key
from avvik.council.periods import Period
from avvik.council.suppression import Hidden
from avvik.tenancy.models import Partnership

__all__ = [
    "ADDITIVE",
    "MIN_PERCENTILE_CASES",
    "TOP_CLAUSES",
    "Cells",
    "Compliance",
    "Count",
    "Figures",
    "Line",
    "MatrixRow",
    "RateLine",
    "TrendPoint",
    "Universe",
    "cells_of",
    "council_figures",
    "figures_for",
    "protect_quarter",
    "protect_year",
    "year_relations",
]


def council_figures(partnership: Partnership, period: Period, *, counted=statistics_for) -> tuple[Statistics, Figures]:
    """The statistics of a completed quarter or year and the figures the council sees of them.

    A year is protected with its four quarters (the subtraction of quarters from a year is the first
    thing a reader would try); a quarter on its own, which is also how it stands within its year.
    `counted` is statistics_for, or statistics_cached on the page.
    """
    stats = counted(partnership, period)
    if not period.is_year:
        return stats, figures_for(stats, exact=False)
    quarters = [counted(partnership, Period.quarter(period.start.year, number)) for number in range(1, 5)]
    _system, hidden = protect_year(stats, quarters)
    return stats, figures_for(stats, exact=False, hidden=hidden)


def figures_for(stats: Statistics, *, exact: bool, hidden: Mapping[Key, Hidden] | None = None) -> Figures:
    """The numbers of `stats` as coordinators (exact=True) or the council (exact=False) may see them.

    For the council, `hidden` is the pattern of the whole system the period belongs to (a year with
    its quarters, from protect_year); without it the period is protected on its own, as a quarter is.
    """
    if exact:
        return _exact(stats)
    tag = stats.period.tag or "period"
    if hidden is None:
        _cells, hidden = protect_quarter(stats, tag)
    threshold = _threshold(stats)
    end = stats.period.end.isoformat()

    def count(key: Key, value: int) -> Count:
        return Count.hiding(value, hidden.get(key), threshold)

    def lines(rows: list[Row], family: str, *, by_index: bool = False) -> list[Line]:
        return [
            Line(row.label, count((family, tag, str(index) if by_index else row.label), row.count))
            for index, row in enumerate(rows)
        ]

    top, rest = stats.by_clause[:TOP_CLAUSES], stats.by_clause[TOP_CLAUSES:]
    reporting = lines(stats.by_reporting_organisation, "reporting")
    shown_reporting = {line.label: line.count for line in reporting}
    answered = count(("answered", tag), stats.answer_on_time.total)
    handling = (
        not answered.suppressed
        and stats.answer_on_time.total >= MIN_PERCENTILE_CASES
        and stats.handling_median is not None
    )
    return Figures(
        exact=False,
        threshold=threshold,
        frozen_at=stats.frozen_at,
        new=count(("new", tag), stats.new),
        closed=count(("closed", tag), stats.closed),
        open_at_end=count(("open", end), stats.open_at_end),
        statutory_alerts=count(("alerts", tag), stats.statutory_alerts),
        statutory_alerts_sent=count(("alerts_sent", tag), stats.statutory_alerts_sent),
        measures_agreed=count(("measures_agreed", tag), stats.measures_agreed),
        measures_done=count(("measures_done", tag), stats.measures_done),
        triage_on_time=_compliance(stats.triage_on_time, count, "triaged", tag),
        answer_on_time=_compliance(stats.answer_on_time, count, "answered", tag),
        answered=answered,
        handling_median=stats.handling_median if handling else None,
        handling_p90=stats.handling_p90 if handling else None,
        by_category=_ranked(lines(stats.by_category, "category")),
        by_consequence=lines(stats.by_consequence, "consequence", by_index=True),
        by_clause=_ranked(lines(top, "clause")),
        other_clauses=len(rest),
        other_clauses_total=count(("other_clauses", tag), sum(row.count for row in rest)) if rest else None,
        by_reporting_organisation=_ranked(reporting),
        backlog=[
            Line(row.label, count(("backlog", end, str(index)), row.count))
            for index, row in enumerate(stats.backlog_by_age)
        ],
        # A quarter's total is hidden only when it is small itself, so each quarter reads the same here
        # as on its own page.
        trend=[
            TrendPoint(label, Count.of(new_count, threshold), Count.of(closed_count, threshold))
            for label, new_count, closed_count in zip(
                stats.trend_labels, stats.trend_new, stats.trend_closed, strict=True
            )
        ],
        matrix_columns=list(stats.matrix_columns),
        matrix=[
            MatrixRow(
                label,
                [
                    count(("pair", tag, label, column), value)
                    for column, value in zip(stats.matrix_columns, values, strict=True)
                ],
            )
            for label, values in zip(stats.matrix_rows, stats.matrix, strict=True)
        ],
        rates=[
            _rate(
                rate.organisation,
                rate.kind,
                shown_reporting.get(rate.organisation, Count(0, None, threshold)),
                rate.volume,
                rate.per_thousand,
            )
            for rate in stats.rates
        ],
    )


def _compliance(share: Share, count, name: str, tag: str) -> Compliance:
    total = count((name, tag), share.total)
    on_time = count((f"{name}_on_time", tag), share.on_time)
    late = count((f"{name}_late", tag), share.total - share.on_time)
    shown = share.total > 0 and not (total.suppressed or on_time.suppressed or late.suppressed)
    return Compliance(share.percent if shown else None, total, on_time)


def _exact(stats: Statistics) -> Figures:
    def lines(rows: list[Row]) -> list[Line]:
        return [Line(row.label, Count(row.count)) for row in rows]

    def compliance(share: Share) -> Compliance:
        return Compliance(share.percent, Count(share.total), Count(share.on_time))

    return Figures(
        exact=True,
        threshold=_threshold(stats),
        new=Count(stats.new),
        closed=Count(stats.closed),
        open_at_end=Count(stats.open_at_end),
        statutory_alerts=Count(stats.statutory_alerts),
        statutory_alerts_sent=Count(stats.statutory_alerts_sent),
        measures_agreed=Count(stats.measures_agreed),
        measures_done=Count(stats.measures_done),
        triage_on_time=compliance(stats.triage_on_time),
        answer_on_time=compliance(stats.answer_on_time),
        answered=Count(stats.answer_on_time.total),
        handling_median=stats.handling_median,
        handling_p90=stats.handling_p90,
        by_category=lines(stats.by_category),
        by_consequence=lines(stats.by_consequence),
        by_clause=lines(stats.by_clause),
        by_reporting_organisation=lines(stats.by_reporting_organisation),
        backlog=lines(stats.backlog_by_age),
        trend=[
            TrendPoint(label, Count(new), Count(closed))
            for label, new, closed in zip(stats.trend_labels, stats.trend_new, stats.trend_closed, strict=True)
        ],
        matrix_columns=list(stats.matrix_columns),
        matrix=[
            MatrixRow(label, [Count(value) for value in row])
            for label, row in zip(stats.matrix_rows, stats.matrix, strict=True)
        ],
        rates=[_rate(r.organisation, r.kind, Count(r.count), r.volume, r.per_thousand) for r in stats.rates],
    )


def _ranked(lines: list[Line]) -> list[Line]:
    """A list ordered by count, with the hidden lines last in label order: left in place, their rank
    among the visible ones (and each other) would narrow down what they hold."""
    shown = [line for line in lines if not line.count.suppressed]
    hidden = sorted((line for line in lines if line.count.suppressed), key=lambda line: line.label)
    return shown + hidden


def _rate(organisation: str, kind: str, count: Count, volume: int, per_thousand: float | None) -> RateLine:
    return RateLine(organisation, kind, count, volume, None if count.suppressed else per_thousand)
