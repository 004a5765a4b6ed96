"""What the council's numbers are: the dataclasses every reader (page, export, PDF) gets, and the
labels and buckets they are shown with."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from avvik.council.periods import Period
from avvik.council.suppression import suppress
from avvik.tenancy.models import Organisation, Partnership


@dataclass
class Row:
    label: str
    count: int
    rate: float | None = None  # per 1,000 of the organisation's volume, where known


@dataclass
class Share:
    on_time: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.total, 1) if self.total else None

    @property
    def safe_for_council(self) -> bool:
        """A percentage with its total reveals both counts: each must be 0 or at least 5."""
        late = self.total - self.on_time
        return all(suppress(count) is not None for count in (self.on_time, late))


@dataclass
class Rate:
    organisation: str
    kind: str
    count: int
    volume: int

    @property
    def per_thousand(self) -> float | None:
        return round(1000 * self.count / self.volume, 2) if self.volume else None


@dataclass
class Statistics:
    partnership: Partnership
    period: Period
    organisation: Organisation | None
    new: int = 0
    closed: int = 0
    open_at_end: int = 0
    by_category: list[Row] = field(default_factory=list)
    by_clause: list[Row] = field(default_factory=list)
    by_consequence: list[Row] = field(default_factory=list)
    by_reporting_organisation: list[Row] = field(default_factory=list)
    matrix_rows: list[str] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    triage_on_time: Share = field(default_factory=lambda: Share(0, 0))
    answer_on_time: Share = field(default_factory=lambda: Share(0, 0))
    handling_median: float | None = None
    handling_p90: float | None = None
    backlog_by_age: list[Row] = field(default_factory=list)
    statutory_alerts: int = 0
    statutory_alerts_sent: int = 0
    measures_agreed: int = 0
    measures_done: int = 0
    trend_labels: list[str] = field(default_factory=list)
    trend_new: list[int] = field(default_factory=list)
    trend_closed: list[int] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    counted_at: datetime = field(default_factory=timezone.now)
    # Working days from filing to answer, one per answered case: a year's median from its quarters'.
    handling_days: list[int] = field(default_factory=list)
    # The period's monthly counts by measure and item ({measure: {item: cases}}) when the figures
    # were summed from them, for the chapters that read more of them (the hotspots); None otherwise.
    monthly_items: dict[str, dict[str, int]] | None = None
    # Set when the figures come from the snapshot taken at first publication (avvik.council.freezing),
    # with the threshold they are protected under from then on.
    frozen_at: datetime | None = None
    threshold: int | None = None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (what a spreadsheet user can check by hand)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


# The clause line of cases without one; kept as its source text in frozen figures, translated when read.
NO_CLAUSE = gettext_noop("No clause given")


@dataclass
class Counts:
    """The figures that are plain counts of cases, however they were counted."""

    new: int = 0
    closed: int = 0
    by_category: list[Row] = field(default_factory=list)
    by_clause: list[Row] = field(default_factory=list)
    consequences: dict[str, int] = field(default_factory=dict)
    pairs: dict[tuple[int, int | None], int] = field(default_factory=dict)
    serious: int = 0
    measures_agreed: int = 0
    measures_done: int = 0


BACKLOG_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))


def backlog_labels() -> list[str]:
    """The age buckets' labels, in the active language."""
    return [
        _("{low}–{high} working days").format(low=low, high=high)
        if high
        else _("over {low} working days").format(low=low - 1)
        for low, high in BACKLOG_BUCKETS
    ]
