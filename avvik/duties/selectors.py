"""Reads of the statutory duties for the council's report: plain counts for one partnership and
period, nothing that names a case."""

import functools
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from avvik.cases.models import Deviation
from avvik.duties.models import AlertRule, PrivacyBreach, StatutoryAlert
from avvik.duties.rules import is_late, rule_in_force


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
    triggering = {value for rule in AlertRule.objects.all() for value in rule.consequences}
    candidates = Deviation.objects.filter(
        partnership_id=partnership_id,
        created_at__date__gte=start,
        created_at__date__lte=end,
        consequence__in=triggering,
    ).only("pk", "partnership_id", "created_at", "occurred_at", "consequence", "unexpected")
    rule_on = functools.lru_cache(maxsize=None)(rule_in_force)
    required = {}
    for deviation in candidates:
        rule = rule_on(timezone.localdate(deviation.occurred_at))
        if rule is not None and rule.triggered_by(deviation.consequence, deviation.unexpected):
            required[deviation.pk] = (deviation, rule)
    alerts = StatutoryAlert.objects.filter(deviation_id__in=required).only("deviation_id", "sent_at")
    recorded = late = 0
    for alert in alerts:
        recorded += 1
        late += is_late(*required[alert.deviation_id], alert.sent_at)
    breaches = list(
        PrivacyBreach.objects.filter(
            deviation__partnership_id=partnership_id, aware_at__date__gte=start, aware_at__date__lte=end
        )
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
