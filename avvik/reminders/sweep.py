"""The reminder sweep: finds what is due in the database (no long-ETA tasks) and writes the
reminders and escalations to the outbox, where a unique key makes each one happen once."""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from avvik.access.people import coordinators_of, handlers_of, handles_for, leaders_of
from avvik.cases.choices import ANSWER_CLOCK_RUNNING, Status
from avvik.cases.models.deviation import Deviation
from avvik.deadlines.due_dates import calendar_for
from avvik.deadlines.phrases import reason_of, reason_text
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import Notice, notify_all
from avvik.tenancy.models import Partnership


@dataclass
class SweepResult:
    """What one sweep wrote: the rows this call inserted, not those another sweep running at the
    same time wrote for the same cases (each key is written once, by one of them)."""

    notifications: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def sweep_deadlines(today: date | None = None) -> SweepResult:
    """Write every reminder and escalation that is due by `today`, once; return the ids of the rows
    this call wrote."""
    today = today or timezone.localdate()
    result = SweepResult()
    for partnership in Partnership.objects.all():
        _sweep_partnership(partnership, today, result)
    return result


# Cases handled per transaction: few enough for short transactions, many enough that the
# outbox is written in a handful of queries per batch instead of several per case.
BATCH = 2000


# The sweep reads many thousand cases and none of their free text.
FREE_TEXT = (
    "title",
    "description",
    "immediate_action",
    "suggested_measure",
    "answer_cause",
    "answer_measures",
    "council_summary",
)


def _sweep_partnership(partnership: Partnership, today: date, result: SweepResult) -> None:
    calendar = calendar_for(partnership.pk)
    before = settings.REMINDER_DAYS_BEFORE
    escalate_after = settings.ESCALATE_AFTER_DAYS
    coordinators = None
    # Many cases share a due day: count the working days once per day.
    left_until = functools.lru_cache(maxsize=None)(lambda due: calendar.working_days_between(today, due))
    # Only cases whose deadline is within reach: answer due by `before` working days from today.
    horizon = calendar.add_working_days(today, before)
    answer_cases = (
        Deviation.objects.filter(partnership=partnership, status__in=ANSWER_CLOCK_RUNNING, answer_due__lte=horizon)
        .select_related("assignee")
        .defer(*FREE_TEXT)
        .order_by("answer_due", "pk")
    )
    people: dict[tuple, object] = {}
    batch: list[Notice] = []
    for deviation in answer_cases.iterator(chunk_size=BATCH):
        left = left_until(deviation.answer_due)
        due = deviation.answer_due.isoformat()
        org = deviation.responsible_organisation_id
        # The case handler, while they still handle for the organisation; else all its handlers.
        assignee = deviation.assignee
        if assignee and _cached(people, "handles", (assignee.pk, org), lambda key, a=assignee: handles_for(a, key[1])):
            handlers = [assignee]
        else:
            handlers = _cached(people, "handlers", org, lambda key: list(handlers_of(key)))
        steps = []
        if 0 < left <= before:
            steps.append((NotificationKind.REMINDER_BEFORE, handlers, f"{due}:before"))
        if left == 0:  # past the due day the escalation ladder takes over
            steps.append((NotificationKind.REMINDER_DUE, handlers, f"{due}:due"))
        if left < 0:
            steps.append(
                (
                    NotificationKind.ESCALATION_LEADER,
                    _cached(people, "leaders", org, lambda key: list(leaders_of(key))),
                    due,
                )
            )
        if left <= -escalate_after:
            coordinators = coordinators if coordinators is not None else list(coordinators_of(partnership.pk))
            steps.append((NotificationKind.ESCALATION_CONTACT_POINT, coordinators, due))
        for kind, recipients, threshold in steps:
            if recipients:
                batch.append(Notice(kind, recipients, deviation, threshold=threshold, reason=_reason(left)))
        if len(batch) >= BATCH:
            _write(result, batch)
            batch = []
    triage_cases = (
        Deviation.objects.filter(partnership=partnership, status=Status.SUBMITTED, triage_due__lt=today)
        .defer(*FREE_TEXT)
        .order_by("triage_due", "pk")
    )
    for deviation in triage_cases.iterator(chunk_size=BATCH):
        coordinators = coordinators if coordinators is not None else list(coordinators_of(partnership.pk))
        if coordinators:
            batch.append(
                Notice(
                    NotificationKind.TRIAGE_OVERDUE,
                    coordinators,
                    deviation,
                    threshold=deviation.triage_due.isoformat(),
                    reason=_reason(left_until(deviation.triage_due)),
                )
            )
        if len(batch) >= BATCH:
            _write(result, batch)
            batch = []
    _write(result, batch)


def _cached(cache: dict, name: str, key, lookup):
    if (name, key) not in cache:
        cache[name, key] = lookup(key)
    return cache[name, key]


def _reason(left: int) -> str:
    # Kept as the number of working days: each e-mail and page puts it in its reader's language.
    return reason_of(left)


def _write(result: SweepResult, batch: list[Notice]) -> None:
    """Write a batch of reminders in one transaction; each row once, by its key. A notice whose rows
    another sweep wrote first has no ids here and is not reported."""
    if not batch:
        return
    with transaction.atomic():
        notify_all(batch)
    for notice in batch:
        if notice.ids:
            result.notifications.extend(notice.ids)
            names = ", ".join(sorted(user.email for user in notice.recipients))
            result.lines.append(f"{notice.deviation.reference}: {notice.kind} → {names} ({reason_text(notice.reason)})")
