"""The council's numbers summed from the monthly counts (council.MonthlyCount), which triggers on
the cases table keep in the same transaction as each change: a partnership's figures read a few
thousand rows, not its cases."""

from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from avvik.catalogue.models import AgreementClause, Category
from avvik.council.counting.figures import NO_CLAUSE, Counts, Row, Share
from avvik.council.models import MonthlyCount
from avvik.council.periods import Period
from avvik.tenancy.models import Partnership

BACKLOG_MEASURES = ("open_filed", "ended_filed")
# What a period's figures sum: every measure the triggers keep (migration 0005) but the backlog's.
# Named, not "all but the backlog's", so that the sums read the measure index alone, one measure's
# months at a time; a partnership's rows lie scattered over the table as the triggers wrote them.
PERIOD_MEASURES = (
    "new",
    "category",
    "clause",
    "consequence",
    "pair",
    "serious",
    "message_type",
    "error_code",
    "her_pair",
    "unit",
    "closed",
    "triage",
    "answered",
    "handling",
    "measures",
    "measures_done",
)


def summed(partnership: Partnership, period: Period, *, by_month: bool = False):
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
        for measure, item, n in counted.filter(measure__in=PERIOD_MEASURES)
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


def by_measure(summed: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    """{measure: {item: cases}}: each measure's items picked out in one pass over the sums."""
    grouped: dict[str, dict[str, int]] = {}
    for (measure, item), n in summed.items():
        grouped.setdefault(measure, {})[item] = n
    return grouped


def counts_from(grouped: dict[str, dict[str, int]]) -> Counts:
    """The plain counts from the period's sums by measure (by_measure)."""

    def items(measure: str) -> dict[str, int]:
        return grouped.get(measure, {})

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
        new=items("new").get("", 0),
        closed=items("closed").get("", 0),
        by_category=[Row(category.name, n) for category, n in by_category],
        by_clause=[Row(f"{clause.code} {clause.title}" if clause else _(NO_CLAUSE), n) for clause, n in by_clause],
        consequences=dict(items("consequence")),
        pairs=pairs,
        serious=items("serious").get("", 0),
        measures_agreed=items("measures").get("", 0),
        measures_done=items("measures_done").get("", 0),
    )


def share(summed: dict, measure: str) -> Share:
    on_time = summed.get((measure, "on_time"), 0)
    return Share(on_time, on_time + summed.get((measure, "late"), 0))


def working_days(calendar, days: dict[str, int]) -> list[int]:
    """Working days from filing to answer for {"filed day>answer day": cases}: each day's count of
    working days since the first filing day is worked out once, and a duration is their difference."""
    # A year has some ten thousand (filing day, answer day) pairs over a few hundred days: each
    # day's text is parsed and counted once.
    pairs: list[tuple[str, str, int]] = []
    for item, n in days.items():
        filed, answered = item.split(">")
        pairs.append((filed, answered, n))
    if not pairs:
        return []
    first = date.fromisoformat(min(filed for filed, _answered, _n in pairs))  # ISO days sort as dates
    since: dict[str, int] = {}

    def position(day: str) -> int:
        found = since.get(day)
        if found is None:
            found = since[day] = calendar.working_days_between(first, date.fromisoformat(day))
        return found

    durations: list[int] = []
    for filed, answered, n in pairs:
        durations.extend([position(answered) - position(filed)] * n)
    return durations


def backlog_days(partnership: Partnership, period: Period) -> list[tuple[date, int]]:
    """(local filing day, cases) of the cases open at the end of the period: open now, or ended in a
    month after it (a period ends at a month's end)."""
    first_after = period.end + timedelta(days=1)
    rows = (
        MonthlyCount.objects.filter(partnership=partnership, item__lt=first_after.isoformat())
        .filter(Q(measure="open_filed") | Q(measure="ended_filed", month__gte=first_after))
        .order_by()
        .values_list("item")
        .annotate(n=Sum("cases"))
        .values_list("item", "n")
    )
    return [(date.fromisoformat(item), n) for item, n in rows if n]
