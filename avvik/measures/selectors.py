"""Reads of measures: the list a person follows, a case's measures, and the council's figures."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from avvik.access.roles import roles_of
from avvik.cases.models.deviation import Deviation
from avvik.measures.choices import OPEN_STATUSES, Effect, MeasureStatus
from avvik.measures.models import Measure
from avvik.tenancy.models import Organisation, User


def followed_measures(user: User) -> QuerySet[Measure]:
    """The measures a person follows: their organisations' own, and all of the partnership's for
    its coordinators; always within what they may read."""
    roles = roles_of(user)
    rule = Q(responsible_organisation__in=roles.handles_in) | Q(deviation__partnership__in=roles.coordinator_of)
    return (
        Measure.objects.visible_to(user)
        .filter(rule)
        .select_related("deviation", "responsible_organisation", "responsible_person")
    )


def followed_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the measures list may be filtered by."""
    roles = roles_of(user)
    return Organisation.objects.filter(Q(pk__in=roles.handles_in) | Q(partnership__in=roles.coordinator_of))


def case_measures(user: User, deviation: Deviation, *, open_only: bool = False) -> list[Measure]:
    """The case's measures the person may read (only those not yet carried out nor dropped, with
    `open_only`), with the case put on each: it is already read, and joining its fifty columns again
    doubled what the query cost to build."""
    readable = Measure.objects.visible_to(user).filter(deviation=deviation)
    if open_only:
        readable = readable.filter(status__in=OPEN_STATUSES)
    measures = list(readable.select_related("responsible_organisation", "responsible_person"))
    for measure in measures:
        Measure.deviation.field.set_cached_value(measure, deviation)
    return measures


@dataclass(frozen=True)
class MeasureCounts:
    """Measures in a period, for the council: each counted where its event fell in the period."""

    agreed: int = 0
    carried_out: int = 0
    overdue: int = 0
    dropped: int = 0
    by_effect: dict[str, int] = field(default_factory=dict)
    # Cases filed in the period of a category and organisation pair on which an earlier case had a
    # measure carried out before it was filed: the measure did not keep the event away.
    recurrences: int = 0


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.max, tzinfo=zone),
    )


def measure_counts(partnership_id: int, start: date, end: date) -> MeasureCounts:
    """Agreed, carried out, overdue and dropped measures from `start` to `end` (both included), their
    effect as evaluated in the period, and the recurrences."""
    since, until = _bounds(start, end)
    carried_out = Q(carried_out_at__range=(since, until))
    # Due in the period and not carried out by the due day (still open, or done late), the day
    # carried out being the local day, as the due date is.
    overdue = (
        Q(due_date__range=(start, end))
        & ~Q(status=MeasureStatus.DROPPED)
        & (Q(carried_out_at__isnull=True, due_date__lt=timezone.localdate()) | Q(done_on__gt=F("due_date")))
    )
    effects = {f"effect_{value}": Count("pk", filter=carried_out & Q(effect=value)) for value in Effect.values}
    # One statement for every count: each is a round trip to the database, costing more than its work.
    counted = (
        Measure.objects.filter(deviation__partnership_id=partnership_id)
        .annotate(done_on=TruncDate("carried_out_at", tzinfo=timezone.get_current_timezone()))
        .aggregate(
            agreed=Count("pk", filter=Q(created_at__range=(since, until))),
            carried_out=Count("pk", filter=carried_out),
            dropped=Count("pk", filter=Q(dropped_at__range=(since, until))),
            overdue=Count("pk", filter=overdue),
            **effects,
        )
    )
    return MeasureCounts(
        agreed=counted["agreed"],
        carried_out=counted["carried_out"],
        overdue=counted["overdue"],
        dropped=counted["dropped"],
        by_effect={value: counted[f"effect_{value}"] for value in Effect.values},
        recurrences=_recurrences(partnership_id, since, until),
    )


def _pair(first: int, second: int | None) -> frozenset[int]:
    return frozenset({first, second}) if second is not None else frozenset({first})


def _recurrences(partnership_id: int, since: datetime, until: datetime) -> int:
    """Cases filed in the period whose category and pair of organisations (either way round) had an
    earlier case with a measure carried out before the new case was filed."""
    done = Measure.objects.filter(
        deviation__partnership_id=partnership_id,
        status=MeasureStatus.CARRIED_OUT,
        carried_out_at__lt=until,
    ).values_list(
        "deviation__category_id",
        "deviation__reporting_organisation_id",
        "deviation__counterpart_id",
        "carried_out_at",
    )
    first_done: dict[tuple[int, frozenset[int]], datetime] = defaultdict(lambda: until)
    for category_id, reporting_id, counterpart_id, carried_out_at in done:
        if carried_out_at is None:
            continue
        key = (category_id, _pair(reporting_id, counterpart_id))
        first_done[key] = min(first_done[key], carried_out_at)
    if not first_done:
        return 0
    filed = Deviation.objects.filter(partnership_id=partnership_id, created_at__range=(since, until)).values_list(
        "category_id", "reporting_organisation_id", "counterpart_id", "created_at"
    )
    return sum(
        1
        for category_id, reporting_id, counterpart_id, created_at in filed
        if (category_id, _pair(reporting_id, counterpart_id)) in first_done
        and first_done[category_id, _pair(reporting_id, counterpart_id)] < created_at
    )
