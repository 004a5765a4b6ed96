"""The council's numbers for a partnership and a period, counted in one place and returned as a
dataclass. The page, the export and the PDF all read this, so they always agree.

A partnership's figures are summed from the monthly counts (`summed`); one organisation's are
counted from its cases (`live`); `figures` holds what both return."""

import statistics as pystats
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES, Consequence
from avvik.council.counting.figures import (
    BACKLOG_BUCKETS,
    NO_CLAUSE,
    Counts,
    Rate,
    Row,
    Share,
    Statistics,
    backlog_labels,
    percentile,
)
from avvik.council.counting.live import answers_live, backlog_days_live, counts_live
from avvik.council.counting.summed import (
    backlog_days,
    by_measure,
    counts_from,
    share,
    summed_items,
    working_days,
)
from avvik.council.counting.summed import summed as summed_counts
from avvik.council.models import Volume
from avvik.council.periods import Period
from avvik.deadlines.due_dates import calendar_for
from avvik.tenancy.models import Organisation, Partnership

__all__ = [
    "BACKLOG_BUCKETS",
    "NO_CLAUSE",
    "Counts",
    "Rate",
    "Row",
    "Share",
    "Statistics",
    "backlog_labels",
    "percentile",
    "statistics_cached",
    "statistics_for",
    "summed_items",
    "volumes_for",
]

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
    summed = summed_counts(partnership, period) if rolled_up else None
    result.monthly_items = by_measure(summed) if summed is not None else None
    counts = counts_from(result.monthly_items) if result.monthly_items is not None else counts_live(cases, period)
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
        trend = summed_counts(partnership, Period(quarters[0].start, quarters[-1].end), by_month=True)
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


def _compliance_and_handling(result: Statistics, cases, period: Period, calendar, summed: dict | None) -> None:
    """Triage (a case's first forward or rejection) and answers on time, and working days to the answer."""
    if summed is not None:
        result.triage_on_time = share(summed, "triage")
        result.answer_on_time = share(summed, "answered")
        durations = working_days(calendar, (result.monthly_items or {}).get("handling", {}))
    else:
        result.triage_on_time, result.answer_on_time, durations = answers_live(cases, period, calendar)
    durations.sort()
    result.handling_days = durations
    result.handling_median = pystats.median(durations) if durations else None
    result.handling_p90 = percentile(durations, 0.9)


def _backlog(result: Statistics, cases, period: Period, calendar, *, rolled_up: bool) -> None:
    """Cases open at the end of the period, by their age in working days, each filing day's age
    worked out once."""
    as_of = min(period.end, timezone.localdate())  # a period that has not ended is measured today
    by_day = backlog_days(result.partnership, period) if rolled_up else backlog_days_live(cases, period)
    ages = [(calendar.working_days_between(day, as_of), n) for day, n in by_day]
    result.open_at_end = sum(n for _age, n in ages)
    result.backlog_by_age = [
        Row(label, sum(n for age, n in ages if age >= low and (high is None or age <= high)))
        for label, (low, high) in zip(backlog_labels(), BACKLOG_BUCKETS, strict=True)
    ]
