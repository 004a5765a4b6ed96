"""The council's numbers counted from the cases themselves: one organisation's figures (the monthly
counts are partnership-wide), and the oracle the monthly counts are tested against."""

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from avvik.cases.choices import OPEN_STATUSES, Status
from avvik.catalogue.choices import SERIOUS_CONSEQUENCES
from avvik.council.counting.figures import NO_CLAUSE, Counts, Row, Share
from avvik.council.periods import Period
from avvik.deadlines.due_dates import local_date


def counts_live(cases, period: Period) -> Counts:
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
        pairs=pairs_of(in_period),
        serious=in_period.filter(consequence__in=SERIOUS_CONSEQUENCES, unexpected=True).count(),
        measures_agreed=answered.exclude(answer_measures="").count(),
        measures_done=answered.filter(measures_done=True).count(),
    )


def pairs_of(cases) -> dict[tuple[int, int | None], int]:
    """Reporting → responsible organisation (the counterpart until the case is forwarded)."""
    pairs: dict[tuple[int, int | None], int] = {}
    rows = cases.values_list("reporting_organisation", "responsible_organisation", "counterpart")
    for reporting, responsible, counterpart in rows.iterator(chunk_size=5000):
        key = (reporting, responsible or counterpart)
        pairs[key] = pairs.get(key, 0) + 1
    return pairs


def answers_live(cases, period: Period, calendar) -> tuple[Share, Share, list[int]]:
    """Triage on time, answers on time, and working days from filing to each answer in the period."""
    triaged = list(cases.filter(period.within("triaged_at")).values_list("triaged_at", "triage_due"))
    triage = Share(sum(1 for at, due in triaged if due and local_date(at) <= due), len(triaged))
    answered = cases.filter(period.within("answered_at")).values_list("created_at", "answered_at", "answer_due")
    on_time, total, durations = 0, 0, []
    for created, answered_at, due in answered.iterator(chunk_size=5000):
        total += 1
        on_time += bool(due and local_date(answered_at) <= due)
        durations.append(calendar.working_days_between(local_date(created), local_date(answered_at)))
    return triage, Share(on_time, total), durations


def backlog_days_live(cases, period: Period) -> list[tuple[date, int]]:
    """(local filing day, cases) of the cases open at the end of the period."""
    after = period.bounds()[1]
    still_open = cases.filter(created_at__lt=after).filter(Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=after))
    return list(still_open.annotate(day=TruncDate("created_at")).order_by().values_list("day").annotate(n=Count("pk")))
