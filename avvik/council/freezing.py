"""The council's figures of a completed period, frozen at their first publication (docs/disclosure.md).

A completed quarter or year can still change underneath: a case is reopened, its category corrected,
it is deleted or anonymised. Two publications of the same period counted at different times could then
be subtracted, and the difference be a small count. So the first time the council is shown a completed
period (on the statistics page, or in a report, whichever comes first), its raw counts are stored in
FrozenFigures, and every later page, report version and year is protected from the stored counts. The
protection is deterministic, so the same counts give the same figures every time.

What a period's publication shows of other periods is frozen with it: the eight quarters of its trend
(their own new and closed counts), and for a year its four quarters. A year is made from its frozen
quarters (every count the sum of theirs, the open cases its fourth quarter's), so that year and quarters
always add up. Coordinators keep reading the live, exact figures.

The counts are stored in no language: consequences by value, the backlog by bucket, the clause line of
cases without one as None, and put into words when read.
"""

import statistics as pystats
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from avvik.catalogue.choices import Consequence, current_consequence
from avvik.council.counting import (
    NO_CLAUSE,
    Rate,
    Row,
    Share,
    Statistics,
    backlog_labels,
    percentile,
    statistics_for,
    volumes_for,
)
from avvik.council.disclosure import Figures, council_figures
from avvik.council.models import FrozenFigures
from avvik.council.periods import Period
from avvik.council.suppression import SMALL_COUNT
from avvik.tenancy.models import Organisation, Partnership

Counts = dict[str, Any]
TREND_QUARTERS = 8


def published_figures(
    partnership: Partnership, period: Period, *, counted: Callable[..., Statistics] = statistics_for
) -> tuple[Statistics, Figures]:
    """The council's figures of `period`: from the frozen counts when the period is completed (frozen
    now if this is its first publication), else counted live by `counted`."""
    if not period.completed(timezone.localdate()):
        return council_figures(partnership, period, counted=counted)
    frozen = frozen_statistics(partnership, period)
    return council_figures(partnership, period, counted=lambda _partnership, chosen: frozen[chosen])


def frozen_statistics(partnership: Partnership, period: Period) -> dict[Period, Statistics]:
    """The frozen statistics of a completed `period` and, for a year, of its four quarters, freezing
    whatever is not frozen yet. The period's trend is read from its quarters' frozen counts."""
    trend = period.previous_quarters(TREND_QUARTERS)
    own = [Period.quarter(period.start.year, number) for number in range(1, 5)] if period.is_year else []
    wanted = _unique([*trend, *own, period])
    stored = _stored(partnership, wanted)
    # Quarters first: a year is made from its quarters.
    for chosen in sorted(wanted, key=lambda chosen: (chosen.is_year, chosen.start)):
        if chosen not in stored:
            stored[chosen] = _freeze(partnership, chosen, stored)
    result = {chosen: _statistics(partnership, chosen, stored[chosen]) for chosen in [*own, period]}
    main = result[period]
    main.trend_labels = [quarter.label for quarter in trend]
    main.trend_new = [stored[quarter].counts["new"] for quarter in trend]
    main.trend_closed = [stored[quarter].counts["closed"] for quarter in trend]
    return result


def _unique(periods: Iterable[Period]) -> list[Period]:
    return list(dict.fromkeys(periods))


def _stored(partnership: Partnership, periods: list[Period]) -> dict[Period, FrozenFigures]:
    by_dates = {(chosen.start, chosen.end): chosen for chosen in periods}
    rows = FrozenFigures.objects.filter(
        partnership=partnership, period_start__in={chosen.start for chosen in periods}
    ).order_by()
    return {
        by_dates[(row.period_start, row.period_end)]: row
        for row in rows
        if (row.period_start, row.period_end) in by_dates
    }


def _freeze(partnership: Partnership, period: Period, stored: dict[Period, FrozenFigures]) -> FrozenFigures:
    """Counts the period (a year from its frozen quarters) and stores it; when another request froze
    it in the meantime, that one is kept and returned."""
    if period.is_year:
        quarters = [stored[Period.quarter(period.start.year, number)].counts for number in range(1, 5)]
        counts = year_counts(quarters, volumes=_volumes(partnership, period))
    else:
        # Labels as their source text: the counts are read later in the reader's language.
        with translation.override(None):
            counts = counts_of(statistics_for(partnership, period, with_trend=False))
    try:
        with transaction.atomic():
            return FrozenFigures.objects.create(
                partnership=partnership,
                period_label=period.stored_label,
                period_start=period.start,
                period_end=period.end,
                threshold=partnership.small_count_threshold or SMALL_COUNT,
                counts=counts,
            )
    except IntegrityError:
        return FrozenFigures.objects.get(partnership=partnership, period_start=period.start, period_end=period.end)


def _volumes(partnership: Partnership, period: Period) -> list[tuple[str, str, int]]:
    names = dict(Organisation.objects.filter(partnership=partnership).values_list("pk", "name"))
    return [(names[organisation], kind, amount) for organisation, kind, amount in volumes_for(partnership, period)]


# Counts as stored


def counts_of(stats: Statistics) -> Counts:
    """The raw counts of `stats` (counted with no language active) as stored."""
    return {
        "new": stats.new,
        "closed": stats.closed,
        "open_at_end": stats.open_at_end,
        "by_category": [[row.label, row.count] for row in stats.by_category],
        "by_clause": [[None if row.label == NO_CLAUSE else row.label, row.count] for row in stats.by_clause],
        "by_consequence": [
            [value, row.count] for (value, _label), row in zip(Consequence.choices, stats.by_consequence, strict=True)
        ],
        "by_reporting_organisation": [[row.label, row.count] for row in stats.by_reporting_organisation],
        "matrix_rows": list(stats.matrix_rows),
        "matrix_columns": list(stats.matrix_columns),
        "matrix": [list(row) for row in stats.matrix],
        "triage": [stats.triage_on_time.on_time, stats.triage_on_time.total],
        "answer": [stats.answer_on_time.on_time, stats.answer_on_time.total],
        "handling_days": list(stats.handling_days),
        "backlog": [row.count for row in stats.backlog_by_age],
        "statutory_alerts": stats.statutory_alerts,
        "statutory_alerts_sent": stats.statutory_alerts_sent,
        "measures_agreed": stats.measures_agreed,
        "measures_done": stats.measures_done,
        "rates": [[rate.organisation, rate.kind, rate.count, rate.volume] for rate in stats.rates],
    }


def year_counts(quarters: list[Counts], *, volumes: list[tuple[str, str, int]]) -> Counts:
    """A year's counts made from its four quarters' frozen counts, so that each year count is the sum of
    the quarters' as published (a case triaged in two quarters counts in both), and its open cases are
    the fourth quarter's. `volumes` are (organisation, kind, amount) for the whole year, for the rates."""

    def total(name: str) -> int:
        return sum(counts[name] for counts in quarters)

    def summed(name: str) -> list[list[Any]]:
        sums: dict[Any, int] = {}
        for counts in quarters:
            for label, count in counts[name]:
                sums[label] = sums.get(label, 0) + count
        # As counted: most first; ties by label (None, no clause, last).
        ordered = sorted(sums.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
        return [[label, count] for label, count in ordered if count]

    pairs: dict[tuple[str, str], int] = {}
    for counts in quarters:
        for row, values in zip(counts["matrix_rows"], counts["matrix"], strict=True):
            for column, value in zip(counts["matrix_columns"], values, strict=True):
                pairs[(row, column)] = pairs.get((row, column), 0) + value
    organisations = sorted(
        {name for counts in quarters for name in (*counts["matrix_rows"], *counts["matrix_columns"])}
    )
    reporting = summed("by_reporting_organisation")
    reported = dict((label, count) for label, count in reporting)
    days = [day for counts in quarters for day in counts["handling_days"]]
    last = quarters[-1]
    return {
        "new": total("new"),
        "closed": total("closed"),
        "open_at_end": last["open_at_end"],
        "by_category": summed("by_category"),
        "by_clause": summed("by_clause"),
        "by_consequence": [
            [
                value,
                sum(
                    count
                    for counts in quarters
                    for stored, count in counts["by_consequence"]
                    if current_consequence(stored) == value
                ),
            ]
            for value, _label in Consequence.choices
        ],
        "by_reporting_organisation": reporting,
        "matrix_rows": organisations,
        "matrix_columns": organisations,
        "matrix": [[pairs.get((row, column), 0) for column in organisations] for row in organisations],
        "triage": [sum(counts["triage"][0] for counts in quarters), sum(counts["triage"][1] for counts in quarters)],
        "answer": [sum(counts["answer"][0] for counts in quarters), sum(counts["answer"][1] for counts in quarters)],
        "handling_days": days,
        "backlog": list(last["backlog"]),
        "statutory_alerts": total("statutory_alerts"),
        "statutory_alerts_sent": total("statutory_alerts_sent"),
        "measures_agreed": total("measures_agreed"),
        "measures_done": total("measures_done"),
        "rates": [[name, kind, reported.get(name, 0), amount] for name, kind, amount in volumes],
    }


def _statistics(partnership: Partnership, period: Period, frozen: FrozenFigures) -> Statistics:
    """The stored counts as Statistics, in the active language."""
    counts = frozen.counts
    # Figures frozen on the earlier five-grade scale keep their stored values; read them on today's.
    consequences: dict[str, int] = {}
    for value, count in counts["by_consequence"]:
        consequences[current_consequence(value)] = consequences.get(current_consequence(value), 0) + count
    days = counts["handling_days"]
    return Statistics(
        partnership=partnership,
        period=period,
        organisation=None,
        new=counts["new"],
        closed=counts["closed"],
        open_at_end=counts["open_at_end"],
        by_category=[Row(label, count) for label, count in counts["by_category"]],
        by_clause=[Row(_(NO_CLAUSE) if label is None else label, count) for label, count in counts["by_clause"]],
        by_consequence=[Row(str(label), consequences.get(value, 0)) for value, label in Consequence.choices],
        by_reporting_organisation=[Row(label, count) for label, count in counts["by_reporting_organisation"]],
        matrix_rows=list(counts["matrix_rows"]),
        matrix_columns=list(counts["matrix_columns"]),
        matrix=[list(row) for row in counts["matrix"]],
        triage_on_time=Share(*counts["triage"]),
        answer_on_time=Share(*counts["answer"]),
        handling_days=list(days),
        handling_median=pystats.median(days) if days else None,
        handling_p90=percentile(days, 0.9),
        backlog_by_age=[Row(label, count) for label, count in zip(backlog_labels(), counts["backlog"], strict=True)],
        statutory_alerts=counts["statutory_alerts"],
        statutory_alerts_sent=counts["statutory_alerts_sent"],
        measures_agreed=counts["measures_agreed"],
        measures_done=counts["measures_done"],
        rates=[Rate(*rate) for rate in counts["rates"]],
        counted_at=frozen.frozen_at,
        frozen_at=frozen.frozen_at,
        threshold=frozen.threshold,
    )
