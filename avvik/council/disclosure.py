"""The statistics as one audience may see them: exact for coordinators, protected for the council.

The statistics page, its charts and the quarterly PDF all read a Figures built here, so they can never
disagree about what is hidden. For the council, every figure is a cell of one system of sums (each
breakdown adds up to its total, an organisation's row in the matrix to its count, a year's cell to its
quarters' cells), and the cells to hide are chosen for the whole system at once (avvik.council.joint,
docs/disclosure.md). A small count reads "<5" (under the partnership's threshold); a count hidden to
protect it reads "hidden".

A hidden count is not carried at all (its value is None), so no template or chart can show it by mistake."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from avvik.council import charts
from avvik.council.counting import Row, Share, Statistics, statistics_for
from avvik.council.joint import Key, Relation, protect
from avvik.council.periods import Period
from avvik.council.suppression import SMALL_COUNT, Hidden, hidden_text, suppressed_mark
from avvik.tenancy.models import Partnership

TOP_CLAUSES = 10  # the council sees the most frequent clauses and one line for the rest
# A percentile over few cases is one of them: the 90th of five is the slowest case itself.
MIN_PERCENTILE_CASES = 10


@dataclass(frozen=True)
class Count:
    """A count as its reader sees it: the number, or None with the reason it is hidden."""

    value: int | None
    hidden: Hidden | None = None
    threshold: int = SMALL_COUNT

    @classmethod
    def of(cls, count: int, threshold: int = SMALL_COUNT) -> "Count":
        """A count that is part of no breakdown: only primary suppression applies."""
        return cls.hiding(count, Hidden.SMALL if 0 < count < threshold else None, threshold)

    @classmethod
    def hiding(cls, count: int, reason: Hidden | None, threshold: int = SMALL_COUNT) -> "Count":
        return cls(count, None, threshold) if reason is None else cls(None, reason, threshold)

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
        return suppressed_mark(self.threshold) if self.value is None else str(self.value)


@dataclass(frozen=True)
class Compliance:
    """A share of cases on time; for the council only when neither the on-time nor the late count is hidden."""

    percent: float | None
    total: Count
    on_time: Count

    @property
    def shown(self) -> bool:
        return self.percent is not None

    def __str__(self) -> str:
        if self.total.value == 0:
            return "–"
        if not self.shown:
            return str(self.total)
        percent = f"{self.percent:.1f}".replace(".", ",")
        return f"{percent} % ({self.on_time}/{self.total})"


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
    threshold: int = SMALL_COUNT
    triage_on_time: Compliance = field(default_factory=lambda: Compliance(None, Count(0), Count(0)))
    answer_on_time: Compliance = field(default_factory=lambda: Compliance(None, Count(0), Count(0)))
    answered: Count = field(default_factory=lambda: Count(0))
    handling_median: float | None = None  # None unless shown
    handling_p90: float | None = None
    by_category: list[Line] = field(default_factory=list)
    by_consequence: list[Line] = field(default_factory=list)
    by_clause: list[Line] = field(default_factory=list)  # for the council, the most frequent only
    other_clauses: int = 0  # how many clauses the "other clauses" line holds
    other_clauses_total: Count | None = None
    by_reporting_organisation: list[Line] = field(default_factory=list)
    backlog: list[Line] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    rates: list[RateLine] = field(default_factory=list)
    frozen_at: datetime | None = None  # when the council's figures of the period were first published

    @property
    def handling_shown(self) -> bool:
        return self.handling_median is not None

    @property
    def clause_lines(self) -> list[Line]:
        """The clause breakdown as one list, the "other clauses" line last."""
        if not self.other_clauses or self.other_clauses_total is None:
            return self.by_clause
        return [*self.by_clause, Line(_("Other clauses"), self.other_clauses_total)]


# The cells of the system


@dataclass
class Cells:
    """The figures of one period as cells of the system of sums, with the sums that hold between them."""

    values: dict[Key, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    unpublished: set[Key] = field(default_factory=set)
    totals: set[Key] = field(default_factory=set)  # shown as they are in every page's trend

    def add(self, key: Key, value: int, *, published: bool = True) -> Key:
        self.values[key] = value
        if not published:
            self.unpublished.add(key)
        return key

    def breakdown(self, total: Key, parts: Iterable[Key]) -> None:
        self.relations.append(Relation(total, tuple(parts)))

    def merge(self, other: "Cells") -> None:
        self.values.update(other.values)
        self.relations += other.relations
        self.unpublished |= other.unpublished
        self.totals |= other.totals


# Breakdowns whose year cell is the sum of the same cell in the four quarters.
ADDITIVE = (
    "new",
    "closed",
    "category",
    "consequence",
    "clause",
    "reporting",
    "pair",
    "alerts",
    "alerts_sent",
    "alerts_not_sent",
    "measures_agreed",
    "measures_done",
    "answered",
    "answered_on_time",
    "answered_late",
    "triaged",
    "triaged_on_time",
    "triaged_late",
)


@dataclass(frozen=True)
class Universe:
    """Every label a breakdown has in any period of a year, so that each period has a cell for each."""

    categories: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    @classmethod
    def of(cls, periods: Iterable[Statistics]) -> "Universe":
        periods = list(periods)
        return cls(
            categories=tuple(sorted({row.label for stats in periods for row in stats.by_category})),
            clauses=tuple(sorted({row.label for stats in periods for row in stats.by_clause})),
            organisations=tuple(
                sorted(
                    {row.label for stats in periods for row in stats.by_reporting_organisation}
                    | {label for stats in periods for label in stats.matrix_rows}
                )
            ),
        )


def cells_of(stats: Statistics, tag: str, universe: Universe | None = None) -> Cells:
    """The council's figures of `stats` as cells keyed (what, period, label…)."""
    universe = universe or Universe.of([stats])
    cells = Cells()
    new = cells.add(("new", tag), stats.new)
    closed = cells.add(("closed", tag), stats.closed)
    cells.totals |= {new, closed}

    categories = {row.label: row.count for row in stats.by_category}
    cells.breakdown(
        new, [cells.add(("category", tag, label), categories.get(label, 0)) for label in universe.categories]
    )
    cells.breakdown(
        new,
        [cells.add(("consequence", tag, str(index)), row.count) for index, row in enumerate(stats.by_consequence)],
    )
    # A clause outside the ten is counted in "other clauses" or is zero: the reader cannot tell which.
    clauses = {row.label: row.count for row in stats.by_clause}
    top = {row.label for row in stats.by_clause[:TOP_CLAUSES]}
    rest = len(stats.by_clause) > TOP_CLAUSES
    clause_keys = [
        cells.add(("clause", tag, label), clauses.get(label, 0), published=label in top or not rest)
        for label in universe.clauses
    ]
    if rest:
        other = cells.add(("other_clauses", tag), sum(row.count for row in stats.by_clause[TOP_CLAUSES:]))
        cells.breakdown(other, [key for key in clause_keys if key in cells.unpublished])
        cells.breakdown(new, [key for key in clause_keys if key not in cells.unpublished] + [other])
    else:
        cells.breakdown(new, clause_keys)

    # The reporting organisations' counts stand beside the rates; taken as known even where no volume is.
    reported = {row.label: row.count for row in stats.by_reporting_organisation}
    reporting = {
        label: cells.add(("reporting", tag, label), reported.get(label, 0)) for label in universe.organisations
    }
    cells.breakdown(new, reporting.values())
    for row_label, values in zip(stats.matrix_rows, stats.matrix, strict=True):
        cells.breakdown(
            reporting[row_label],
            [
                cells.add(("pair", tag, row_label, column), value)
                for column, value in zip(stats.matrix_columns, values, strict=True)
            ],
        )

    # Open cases at the end of a period: the same cells for a year and its fourth quarter.
    end = stats.period.end.isoformat()
    open_at_end = cells.add(("open", end), stats.open_at_end)
    cells.breakdown(
        open_at_end,
        [cells.add(("backlog", end, str(index)), row.count) for index, row in enumerate(stats.backlog_by_age)],
    )

    alerts = cells.add(("alerts", tag), stats.statutory_alerts)
    cells.breakdown(
        alerts,
        [
            cells.add(("alerts_sent", tag), stats.statutory_alerts_sent),
            cells.add(("alerts_not_sent", tag), stats.statutory_alerts - stats.statutory_alerts_sent, published=False),
        ],
    )
    cells.add(("measures_agreed", tag), stats.measures_agreed)
    cells.add(("measures_done", tag), stats.measures_done)
    # A percentage beside its total gives both the on-time and the late count.
    for name, share in (("triaged", stats.triage_on_time), ("answered", stats.answer_on_time)):
        cells.breakdown(
            cells.add((name, tag), share.total),
            [
                cells.add((f"{name}_on_time", tag), share.on_time),
                cells.add((f"{name}_late", tag), share.total - share.on_time),
            ],
        )
    return cells


def year_relations(year: Cells, quarters: Mapping[str, Cells], year_tag: str) -> list[Relation]:
    """A year's cell is the sum of the same cell in its four quarters, wherever that holds."""
    relations = []
    for key, value in year.values.items():
        if key[0] not in ADDITIVE or key[1] != year_tag:
            continue
        parts = tuple((key[0], tag, *key[2:]) for tag in quarters)
        found = [quarters[tag].values.get(part) for tag, part in zip(quarters, parts, strict=True)]
        # A triage in two quarters counts once in the year: where the sum does not hold, it is no relation.
        if None not in found and sum(v for v in found if v is not None) == value:
            relations.append(Relation(key, parts))
    return relations


def protect_quarter(stats: Statistics, tag: str) -> tuple[Cells, dict[Key, Hidden]]:
    """A quarter is protected on its own: its pattern never depends on the year that follows."""
    cells = cells_of(stats, tag, Universe.of([stats]))
    return cells, _protect(cells, threshold=_threshold(stats))


def protect_year(year: Statistics, quarters: list[Statistics]) -> tuple[Cells, dict[Key, Hidden]]:
    """A completed year with its four quarters: the quarters keep the pattern they were published
    with, and the year's cells are hidden so that no quarter's hidden cell can be worked out."""
    threshold = _threshold(year)
    fixed: dict[Key, Hidden | None] = {}
    system = Cells()
    by_tag: dict[str, Cells] = {}
    universe = Universe.of([year, *quarters])
    for stats in quarters:
        tag = stats.period.tag
        _alone, hidden = protect_quarter(stats, tag)
        # The same quarter again over the year's labels: the added cells are zeros (or clauses inside
        # "other clauses", unknown to the reader), so its pattern stays as published.
        cells = cells_of(stats, tag, universe)
        for key in cells.values:
            fixed[key] = hidden.get(key, Hidden.COMPLEMENT if key in cells.unpublished else None)
        by_tag[tag] = cells
        system.merge(cells)
    # Open at the end of the year: the fourth quarter's cells, already published and so fixed.
    year_cells = cells_of(year, year.period.tag, universe)
    system.merge(year_cells)
    system.relations += year_relations(year_cells, by_tag, year.period.tag)
    hidden = protect(
        system.values,
        system.relations,
        threshold=threshold,
        unpublished=system.unpublished,
        fixed=fixed,
    )
    return system, hidden


def _protect(cells: Cells, *, threshold: int) -> dict[Key, Hidden]:
    return protect(
        cells.values, cells.relations, threshold=threshold, unpublished=cells.unpublished, keep_visible=cells.totals
    )


def _threshold(stats: Statistics) -> int:
    """The threshold frozen with the figures, else the partnership's."""
    return stats.threshold or getattr(stats.partnership, "small_count_threshold", None) or SMALL_COUNT


# The figures


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
