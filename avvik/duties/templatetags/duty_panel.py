"""The statutory duties on the case page: what the rule requires, what is recorded, and the
breach's clock in hours. One tag, so that the case page needs one include and its view nothing."""

from typing import Any

from django import template
from django.utils import timezone

from avvik.cases.models import Deviation
from avvik.duties.forms import AlertForm, BreachDecisionForm, BreachForm
from avvik.duties.models import AlertRule, PrivacyBreach, StatutoryAlert
from avvik.duties.permissions import is_duty_keeper, may_mark_breach
from avvik.duties.rules import alert_due_date, required_rule, rule_among

register = template.Library()


@register.inclusion_tag("duties/panel.html", takes_context=True)
def duty_panel(context: template.Context, deviation: Deviation) -> dict[str, Any]:
    user = context["request"].user
    bound = context.get("bound") or {}
    rule = required_rule(deviation)
    alert = StatutoryAlert.objects.filter(deviation=deviation).select_related("recorded_by").first()
    breach = PrivacyBreach.objects.filter(deviation=deviation).select_related("decided_by").first()
    keeper = is_duty_keeper(user, deviation)
    now = timezone.now()
    return {
        "deviation": deviation,
        "rule": rule,
        "alert": alert,
        "alert_due": alert_due_date(deviation, rule) if rule else None,
        "alert_form": (bound.get("duty_alert") or AlertForm(recipients=rule.recipients))
        if rule and not alert and keeper
        else None,
        "breach": breach,
        "hours_left": breach.hours_left(now) if breach else None,
        "hours_over": -breach.hours_left(now) if breach else None,
        "breach_form": (bound.get("duty_breach") or BreachForm())
        if not breach and may_mark_breach(user, deviation)
        else None,
        "decision_form": (bound.get("duty_breach_decision") or BreachDecisionForm())
        if breach and not breach.is_decided and keeper
        else None,
    }


@register.simple_tag(takes_context=True)
def alert_unrecorded(context: template.Context, deviation: Deviation) -> bool:
    """For a list's rows: a required alert is not recorded on an open case. The rules are read once
    per request; the alert's record only for a row a rule covers (few: very serious events)."""
    if deviation.is_ended:
        return False
    request = context.get("request")
    rules: list[AlertRule] | None = getattr(request, "_alert_rules", None)
    if rules is None:
        rules = list(AlertRule.objects.all())
        if request is not None:
            setattr(request, "_alert_rules", rules)  # noqa: B010  # a cache for this request's rows
    # Most rows have a consequence no rule asks an alert for: their day is never worked out.
    if not any(rule.triggered_by(deviation.consequence, deviation.unexpected) for rule in rules):
        return False
    rule = rule_among(rules, timezone.localdate(deviation.occurred_at))
    if rule is None or not rule.triggered_by(deviation.consequence, deviation.unexpected):
        return False
    return not StatutoryAlert.objects.filter(deviation=deviation).exists()
