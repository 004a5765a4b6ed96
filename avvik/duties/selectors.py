"""Reads of the statutory duties for the council's report: plain counts for one partnership and
period, nothing that names a case."""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from avvik.cases.models import Deviation
from avvik.duties.models import AlertRule, PrivacyBreach
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
    candidates = Deviation.objects.filter(
        partnership_id=partnership_id, created_at__gte=since, created_at__lt=until, consequence__in=triggering
    )
    if rules and all(rule.requires_unexpected for rule in rules):
        # No rule is triggered by an expected event: those cases are not read at all.
        candidates = candidates.filter(unexpected=True)
    # Plain rows, not model instances: a year of serious cases is some hundreds; each with its
    # alert as recorded, if one was (a case has at most one).
    rows = candidates.values_list("created_at", "occurred_at", "consequence", "unexpected", "statutory_alert__sent_at")
    # The rules are read once: a year of serious cases occurred on some hundreds of days.
    rule_on = functools.lru_cache(maxsize=None)(lambda day: rule_among(rules, day))
    required = recorded = late = 0
    for created_at, occurred_at, consequence, unexpected, sent_at in rows:
        rule = rule_on(timezone.localdate(occurred_at, zone))
        if rule is None or not rule.triggered_by(consequence, unexpected):
            continue
        required += 1
        if sent_at is not None:
            recorded += 1
            late += is_late(partnership_id, created_at, rule, sent_at)
    breaches = list(
        PrivacyBreach.objects.filter(deviation__partnership_id=partnership_id, aware_at__gte=since, aware_at__lt=until)
    )
    return DutyCounts(
        alerts_required=required,
        alerts_recorded=recorded,
        alerts_recorded_late=late,
        breaches=len(breaches),
        breaches_notified=sum(b.decision == "notified" for b in breaches),
        breaches_not_notified=sum(b.decision == "not_notified" for b in breaches),
        breaches_decided_late=sum(b.decided_at is not None and b.decided_at > b.deadline for b in breaches),
    )
