"""The council's numbers for a partnership and a period, counted in one place and returned as a
dataclass. The page, the export and the PDF all read this, so they always agree."""

import math
import statistics as pystats
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from avvik.cases.choices import OPEN_STATUSES, Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES, Consequence
from avvik.catalogue.models import AgreementClause, Category
from avvik.council.models import MonthlyCount, Volume
from avvik.council.periods import Period
from avvik.council.suppression import suppress
from avvik.deadlines.due_dates import calendar_for, local_date
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
# One organisation's figures are counted from its cases (the monthly counts are partnership-wide)
# and kept in the cache for up to ten minutes. After a change in the partnership they are counted
# again, but at most once a minute.
STATISTICS_CACHE_SECONDS = 600
STATISTICS_RECOUNT_SECONDS = 60


def statistics_cached(partnership: Partnership, period: Period, organisation: Organisation | None = None) -> Statistics:
    """statistics_for, summed from the monthly counts partnership-wide; one organisation's figures
    kept as above. `counted_at` on the result says how old the figures are."""
    if organisation is None:
        return statistics_for(partnership, period)
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
            organisation.pk,
            get_language(),
        )
    )
    now = timezone.now()
    kept = cache.get(key)
    if kept is not None:
        kept_version, stats = kept
        age = (now - stats.counted_at).total_seconds()
        # The age is checked here too: a shared cache (Redis) expires keys by its own clock, not ours.
        if age < STATISTICS_CACHE_SECONDS and (kept_version == version or age < STATISTICS_RECOUNT_SECONDS):
            return stats
    stats = statistics_for(partnership, period, organisation)
    cache.set(key, (version, stats), STATISTICS_CACHE_SECONDS)
    return stats


def statistics_for(
    partnership: Partnership,
    period: Period,
    organisation: Organisation | None = None,
    *,
    with_trend: bool = True,
    live: bool = False,
) -> Statistics:
    """Everything the council reads for one partnership, period and (optionally) organisation.

    Partnership-wide, the counts are summed from the monthly counts the cases table keeps
    (MonthlyCount); for one organisation, or with `live`, they are counted from the cases. The
    alerts recorded are counted from the cases either way; the backlog's ages are worked out from
    the filing days as the clock stands. Without the trend, the eight quarters' new and closed counts are left empty (a
    frozen period takes them from the quarters' own snapshots)."""
    result = Statistics(partnership=partnership, period=period, organisation=organisation)
    # A merged duplicate is the same event as its main case: counted once, as the main case.
    cases = Deviation.objects.filter(partnership=partnership).exclude(status=Status.MERGED)
    if organisation is not None:
        cases = cases.filter(
            Q(reporting_organisation=organisation)
            | Q(responsible_organisation=organisation)
            | Q(counterpart=organisation)
        )
    organisations = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
    names = {o.pk: o.name for o in organisations}
    rolled_up = organisation is None and not live
    summed = _summed(partnership, period) if rolled_up else None
    counts = _counts_from(summed) if summed is not None else _counts_live(cases, period)
    result.new = counts.new
    result.closed = counts.closed
    result.by_category = counts.by_category
    result.by_clause = counts.by_clause
    result.by_consequence = [Row(str(label), counts.consequences.get(value, 0)) for value, label in Consequence.choices]
    result.matrix_rows = [o.name for o in organisations]
    result.matrix_columns = [o.name for o in organisations]
    result.matrix = [[counts.pairs.get((row.pk, column.pk), 0) for column in organisations] for row in organisations]
    reported: dict[int, int] = {}
    for (reporting, _responsible), n in counts.pairs.items():
        reported[reporting] = reported.get(reporting, 0) + n
    result.by_reporting_organisation = [
        Row(names[pk], n) for pk, n in sorted(reported.items(), key=lambda i: (-i[1], names[i[0]]))
    ]
    result.statutory_alerts = counts.serious
    result.measures_agreed = counts.measures_agreed
    result.measures_done = counts.measures_done

    calendar = calendar_for(partnership.pk)
    _compliance_and_handling(result, cases, period, calendar, summed)
    _backlog(result, cases, period, calendar, rolled_up=rolled_up)
    if result.statutory_alerts:
        # Recorded through avvik.duties; the column of the former form still holds what bulk loads write.
        recorded = Q(statutory_alert__isnull=False) | Q(alert_sent_at__isnull=False)
        serious = cases.filter(period.within("created_at"), consequence__in=SERIOUS_CONSEQUENCES, unexpected=True)
        result.statutory_alerts_sent = serious.filter(recorded).count()
    result.rates = _rates(partnership, period, reported, names)

    quarters = period.previous_quarters(8) if with_trend else []
    if quarters and rolled_up:
        trend = _summed(partnership, Period(quarters[0].start, quarters[-1].end), by_month=True)
    for quarter in quarters:
        result.trend_labels.append(quarter.label)
        if rolled_up:
            months = [month for month in trend if quarter.start <= month <= quarter.end]
            result.trend_new.append(sum(trend[month].get(("new", ""), 0) for month in months))
            result.trend_closed.append(sum(trend[month].get(("closed", ""), 0) for month in months))
        else:
            result.trend_new.append(cases.filter(quarter.within("created_at")).count())
            result.trend_closed.append(cases.filter(quarter.within("closed_at"), status=Status.CLOSED).count())
    return result


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


BACKLOG_MEASURES = ("open_filed", "ended_filed")


def _summed(partnership: Partnership, period: Period, *, by_month: bool = False):
    """The monthly counts of the period's months summed: {(measure, item): cases}, or per month."""
    counted = MonthlyCount.objects.filter(
        partnership=partnership, month__gte=period.start.replace(day=1), month__lte=period.end
    ).order_by()
    if by_month:
        months: dict = {}
        for month, measure, item, n in counted.filter(measure__in=("new", "closed")).values_list(
            "month", "measure", "item", "cases"
        ):
            months.setdefault(month, {})[(measure, item)] = n
        return months
    return {
        (measure, item): n
        # The backlog's measures are read by filing day, over other months (_backlog).
        for measure, item, n in counted.exclude(measure__in=BACKLOG_MEASURES)
        .values_list("measure", "item")
        .annotate(n=Sum("cases"))
        .values_list("measure", "item", "n")
        if n
    }


def summed_items(partnership: Partnership, period: Period, measure: str) -> list[tuple[str, int]]:
    """(item, cases) of one measure over the period's months, partnership-wide."""
    counted = (
        MonthlyCount.objects.filter(
            partnership=partnership, month__gte=period.start.replace(day=1), month__lte=period.end, measure=measure
        )
        .order_by()
        .values_list("item")
        .annotate(n=Sum("cases"))
        .values_list("item", "n")
    )
    return [(item, n) for item, n in counted if n]


def _counts_from(summed: dict[tuple[str, str], int]) -> Counts:
    def items(measure: str) -> dict[str, int]:
        return {item: n for (name, item), n in summed.items() if name == measure}

    categories = {str(c.pk): c for c in Category.objects.filter(pk__in=[int(pk) for pk in items("category")])}
    clauses = {str(c.pk): c for c in AgreementClause.objects.filter(pk__in=[int(pk) for pk in items("clause") if pk])}
    by_category = sorted(
        ((categories[pk], n) for pk, n in items("category").items()), key=lambda i: (-i[1], i[0].position, i[0].name)
    )
    by_clause = sorted(
        ((clauses.get(pk), n) for pk, n in items("clause").items()),
        # As the cases' own count orders them: the cases without a clause last among equals.
        key=lambda i: (-i[1], i[0] is None, i[0].code if i[0] else "", i[0].title if i[0] else ""),
    )
    pairs: dict[tuple[int, int | None], int] = {}
    for item, n in items("pair").items():
        reporting, _sep, responsible = item.partition(">")
        pairs[(int(reporting), int(responsible) if responsible else None)] = n
    return Counts(
        new=summed.get(("new", ""), 0),
        closed=summed.get(("closed", ""), 0),
        by_category=[Row(category.name, n) for category, n in by_category],
        by_clause=[Row(f"{clause.code} {clause.title}" if clause else _(NO_CLAUSE), n) for clause, n in by_clause],
        consequences=items("consequence"),
        pairs=pairs,
        serious=summed.get(("serious", ""), 0),
        measures_agreed=summed.get(("measures", ""), 0),
        measures_done=summed.get(("measures_done", ""), 0),
    )


def _counts_live(cases, period: Period) -> Counts:
    in_period = cases.filter(period.within("created_at"))
    answered = cases.filter(period.within("answered_at"))
    return Counts(
        new=in_period.count(),
        closed=cases.filter(period.within("closed_at"), status=Status.CLOSED).count(),
        by_category=[
            Row(r["category__name"], r["n"])
            for r in in_period.values("category__name", "category__position")
            .annotate(n=Count("id"))
            .order_by("-n", "category__position", "category__name")
        ],
        by_clause=[
            Row(f"{r['clause__code']} {r['clause__title']}" if r["clause__code"] else _(NO_CLAUSE), r["n"])
            for r in in_period.values("clause__code", "clause__title")
            .annotate(n=Count("id"))
            .order_by("-n", F("clause__code").asc(nulls_last=True), "clause__title")
        ],
        consequences=dict(in_period.values_list("consequence").annotate(n=Count("id"))),
        pairs=_pairs(in_period),
        serious=in_period.filter(consequence__in=SERIOUS_CONSEQUENCES, unexpected=True).count(),
        measures_agreed=answered.exclude(answer_measures="").count(),
        measures_done=answered.filter(measures_done=True).count(),
    )


def volumes_for(partnership: Partnership, period: Period) -> list[tuple[int, str, int]]:
    """(organisation id, kind, amount) for every volume entered for each of the period's quarters."""
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
        (v["organisation"], v["kind"], v["total"])
        for v in volumes
        if v["quarters"] == len(quarters)  # a rate needs the volume for the whole period
    ]


def _quarters_in(period: Period) -> list[tuple[int, int]]:
    quarters, current = [], Period.containing(period.start)
    while current.start <= period.end:
        quarters.append((current.start.year, (current.start.month - 1) // 3 + 1))
        current = Period.containing(current.end + timedelta(days=1))
    return quarters


def _rates(partnership: Partnership, period: Period, reported: dict[int, int], names: dict[int, str]) -> list[Rate]:
    """Deviations reported per 1,000 of each volume the coordinators entered for the period's quarters."""
    return [
        Rate(names[organisation], kind, reported.get(organisation, 0), amount)
        for organisation, kind, amount in volumes_for(partnership, period)
    ]


def _pairs(cases) -> dict[tuple[int, int | None], int]:
    """Reporting → responsible organisation (the counterpart until the case is forwarded)."""
    pairs: dict[tuple[int, int | None], int] = {}
    rows = cases.values_list("reporting_organisation", "responsible_organisation", "counterpart")
    for reporting, responsible, counterpart in rows.iterator(chunk_size=5000):
        key = (reporting, responsible or counterpart)
        pairs[key] = pairs.get(key, 0) + 1
    return pairs


def _compliance_and_handling(result: Statistics, cases, period: Period, calendar, summed: dict | None) -> None:
    """Triage (a case's first forward or rejection) and answers on time, and working days to the answer."""
    if summed is not None:
        result.triage_on_time = _share(summed, "triage")
        result.answer_on_time = _share(summed, "answered")
        durations = _working_days(calendar, {item: n for (measure, item), n in summed.items() if measure == "handling"})
    else:
        triaged = list(cases.filter(period.within("triaged_at")).values_list("triaged_at", "triage_due"))
        result.triage_on_time = Share(sum(1 for at, due in triaged if due and local_date(at) <= due), len(triaged))
        answered = cases.filter(period.within("answered_at")).values_list("created_at", "answered_at", "answer_due")
        on_time, total, durations = 0, 0, []
        for created, answered_at, due in answered.iterator(chunk_size=5000):
            total += 1
            on_time += bool(due and local_date(answered_at) <= due)
            durations.append(calendar.working_days_between(local_date(created), local_date(answered_at)))
        result.answer_on_time = Share(on_time, total)
    durations.sort()
    result.handling_days = durations
    result.handling_median = pystats.median(durations) if durations else None
    result.handling_p90 = percentile(durations, 0.9)


def _share(summed: dict, measure: str) -> Share:
    on_time = summed.get((measure, "on_time"), 0)
    return Share(on_time, on_time + summed.get((measure, "late"), 0))


def _working_days(calendar, days: dict[str, int]) -> list[int]:
    """Working days from filing to answer for {"filed day>answer day": cases}: each day's count of
    working days since the first filing day is worked out once, and a duration is their difference."""
    pairs: list[tuple[date, date, int]] = []
    for item, n in days.items():
        filed_on, answered_on = item.split(">")
        pairs.append((date.fromisoformat(filed_on), date.fromisoformat(answered_on), n))
    if not pairs:
        return []
    first = min(filed for filed, _answered, _n in pairs)
    since: dict[date, int] = {}

    def position(day: date) -> int:
        if day not in since:
            since[day] = calendar.working_days_between(first, day)
        return since[day]

    durations: list[int] = []
    for filed, answered, n in pairs:
        durations.extend([position(answered) - position(filed)] * n)
    return durations


BACKLOG_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))


def backlog_labels() -> list[str]:
    """The age buckets' labels, in the active language."""
    return [
        _("{low}–{high} working days").format(low=low, high=high)
        if high
        else _("over {low} working days").format(low=low - 1)
        for low, high in BACKLOG_BUCKETS
    ]


def _backlog(result: Statistics, cases, period: Period, calendar, *, rolled_up: bool) -> None:
    """Cases open at the end of the period, by their age in working days."""
    after = period.bounds()[1]
    as_of = min(period.end, timezone.localdate())  # a period that has not ended is measured today
    # Counted per local filing day, so that each day's age is worked out once.
    if rolled_up:
        # Open now, or ended in a month after the period (a period ends at a month's end).
        first_after = period.end + timedelta(days=1)
        by_day = [
            (date.fromisoformat(item), n)
            for item, n in MonthlyCount.objects.filter(partnership=result.partnership, item__lt=first_after.isoformat())
            .filter(Q(measure="open_filed") | Q(measure="ended_filed", month__gte=first_after))
            .order_by()
            .values_list("item")
            .annotate(n=Sum("cases"))
            .values_list("item", "n")
            if n
        ]
    else:
        still_open = cases.filter(created_at__lt=after).filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=after))
        by_day = list(
            still_open.annotate(day=TruncDate("created_at")).order_by().values_list("day").annotate(n=Count("pk"))
        )
    ages = [(calendar.working_days_between(day, as_of), n) for day, n in by_day]
    result.open_at_end = sum(n for _age, n in ages)
    result.backlog_by_age = [
        Row(label, sum(n for age, n in ages if age >= low and (high is None or age <= high)))
        for label, (low, high) in zip(backlog_labels(), BACKLOG_BUCKETS, strict=True)
    ]
