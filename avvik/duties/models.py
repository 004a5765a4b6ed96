"""The statutory alert (varselplikt) as dated rules, the alert recorded for one case, and the
personal-data breach (GDPR art. 33) with its decision."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from avvik.cases.models import Deviation
from avvik.duties.choices import BREACH_HOURS, BreachDecision


class AlertRule(models.Model):
    """What the law requires to be alerted, to whom and how soon, for events in its validity
    period. The site's operators keep this table in the Django admin as the law changes."""

    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: valid until further notice."))
    consequences = models.JSONField(
        _("consequences that trigger it"),
        default=list,
        help_text=_('The consequence values, e.g. ["very_serious", "death"].'),
    )
    requires_unexpected = models.BooleanField(_("only unexpected events"), default=True)
    recipients = models.JSONField(_("recipients"), default=list, help_text=_("The names of the recipients, in order."))
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"),
        null=True,
        blank=True,
        help_text=_("Empty: at once (straks)."),
    )
    legal_reference = models.TextField(_("legal reference"))

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="alert_rule_valid_to_after_valid_from",
                violation_error_message=_("A rule cannot end before it begins."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def triggered_by(self, consequence: str, unexpected: bool | None) -> bool:
        return consequence in self.consequences and (bool(unexpected) or not self.requires_unexpected)


class StatutoryAlert(models.Model):
    """The statutory alert of one case as sent: when, to whom, their reference, and whether the
    patient or next of kin was informed."""

    deviation = models.OneToOneField(
        Deviation, on_delete=models.CASCADE, related_name="statutory_alert", verbose_name=_("deviation")
    )
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("alert rule"))
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.JSONField(_("sent to"), default=list)
    reference = models.CharField(_("the recipient's case number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    informed_at = models.DateTimeField(_("patient or next of kin informed"), null=True, blank=True)
    informed_by = models.CharField(_("informed by"), max_length=200, blank=True)
    not_informed_reason = models.TextField(_("why the patient or next of kin was not informed"), blank=True)

    class Meta:
        verbose_name = _("statutory alert")
        verbose_name_plural = _("statutory alerts")

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.sent_at:%Y-%m-%d %H:%M}"


class PrivacyBreach(models.Model):
    """A case marked as a personal-data breach (GDPR art. 33), with the 72-hour clock from when
    the organisation became aware, and the decision on notifying Datatilsynet."""

    deviation = models.OneToOneField(
        Deviation, on_delete=models.CASCADE, related_name="privacy_breach", verbose_name=_("deviation")
    )
    aware_at = models.DateTimeField(_("became aware"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=20, choices=BreachDecision.choices, blank=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    authority_reference = models.CharField(_("Datatilsynet's reference"), max_length=100, blank=True)
    not_notified_reason = models.TextField(_("why it was not notified"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        indexes = [
            # The reminder sweep: undecided breaches.
            models.Index(fields=["decision", "aware_at"], name="breach_decision_aware"),
        ]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.aware_at:%Y-%m-%d %H:%M}"

    @property
    def deadline(self) -> datetime:
        return self.aware_at + timedelta(hours=BREACH_HOURS)

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    def hours_left(self, now: datetime) -> int:
        """Whole hours until the deadline, rounded down; negative once it has passed."""
        return int((self.deadline - now).total_seconds() // 3600)
