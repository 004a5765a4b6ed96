"""Which alert rule applies to a case, and what it requires: the rule in force on the day the
event occurred, never the consequence values written into code."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from avvik.cases.models import Deviation
from avvik.deadlines.due_dates import calendar_for
from avvik.duties.models import AlertRule


def rule_in_force(day: date) -> AlertRule | None:
    """The rule valid on `day`; where validities overlap, the one that began last."""
    return (
        AlertRule.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def rule_among(rules: Iterable[AlertRule], day: date) -> AlertRule | None:
    """rule_in_force() among rules already read: for a list of many cases."""
    valid = [rule for rule in rules if rule.valid_from <= day and (rule.valid_to is None or rule.valid_to >= day)]
    return max(valid, key=lambda rule: (rule.valid_from, rule.pk), default=None)


def required_rule(deviation: Deviation) -> AlertRule | None:
    """The rule that requires a statutory alert for this case, or None if none does."""
    rule = rule_in_force(timezone.localdate(deviation.occurred_at))
    if rule is None or not rule.triggered_by(deviation.consequence, deviation.unexpected):
        return None
    return rule


def alert_due_date(deviation: Deviation, rule: AlertRule) -> date:
    """The last day the alert is in time: the day the case was filed when the rule says at once,
    else that many working days later."""
    return alert_due_on(deviation.partnership_id, deviation.created_at, rule)


def alert_due_on(partnership_id: int, filed_at: datetime, rule: AlertRule) -> date:
    """alert_due_date for a case known by its partnership and filing time (a count over many cases)."""
    filed = timezone.localdate(filed_at)
    return calendar_for(partnership_id).add_working_days(filed, rule.deadline_working_days or 0)


def is_late(partnership_id: int, filed_at: datetime, rule: AlertRule, sent_at: datetime) -> bool:
    return timezone.localdate(sent_at) > alert_due_on(partnership_id, filed_at, rule)
