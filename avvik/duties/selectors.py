"""Reads of the statutory duties for the council's report: plain counts for one partnership and
period, nothing that names a case."""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from avvik.cases.models import Deviation
from avvik.duties.models import AlertRule, PrivacyBreach, StatutoryAlert
from avvik.duties.rules import is_late, rule_among


@dataclass(frozen=True)
class DutyCounts:
    """Alerts required of the cases filed in the period, and breaches that became known in it."""

    alerts_required: int = 0
    alerts_recorded: int = 0
    alerts_recorded_late: int = 0
    breaches: int = 0
    breaches_notified: int = 0
    breaches_not_notified: int = 0
    breaches_decided_late: int = 0


def duty_counts(partnership_id: int, start: date, end: date) -> DutyCounts:
    """The counts for cases filed (alerts) and breaches known (breaches) from `start` to `end`, inclusive."""
    rules = list(AlertRule.objects.all())
    triggering = {value for rule in rules for value in rule.consequences}
    # Local day bounds as moments, so that the index on (partnership, created_at) is used.
    zone = timezone.get_current_timezone()
    since, until = datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)
    # Plain rows, not model instances: a year of serious cases is some hundreds.
    candidates = Deviation.objects.filter(
        partnership_id=partnership_id, created_at__gte=since, created_at__lt=until, consequence__in=triggering
    ).values_list("pk", "created_at", "occurred_at", "consequence", "unexpected")
    # The rules are read once: a year of serious cases occurred on some hundreds of days.
    rule_on = functools.lru_cache(maxsize=None)(lambda day: rule_among(rules, day))
    required = {}
    for pk, created_at, occurred_at, consequence, unexpected in candidates:
        rule = rule_on(timezone.localdate(occurred_at))
        if rule is not None and rule.triggered_by(consequence, unexpected):
            required[pk] = (created_at, rule)
    alerts = StatutoryAlert.objects.filter(deviation_id__in=required).values_list("deviation_id", "sent_at")
    recorded = late = 0
    for deviation_id, sent_at in alerts:
        recorded += 1
        late += is_late(partnership_id, *required[deviation_id], sent_at)
    breaches = list(
        PrivacyBreach.objects.filter(deviation__partnership_id=partnership_id, aware_at__gte=since, aware_at__lt=until)
    )
    return DutyCounts(
        alerts_required=len(required),
        alerts_recorded=recorded,
        alerts_recorded_late=late,
        breaches=len(breaches),
        breaches_notified=sum(b.decision == "notified" for b in breaches),
        breaches_not_notified=sum(b.decision == "not_notified" for b in breaches),
        breaches_decided_late=sum(b.decided_at is not None and b.decided_at > b.deadline for b in breaches),
    )
