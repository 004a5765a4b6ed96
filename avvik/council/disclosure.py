"""The statistics as one audience may see them: exact for coordinators, protected for the council.

The statistics page, its charts and the quarterly PDF all read a Figures built here, so they can never
disagree about what is hidden. For the council every count from 1 to 4 reads "<5" (primary
suppression), and within each breakdown whose total the council also sees, further cells are hidden
so that no small count can be worked out by subtracting the visible cells from the total (secondary
suppression, see avvik.statistics.hidden_cells). A cell hidden for that reason reads "hidden", never
"<5": it is usually 5 or more.

A hidden count is not carried at all (its value is None), so no template or chart can show it by mistake."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from avvik.council import charts
from avvik.council.counting import Row, Statistics
from avvik.council.suppression import (
    SMALL_COUNT,
    SUPPRESSED,
    Hidden,
    hidden_cells,
    hidden_table_cells,
    hidden_text,
    small_count_given_away,
)

TOP_CLAUSES = 10  # the council sees the most frequent clauses and one line for the rest


@dataclass(frozen=True)
class Count:
    """A count as its reader sees it: the number, or None with the reason it is hidden."""

    value: int | None
    hidden: Hidden | None = None

    @classmethod
    def of(cls, count: int) -> "Count":
        """A count that is part of no breakdown: only primary suppression applies."""
        return cls.hiding(count, Hidden.SMALL if 0 < count < SMALL_COUNT else None)

    @classmethod
    def hiding(cls, count: int, reason: Hidden | None) -> "Count":
        return cls(count) if reason is None else cls(None, reason)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def withheld(self) -> bool:
        """Hidden to protect another count, not for being small itself."""
        return self.hidden is Hidden.COMPLEMENT

    @property
    def plotted(self) -> charts.Value:
        """The value for avvik.charts: a number, None for "<5" or charts.HIDDEN."""
        if self.hidden is Hidden.COMPLEMENT:
            return charts.HIDDEN
        return self.value

    def __str__(self) -> str:
        if self.hidden is Hidden.COMPLEMENT:
            return hidden_text()
        return SUPPRESSED if self.value is None else str(self.value)


@dataclass(frozen=True)
class Line:
    label: str
    count: Count


@dataclass(frozen=True)
class TrendPoint:
    label: str
    new: Count
    closed: Count


@dataclass(frozen=True)
class MatrixRow:
    label: str
    counts: list[Count]


@dataclass(frozen=True)
class RateLine:
    organisation: str
    kind: str
    count: Count
    volume: int
    per_thousand: float | None  # None when the count is hidden: rate times volume would give it back


@dataclass
class Figures:
    exact: bool
    new: Count
    closed: Count
    open_at_end: Count
    statutory_alerts: Count
    statutory_alerts_sent: Count
    measures_agreed: Count
    measures_done: Count
    by_category: list[Line] = field(default_factory=list)
    by_consequence: list[Line] = field(default_factory=list)
    by_clause: list[Line] = field(default_factory=list)  # for the council, the most frequent only
    other_clauses: int = 0  # how many clauses the "other clauses" line holds
    other_clauses_total: Count | None = None
    backlog: list[Line] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    rates: list[RateLine] = field(default_factory=list)

    @property
    def clause_lines(self) -> list[Line]:
        """The clause breakdown as one list, the "other clauses" line last."""
        if not self.other_clauses:
            return self.by_clause
        return [*self.by_clause, Line(_("Other clauses"), self.other_clauses_total)]


def figures_for(stats: Statistics, *, exact: bool) -> Figures:
    """The numbers of `stats` as coordinators (exact=True) or the council (exact=False) may see them."""
    if exact:
        return _exact(stats)
    new, closed = _period_totals(stats)
    alerts = stats.statutory_alerts
    sent_reason = hidden_cells([stats.statutory_alerts_sent, alerts - stats.statutory_alerts_sent]).get(0)
    top, rest = stats.by_clause[:TOP_CLAUSES], stats.by_clause[TOP_CLAUSES:]
    # The ten and the "other clauses" line together add up to the new deviations: one breakdown.
    counts = _protected([*top, Row("", sum(row.count for row in rest))] if rest else top)
    other = counts.pop() if rest else None
    clauses = _ranked([Line(row.label, count) for row, count in zip(top, counts, strict=True)])
    reporting = dict(
        zip(_labels(stats.by_reporting_organisation), _protected(stats.by_reporting_organisation), strict=True)
    )
    return Figures(
        exact=False,
        new=new,
        closed=closed,
        open_at_end=Count.of(stats.open_at_end),
        statutory_alerts=Count.of(alerts),
        statutory_alerts_sent=Count.hiding(stats.statutory_alerts_sent, sent_reason),
        measures_agreed=Count.of(stats.measures_agreed),
        measures_done=Count.of(stats.measures_done),
        by_category=_lines(stats.by_category, ranked=True),
        by_consequence=_lines(stats.by_consequence),
        by_clause=clauses,
        other_clauses=len(rest),
        other_clauses_total=other,
        backlog=_lines(stats.backlog_by_age),
        trend=[
            TrendPoint(label, Count.of(new_count), Count.of(closed_count))
            for label, new_count, closed_count in zip(
                stats.trend_labels, stats.trend_new, stats.trend_closed, strict=True
            )
        ],
        matrix_columns=list(stats.matrix_columns),
        matrix=_matrix(stats),
        rates=[
            _rate(
                rate.organisation, rate.kind, reporting.get(rate.organisation, Count(0)), rate.volume, rate.per_thousand
            )
            for rate in stats.rates
        ],
    )


def _exact(stats: Statistics) -> Figures:
    def lines(rows: list[Row]) -> list[Line]:
        return [Line(row.label, Count(row.count)) for row in rows]

    return Figures(
        exact=True,
        new=Count(stats.new),
        closed=Count(stats.closed),
        open_at_end=Count(stats.open_at_end),
        statutory_alerts=Count(stats.statutory_alerts),
        statutory_alerts_sent=Count(stats.statutory_alerts_sent),
        measures_agreed=Count(stats.measures_agreed),
        measures_done=Count(stats.measures_done),
        by_category=lines(stats.by_category),
        by_consequence=lines(stats.by_consequence),
        by_clause=lines(stats.by_clause),
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


def _labels(rows: list[Row]) -> list[str]:
    return [row.label for row in rows]


def _protected(rows: list[Row]) -> list[Count]:
    """One breakdown of a total the council sees, with small cells and their complements hidden."""
    hidden = hidden_cells([row.count for row in rows])
    return [Count.hiding(row.count, hidden.get(index)) for index, row in enumerate(rows)]


def _lines(rows: list[Row], *, ranked: bool = False) -> list[Line]:
    lines = [Line(row.label, count) for row, count in zip(rows, _protected(rows), strict=True)]
    return _ranked(lines) if ranked else lines


def _ranked(lines: list[Line]) -> list[Line]:
    """A list ordered by count, with the hidden lines last in label order: left in place, their rank
    among the visible ones (and each other) would narrow down what they hold."""
    shown = [line for line in lines if not line.count.suppressed]
    hidden = sorted((line for line in lines if line.count.suppressed), key=lambda line: line.label)
    return shown + hidden


def _matrix(stats: Statistics) -> list[MatrixRow]:
    hidden = hidden_table_cells(stats.matrix)
    return [
        MatrixRow(label, [Count.hiding(value, hidden.get((row, column))) for column, value in enumerate(values)])
        for row, (label, values) in enumerate(zip(stats.matrix_rows, stats.matrix, strict=True))
    ]


def _rate(organisation: str, kind: str, count: Count, volume: int, per_thousand: float | None) -> RateLine:
    return RateLine(organisation, kind, count, volume, None if count.suppressed else per_thousand)


def _period_totals(stats: Statistics) -> tuple[Count, Count]:
    """New and closed for the period. When the period is a run of whole quarters that the trend shows
    one by one (a year), the total is their sum: it is withheld when it would give a small quarter away,
    since each quarter's own figure is shown on its own page and cannot be hidden here."""
    quarters = stats.period.previous_quarters(len(stats.trend_labels))
    inside = [index for index, quarter in enumerate(quarters) if stats.period.start <= quarter.start]
    spans_quarters = (
        len(inside) > 1
        and quarters[inside[0]].start == stats.period.start
        and quarters[inside[-1]].end == stats.period.end
    )
    totals = []
    for total, trend in ((stats.new, stats.trend_new), (stats.closed, stats.trend_closed)):
        parts = [trend[index] for index in inside] if spans_quarters else []
        if parts and sum(parts) == total and small_count_given_away(parts):
            totals.append(Count(None, Hidden.COMPLEMENT))
        else:
            totals.append(Count.of(total))
    return totals[0], totals[1]
