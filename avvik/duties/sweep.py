"""The duties sweep: finds required alerts not yet recorded and breaches not yet decided, and
writes reminders to the outbox, where each key (case, kind, day or threshold, person) is
written once: at most one alert reminder per case and day, never lost."""

import functools
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from avvik.access.people import coordinators_of, leaders_of
from avvik.cases.choices import OPEN_STATUSES
from avvik.cases.models import Deviation
from avvik.duties.choices import BREACH_HOURS, BREACH_REMINDER_HOURS
from avvik.duties.models import AlertRule, PrivacyBreach
from avvik.duties.rules import rule_in_force
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import User


def sweep_duties(now: datetime | None = None) -> list[int]:
    """Write the reminders due at `now`; return the ids of the rows this call wrote."""
    now = now or timezone.now()
    return _alerts(timezone.localdate(now)) + _breaches(now)


def _alerts(today: date) -> list[int]:
    triggering = {value for rule in AlertRule.objects.all() for value in rule.consequences}
    candidates = (
        Deviation.objects.filter(status__in=OPEN_STATUSES, consequence__in=triggering, statutory_alert__isnull=True)
        .only("pk", "partnership_id", "reporting_organisation_id", "occurred_at", "consequence", "unexpected")
        .order_by("pk")
    )
    rule_on = functools.lru_cache(maxsize=None)(rule_in_force)
    ids: list[int] = []
    for deviation in candidates.iterator():
        rule = rule_on(timezone.localdate(deviation.occurred_at))
        if rule is None or not rule.triggered_by(deviation.consequence, deviation.unexpected):
            continue
        people = _people(deviation.partnership_id, deviation.reporting_organisation_id)
        with transaction.atomic():
            ids += notify(
                kind=NotificationKind.ALERT_UNRECORDED,
                recipients=people,
                deviation=deviation,
                threshold=today.isoformat(),
            )
    return ids


def breach_threshold(breach: PrivacyBreach, now: datetime) -> str:
    """The last reminder point the breach has passed: "24h", "48h", "overdue", or "" before the first."""
    hours = (now - breach.aware_at).total_seconds() / 3600
    if hours >= BREACH_HOURS:
        return "overdue"
    passed = [h for h in BREACH_REMINDER_HOURS if hours >= h]
    return f"{passed[-1]}h" if passed else ""


def _breaches(now: datetime) -> list[int]:
    ids: list[int] = []
    undecided = PrivacyBreach.objects.filter(decision="").select_related("deviation").order_by("pk")
    for breach in undecided.iterator():
        # Only the latest point passed: a sweep that ran late does not send the earlier ones too.
        threshold = breach_threshold(breach, now)
        if not threshold:
            continue
        deviation = breach.deviation
        responsible = deviation.responsible_organisation_id or deviation.counterpart_id
        with transaction.atomic():
            ids += notify(
                kind=NotificationKind.BREACH_DECISION_DUE,
                recipients=_people(deviation.partnership_id, responsible),
                deviation=deviation,
                threshold=threshold,
            )
    return ids


def _people(partnership_id: int, organisation_id: int | None) -> list[User]:
    """The contact point and the organisation's managers."""
    return [*coordinators_of(partnership_id), *leaders_of(organisation_id)]
