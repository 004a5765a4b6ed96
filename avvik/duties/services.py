"""Writes of the statutory duties: recording the alert, marking a personal-data breach and
deciding on it. Each checks the person's right and the rule here, not only in the template."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.cases.models import Deviation
from avvik.duties.choices import BreachDecision
from avvik.duties.models import PrivacyBreach, StatutoryAlert
from avvik.duties.permissions import is_duty_keeper, may_mark_breach
from avvik.duties.rules import required_rule
from avvik.tenancy.models import User

# A clock a few minutes fast on the person's machine is not "the future".
CLOCK_SLACK = timedelta(minutes=5)


def _not_in_future(at: datetime | None, field: str) -> None:
    if at is not None and at > timezone.now() + CLOCK_SLACK:
        raise ValidationError({field: _("The time cannot be in the future.")})


@transaction.atomic
def alert_record(
    *,
    deviation: Deviation,
    by: User,
    sent_at: datetime,
    recipients: list[str],
    reference: str = "",
    informed_at: datetime | None = None,
    informed_by: str = "",
    not_informed_reason: str = "",
) -> StatutoryAlert:
    """Record that the statutory alert was sent, to which of the rule's recipients, and whether
    the patient or next of kin was informed (when and by whom, or why not)."""
    existing = StatutoryAlert.objects.filter(deviation=deviation).first()
    if existing is not None:
        return existing
    rule = required_rule(deviation)
    if rule is None or not is_duty_keeper(by, deviation):
        raise PermissionDenied(_("You may not record a statutory alert for this deviation."))
    _not_in_future(sent_at, "sent_at")
    _not_in_future(informed_at, "informed_at")
    unknown = set(recipients) - set(rule.recipients)
    if not recipients or unknown:
        raise ValidationError({"recipients": _("Tick the recipients the alert was sent to.")})
    if informed_at is None and not not_informed_reason.strip():
        raise ValidationError(
            {"not_informed_reason": _("Say when the patient or next of kin was informed, or why they were not.")}
        )
    if informed_at is not None and not informed_by.strip():
        raise ValidationError({"informed_by": _("Say who informed the patient or next of kin.")})
    return StatutoryAlert.objects.create(
        deviation=deviation,
        rule=rule,
        sent_at=sent_at,
        recipients=[name for name in rule.recipients if name in recipients],
        reference=reference.strip(),
        recorded_by=by,
        informed_at=informed_at,
        informed_by=informed_by.strip() if informed_at else "",
        not_informed_reason="" if informed_at else not_informed_reason.strip(),
    )


@transaction.atomic
def breach_mark(*, deviation: Deviation, by: User, aware_at: datetime) -> PrivacyBreach:
    """Mark the case as a personal-data breach; the 72-hour clock runs from `aware_at`."""
    if not may_mark_breach(by, deviation):
        raise PermissionDenied(_("You may not mark this deviation as a personal-data breach."))
    _not_in_future(aware_at, "aware_at")
    breach, _created = PrivacyBreach.objects.get_or_create(
        deviation=deviation, defaults={"aware_at": aware_at, "marked_by": by}
    )
    return breach


@transaction.atomic
def breach_decide(
    *,
    deviation: Deviation,
    by: User,
    decision: str,
    notified_at: datetime | None = None,
    authority_reference: str = "",
    not_notified_reason: str = "",
) -> PrivacyBreach:
    """Record whether Datatilsynet was notified (when, their reference) or why not. Decided once:
    a second decision, or one made at the same moment by someone else, changes nothing."""
    breach = PrivacyBreach.objects.select_for_update().filter(deviation=deviation).first()
    if breach is None or not is_duty_keeper(by, deviation):
        raise PermissionDenied(_("You may not decide on a personal-data breach for this deviation."))
    if breach.is_decided:
        return breach
    if decision == BreachDecision.NOTIFIED:
        if notified_at is None:
            raise ValidationError({"notified_at": _("Say when Datatilsynet was notified.")})
        _not_in_future(notified_at, "notified_at")
        not_notified_reason = ""
    elif decision == BreachDecision.NOT_NOTIFIED:
        if not not_notified_reason.strip():
            raise ValidationError({"not_notified_reason": _("Give the reason for not notifying Datatilsynet.")})
        notified_at, authority_reference = None, ""
    else:
        raise ValidationError({"decision": _("Choose whether Datatilsynet was notified.")})
    breach.decision = decision
    breach.notified_at = notified_at
    breach.authority_reference = authority_reference.strip()
    breach.not_notified_reason = not_notified_reason.strip()
    breach.decided_by = by
    breach.decided_at = timezone.now()
    breach.save(
        update_fields=[
            "decision",
            "notified_at",
            "authority_reference",
            "not_notified_reason",
            "decided_by",
            "decided_at",
        ]
    )
    return breach
