"""The follow-up sweep: finds open measures near or past their due date and writes the reminders
and escalations to the outbox, where a unique key makes each one happen once."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from avvik.access.people import coordinators_of, handlers_of, handles_for, leaders_of
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import reason_of
from avvik.measures.choices import OPEN_STATUSES
from avvik.measures.models import Measure
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import Notice, notify_all
from avvik.tenancy.models import Partnership, User

# Measures handled per transaction, as in the deadline sweep.
BATCH = 500


@dataclass
class MeasureSweepResult:
    """The ids of the outbox rows this sweep wrote (not those another sweep wrote first)."""

    notifications: list[int] = field(default_factory=list)


def measure_threshold(measure: Measure) -> str:
    """What makes a measure's reminder one of a kind: the measure and its due date, so that a new
    due date is reminded of again and the same one never twice. The e-mail reads the measure back
    from it (avvik.measures.notices)."""
    return f"m{measure.pk}:{measure.due_date.isoformat()}"


def sweep_measures(today: date | None = None) -> MeasureSweepResult:
    """Write every measure reminder and escalation that is due by `today`, once."""
    today = today or timezone.localdate()
    result = MeasureSweepResult()
    for partnership in Partnership.objects.all():
        _sweep_partnership(partnership, today, result)
    return result


def _reminded(measure: Measure) -> list[User]:
    """The responsible person, while they still handle for the organisation; else its handlers."""
    person = measure.responsible_person
    if person is not None and person.is_active and handles_for(person, measure.responsible_organisation_id):
        return [person]
    return list(handlers_of(measure.responsible_organisation_id))


def _sweep_partnership(partnership: Partnership, today: date, result: MeasureSweepResult) -> None:
    calendar = calendar_for(partnership.pk)
    before = settings.MEASURE_REMINDER_DAYS_BEFORE
    horizon = calendar.add_working_days(today, before)
    measures = (
        Measure.objects.filter(deviation__partnership=partnership, status__in=OPEN_STATUSES, due_date__lte=horizon)
        .select_related("deviation", "responsible_person")
        .order_by("due_date", "pk")
    )
    coordinators: list[User] | None = None
    leaders: dict[int, list[User]] = {}
    batch: list[Notice] = []
    for measure in measures.iterator(chunk_size=BATCH):
        left = calendar.working_days_between(today, measure.due_date)
        threshold = measure_threshold(measure)
        if 0 <= left <= before:
            batch.append(
                Notice(
                    NotificationKind.MEASURE_DUE,
                    _reminded(measure),
                    measure.deviation,
                    threshold=threshold,
                    reason=reason_of(left),
                )
            )
        elif left < 0:
            organisation = measure.responsible_organisation_id
            if organisation not in leaders:
                leaders[organisation] = list(leaders_of(organisation))
            if coordinators is None:
                coordinators = list(coordinators_of(partnership.pk))
            batch.append(
                Notice(
                    NotificationKind.MEASURE_OVERDUE,
                    [*leaders[organisation], *coordinators],
                    measure.deviation,
                    threshold=threshold,
                    reason=reason_of(left),
                )
            )
        if len(batch) >= BATCH:
            _write(result, batch)
            batch = []
    _write(result, batch)


def _write(result: MeasureSweepResult, batch: list[Notice]) -> None:
    if not batch:
        return
    with transaction.atomic():
        result.notifications.extend(notify_all(batch))
