"""The council's numbers for a partnership and a period, built in one place and returned as a
dataclass. The page, the export and the PDF all read this, so they always agree."""

import math
import re
import statistics as pystats
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from avvik.choices import OPEN_STATUSES, SERIOUS_CONSEQUENCES, Consequence, Status
from avvik.deadlines import calendar_for, local_date
from avvik.models import Deviation, Organisation, Partnership, Transition, Volume

SMALL_COUNT = 5  # counts from 1 to 4 are shown to the council as "<5"


def suppress(value: int) -> int | None:
    """None stands for "<5": small counts could point at a patient or a person."""
    return None if 0 < value < SMALL_COUNT else value


class Hidden(Enum):
    """Why the council does not see a count."""

    SMALL = "small"  # primary: a count from 1 to 4, shown as "<5"
    COMPLEMENT = "complement"  # secondary: hidden so that a small count cannot be worked out from a total


def hidden_cells(counts: Sequence[int], *, total_known: bool | None = None) -> dict[int, Hidden]:
    """The cells of a breakdown the council must not see, by index, with the reason for each.

    `counts` add up to a total the council sees (unless `total_known` is False; by default the
    total is known when it is 5 or more, as a smaller one is itself shown as "<5"). Every count
    from 1 to 4 is hidden as SMALL, and with it the smallest other non-zero cell as a COMPLEMENT:
    with one small cell hidden, the total gives it away; with a second cell hidden, only their sum
    is known. While the total minus the visible cells would still pin a small cell down exactly
    (1 and 5 out of 16 beside a visible 10: "<5" is at least 1 and "hidden" at least 5, so they can
    only be 1 and 5), the next smallest non-zero cell is hidden too. Zeros stay visible. When every
    non-zero cell is hidden and a small one can still be worked out (1 and 5 out of 6, or 4 and 4
    out of 8), the whole breakdown is withheld, zeros included, and no cell reads "<5", so that the
    council cannot tell which cell held what.

    "Pinned down" is judged as someone who knows this rule would: a small cell lies in 1..4, a
    complement is at least 5 and, being picked smallest first, at most the smallest visible
    non-zero cell. Ties are broken by position, so the result depends on the counts only.
    """
    hidden = {index: Hidden.SMALL for index, count in enumerate(counts) if 0 < count < SMALL_COUNT}
    if total_known is None:
        total_known = sum(counts) >= SMALL_COUNT
    if not hidden or not total_known:
        return hidden
    return _completed(counts, hidden)


def small_count_given_away(counts: Sequence[int]) -> bool:
    """Whether showing the total of `counts` beside them (small ones as "<5") would pin a small one down."""
    hidden = {index: Hidden.SMALL for index, count in enumerate(counts) if 0 < count < SMALL_COUNT}
    return bool(hidden) and sum(counts) >= SMALL_COUNT and _small_cell_determined(counts, hidden)


def hidden_table_cells(table: Sequence[Sequence[int]]) -> dict[tuple[int, int], Hidden]:
    """The cells of a two-way table the council must not see, keyed by (row, column).

    Row and column totals are taken as known whenever they are 5 or more (the reporting
    organisations' counts appear beside the rates, and a cautious reading assumes the rest can
    be had too). The one-way rule of hidden_cells() runs over every row and every column, where
    no hidden cell may stand alone either, and again over all of them until a pass hides nothing
    new, since a complement hidden in a row can leave a column with one hidden cell; a line that
    cannot be protected cell by cell is withheld whole. This is the usual heuristic, not a full audit (which
    would solve a linear programme over the whole table); it stops exact recovery along any one
    row or column, which is what a reader with the totals can do by subtraction.
    """
    hidden = {
        (row, column): Hidden.SMALL
        for row, counts in enumerate(table)
        for column, count in enumerate(counts)
        if 0 < count < SMALL_COUNT
    }
    width = len(table[0]) if table else 0
    lines = [[(row, column) for column in range(width)] for row in range(len(table))]
    lines += [[(row, column) for row in range(len(table))] for column in range(width)]
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            counts = [table[row][column] for row, column in line]
            inside = {index: hidden[cell] for index, cell in enumerate(line) if cell in hidden}
            if not inside or sum(counts) < SMALL_COUNT:
                continue
            for index, reason in _completed(counts, inside).items():
                if hidden.get(line[index]) is not reason:  # new, or a small cell of a withheld line
                    hidden[line[index]] = reason
                    changed = True
    return hidden


def _completed(counts: Sequence[int], hidden: dict[int, Hidden]) -> dict[int, Hidden]:
    """Complements added to `hidden` until no small count in the line can be worked out."""
    hidden = dict(hidden)
    # One complement whenever a small cell is hidden, whatever the small counts add up to: adding
    # it only when they add up to 1 + 1 or 4 + 4 would tell a reader that they do. And never one
    # hidden cell alone in a line of a table: the total gives it, and then its crossing line.
    needs_complement = Hidden.COMPLEMENT not in hidden.values() or len(hidden) == 1
    while needs_complement or _small_cell_determined(counts, hidden):
        needs_complement = False
        candidates = [index for index, count in enumerate(counts) if count > 0 and index not in hidden]
        if not candidates:  # withheld whole: "<5" beside the rest would still give the small one away
            return dict.fromkeys(range(len(counts)), Hidden.COMPLEMENT)
        hidden[min(candidates, key=lambda index: (counts[index], index))] = Hidden.COMPLEMENT
    return hidden


def _small_cell_determined(counts: Sequence[int], hidden: dict[int, Hidden]) -> bool:
    """Whether the total minus the visible cells fixes some hidden count from 1 to 4 to one value.

    Each hidden cell lies between a lower and an upper bound; with the sum of the hidden cells
    known, cell i lies in [max(low_i, sum - other highs), min(high_i, sum - other lows)].
    """
    visible = [(count, index) for index, count in enumerate(counts) if index not in hidden and count > 0]
    bounds = {}
    for index, reason in hidden.items():
        count = counts[index]
        if reason is Hidden.SMALL:
            bounds[index] = (1, SMALL_COUNT - 1)
        else:
            # Picked smallest first, ties by position: at most each visible cell after it, and below
            # each one before it. The bounds never exclude the truth (a complement from a crossing line,
            # or a withheld line's zeros and small counts).
            ceiling = min((other if after > index else other - 1 for other, after in visible), default=math.inf)
            bounds[index] = (SMALL_COUNT if count >= SMALL_COUNT else 0, max(count, ceiling))
    total = sum(counts[index] for index in hidden)
    for index in hidden:
        if not 0 < counts[index] < SMALL_COUNT:
            continue
        others = [bound for other, bound in bounds.items() if other != index]
        low, high = bounds[index]
        lowest = max(low, total - sum(other_high for _other_low, other_high in others))
        highest = min(high, total - sum(other_low for other_low, _other_high in others))
        if lowest == highest:
            return True
    return False


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        first = date(year, 3 * (number - 1) + 1, 1)
        following = date(year + (number == 4), (3 * number) % 12 + 1, 1)
        return cls(first, following - timedelta(days=1), f"{year} K{number}")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), str(year))

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2026Q3' or '2026K3' for a quarter, '2026' for a year."""
        match = re.fullmatch(r"(\d{4})(?:[QqKk]([1-4]))?", text.strip())
        if not match:
            raise ValueError(text)
        year = int(match.group(1))
        return cls.quarter(year, int(match.group(2))) if match.group(2) else cls.year(year)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at local midnight: a range an index on the column can
        serve, where `created_at__date` would compute a date for every row."""
        after = self.end + timedelta(days=1)
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(after, time.min)),
        )

    def within(self, field: str) -> Q:
        """`field` falls in the period."""
        start, after = self.bounds()
        return Q(**{f"{field}__gte": start, f"{field}__lt": after})

    def previous_quarters(self, count: int) -> list["Period"]:
        """The `count` quarters ending with the one this period ends in, oldest first."""
        quarters, current = [], Period.containing(self.end)
        for _step in range(count):
            quarters.append(current)
            current = Period.containing(current.start - timedelta(days=1))
        return list(reversed(quarters))


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


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (what a spreadsheet user can check by hand)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


# Figures are kept per process for up to ten minutes. After a change in the partnership they
# are counted again, but at most once a minute: under a steady stream of filings the page would
# otherwise count a year of cases on every view.
STATISTICS_CACHE_SECONDS = 600
STATISTICS_RECOUNT_SECONDS = 60


def statistics_cached(partnership: Partnership, period: Period, organisation: Organisation | None = None) -> Statistics:
    """statistics_for, kept as above; `counted_at` on the result says how old the figures are."""
    cases = Deviation.objects.filter(partnership=partnership).aggregate(n=Count("pk"), last=Max("updated_at"))
    volumes = Volume.objects.filter(organisation__partnership=partnership).aggregate(
        n=Count("pk"), last=Max("pk"), amount=Sum("amount")
    )
    version = (cases["n"], cases["last"], volumes["n"], volumes["last"], volumes["amount"])
    key = ":".join(
        str(part)
        for part in (
            "statistics",
            partnership.pk,
            period.start,
            period.end,
            organisation.pk if organisation else "-",
            get_language(),
        )
    )
    now = timezone.now()
    kept = cache.get(key)
    if kept is not None:
        kept_version, stats = kept
        age = (now - stats.counted_at).total_seconds()
        if kept_version == version or age < STATISTICS_RECOUNT_SECONDS:
            return stats
    stats = statistics_for(partnership, period, organisation)
    cache.set(key, (version, stats), STATISTICS_CACHE_SECONDS)
    return stats


def statistics_for(partnership: Partnership, period: Period, organisation: Organisation | None = None) -> Statistics:
    """Everything the council reads for one partnership, period and (optionally) organisation."""
    result = Statistics(partnership=partnership, period=period, organisation=organisation)
    cases = Deviation.objects.filter(partnership=partnership)
    if organisation is not None:
        cases = cases.filter(
            Q(reporting_organisation=organisation)
            | Q(responsible_organisation=organisation)
            | Q(counterpart=organisation)
        )
    in_period = cases.filter(period.within("created_at"))
    result.new = in_period.count()
    result.closed = cases.filter(period.within("closed_at"), status=Status.CLOSED).count()

    result.by_category = [
        Row(r["category__name"], r["n"])
        for r in in_period.values("category__name", "category__position")
        .annotate(n=Count("id"))
        .order_by("-n", "category__position")
    ]
    result.by_clause = [
        Row(f"{r['clause__code']} {r['clause__title']}" if r["clause__code"] else _("No clause given"), r["n"])
        for r in in_period.values("clause__code", "clause__title")
        .annotate(n=Count("id"))
        .order_by("-n", "clause__code")
    ]
    counts = dict(in_period.values_list("consequence").annotate(n=Count("id")))
    result.by_consequence = [Row(str(label), counts.get(value, 0)) for value, label in Consequence.choices]

    organisations = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
    names = {o.pk: o.name for o in organisations}
    pairs = _pairs(in_period)
    result.matrix_rows = [o.name for o in organisations]
    result.matrix_columns = [o.name for o in organisations]
    result.matrix = [[pairs.get((row.pk, column.pk), 0) for column in organisations] for row in organisations]
    reported = dict(in_period.values_list("reporting_organisation").annotate(n=Count("id")))
    result.by_reporting_organisation = [Row(names[pk], n) for pk, n in sorted(reported.items(), key=lambda i: -i[1])]

    calendar = calendar_for(partnership.pk)
    _compliance_and_handling(result, cases, period, calendar)
    _backlog(result, cases, period, calendar)

    serious = in_period.filter(consequence__in=SERIOUS_CONSEQUENCES, unexpected=True)
    result.statutory_alerts = serious.count()
    result.statutory_alerts_sent = serious.filter(alert_sent_at__isnull=False).count()
    answered = cases.filter(period.within("answered_at"))
    result.measures_agreed = answered.exclude(answer_measures="").count()
    result.measures_done = answered.filter(measures_done=True).count()

    result.rates = _rates(partnership, period, reported, names)

    for quarter in period.previous_quarters(8):
        result.trend_labels.append(quarter.label)
        result.trend_new.append(cases.filter(quarter.within("created_at")).count())
        result.trend_closed.append(cases.filter(quarter.within("closed_at"), status=Status.CLOSED).count())
    return result


def _quarters_in(period: Period) -> list[tuple[int, int]]:
    quarters, current = [], Period.containing(period.start)
    while current.start <= period.end:
        quarters.append((current.start.year, (current.start.month - 1) // 3 + 1))
        current = Period.containing(current.end + timedelta(days=1))
    return quarters


def _rates(partnership: Partnership, period: Period, reported: dict[int, int], names: dict[int, str]) -> list[Rate]:
    """Deviations reported per 1,000 of each volume the coordinators entered for the period's quarters."""
    quarters = _quarters_in(period)
    condition = Q()
    for year, quarter in quarters:
        condition |= Q(year=year, quarter=quarter)
    volumes = (
        Volume.objects.filter(condition, organisation__partnership=partnership)
        .values("organisation", "kind")
        .annotate(total=Sum("amount"), quarters=Count("id"))
    )
    return [
        Rate(names[v["organisation"]], v["kind"], reported.get(v["organisation"], 0), v["total"])
        for v in volumes
        if v["quarters"] == len(quarters)  # a rate needs the volume for the whole period
    ]


def _pairs(cases) -> dict[tuple[int, int], int]:
    """Reporting → responsible organisation (the counterpart until the case is forwarded)."""
    pairs: dict[tuple[int, int], int] = {}
    rows = cases.values_list("reporting_organisation", "responsible_organisation", "counterpart")
    for reporting, responsible, counterpart in rows.iterator(chunk_size=5000):
        key = (reporting, responsible or counterpart)
        pairs[key] = pairs.get(key, 0) + 1
    return pairs


def _compliance_and_handling(result: Statistics, cases, period: Period, calendar) -> None:
    triaged = Transition.objects.filter(
        period.within("at"), deviation__in=cases, action__in=("forward", "reject")
    ).values_list("deviation_id", "at", "deviation__triage_due")
    first_triage: dict[int, tuple] = {}
    for deviation_id, at, due in triaged.order_by("at"):
        first_triage.setdefault(deviation_id, (at, due))
    result.triage_on_time = Share(
        sum(1 for at, due in first_triage.values() if due and local_date(at) <= due), len(first_triage)
    )
    answered = cases.filter(period.within("answered_at")).values_list("created_at", "answered_at", "answer_due")
    on_time, total, durations = 0, 0, []
    for created, answered_at, due in answered.iterator(chunk_size=5000):
        total += 1
        on_time += bool(due and local_date(answered_at) <= due)
        durations.append(calendar.working_days_between(local_date(created), local_date(answered_at)))
    result.answer_on_time = Share(on_time, total)
    result.handling_median = pystats.median(durations) if durations else None
    result.handling_p90 = percentile(durations, 0.9)


BACKLOG_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))


def _backlog(result: Statistics, cases, period: Period, calendar) -> None:
    """Cases open at the end of the period, by their age in working days."""
    after = period.bounds()[1]
    still_open = cases.filter(created_at__lt=after).filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=after))
    as_of = min(period.end, timezone.localdate())  # a period that has not ended is measured today
    ages = [
        calendar.working_days_between(local_date(created), as_of)
        for created in still_open.values_list("created_at", flat=True).iterator(chunk_size=5000)
    ]
    result.open_at_end = len(ages)
    result.backlog_by_age = []
    for low, high in BACKLOG_BUCKETS:
        label = (
            _("{low}–{high} working days").format(low=low, high=high)
            if high
            else _("over {low} working days").format(low=low - 1)
        )
        result.backlog_by_age.append(Row(label, sum(1 for age in ages if age >= low and (high is None or age <= high))))
