"""The reminder sweep: finds what is due in the database (no long-ETA tasks) and writes the
reminders and escalations to the outbox, where a unique key makes each one happen once."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.choices import ANSWER_CLOCK_RUNNING, NotificationKind, Status
from avvik.deadlines import calendar_for
from avvik.models import Deviation, Partnership
from avvik.notifications import coordinators_of, handlers_of, leaders_of, notify
from avvik.permissions import handles_for


@dataclass
class SweepResult:
    notifications: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def sweep_deadlines(today: date | None = None) -> SweepResult:
    """Write every reminder and escalation that is due by `today`, once; return the new rows' ids."""
    today = today or timezone.localdate()
    result = SweepResult()
    for partnership in Partnership.objects.all():
        _sweep_partnership(partnership, today, result)
    return result


def _sweep_partnership(partnership: Partnership, today: date, result: SweepResult) -> None:
    calendar = calendar_for(partnership.pk)
    before = settings.REMINDER_DAYS_BEFORE
    escalate_after = settings.ESCALATE_AFTER_DAYS
    coordinators = None
    # Only cases whose deadline is within reach: answer due by `before` working days from today.
    horizon = calendar.add_working_days(today, before)
    answer_cases = (
        Deviation.objects.filter(partnership=partnership, status__in=ANSWER_CLOCK_RUNNING, answer_due__lte=horizon)
        .select_related("assignee")
        .order_by("answer_due", "pk")
    )
    people: dict[tuple[str, int], list] = {}
    for deviation in answer_cases.iterator(chunk_size=2000):
        left = calendar.working_days_between(today, deviation.answer_due)
        due = deviation.answer_due.isoformat()
        org = deviation.responsible_organisation_id
        # The case handler, while they still handle for the organisation; else all its handlers.
        if deviation.assignee and handles_for(deviation.assignee, org):
            handlers = [deviation.assignee]
        else:
            handlers = _cached(people, "handlers", org, handlers_of)
        steps = []
        if 0 < left <= before:
            steps.append((NotificationKind.REMINDER_BEFORE, handlers, f"{due}:before"))
        if left == 0:  # past the due day the escalation ladder takes over
            steps.append((NotificationKind.REMINDER_DUE, handlers, f"{due}:due"))
        if left < 0:
            steps.append((NotificationKind.ESCALATION_LEADER, _cached(people, "leaders", org, leaders_of), due))
        if left <= -escalate_after:
            coordinators = coordinators if coordinators is not None else coordinators_of(partnership.pk)
            steps.append((NotificationKind.ESCALATION_CONTACT_POINT, coordinators, due))
        for kind, recipients, threshold in steps:
            _write(result, deviation, kind, recipients, threshold, _reason(left))
    triage_cases = Deviation.objects.filter(
        partnership=partnership, status=Status.SUBMITTED, triage_due__lt=today
    ).order_by("triage_due", "pk")
    for deviation in triage_cases.iterator(chunk_size=2000):
        coordinators = coordinators if coordinators is not None else coordinators_of(partnership.pk)
        left = calendar.working_days_between(today, deviation.triage_due)
        _write(
            result,
            deviation,
            NotificationKind.TRIAGE_OVERDUE,
            coordinators,
            deviation.triage_due.isoformat(),
            _reason(left),
        )


def _cached(cache: dict, name: str, organisation_id: int, lookup) -> list:
    key = (name, organisation_id)
    if key not in cache:
        cache[key] = lookup(organisation_id)
    return cache[key]


def _reason(left: int) -> str:
    if left > 0:
        return _("Due in {days} working days.").format(days=left) if left != 1 else _("Due in 1 working day.")
    if left == 0:
        return _("Due today.")
    return _("Overdue by {days} working days.").format(days=-left) if left != -1 else _("Overdue by 1 working day.")


def _write(result: SweepResult, deviation: Deviation, kind: str, recipients, threshold: str, reason: str) -> None:
    if not recipients:
        return
    with transaction.atomic():
        ids = notify(kind=kind, recipients=recipients, deviation=deviation, threshold=threshold, reason=reason)
    if ids:
        result.notifications.extend(ids)
        names = ", ".join(sorted(user.email for user in recipients))
        result.lines.append(f"{deviation.reference}: {kind} → {names} ({reason})")
