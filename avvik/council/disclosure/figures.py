"""The figures as a reader sees them: counts, lines, rates, and the Figures the page, charts and PDF read."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from avvik.council import charts
from avvik.council.suppression import SMALL_COUNT, Hidden, hidden_text, suppressed_mark

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
