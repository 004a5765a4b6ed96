"""Kinds and states of notifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NEW_CASE = "new_case", _("New deviation for triage")
    FORWARDED = "forwarded", _("Deviation forwarded to your organisation")
    REPORTER_FORWARDED = "reporter_forwarded", _("Your deviation is forwarded")
    QUESTION = "question", _("A question about your deviation")
    ANSWERED = "answered", _("Your deviation has been answered")
    CLOSED = "closed", _("Your deviation is closed")
    REJECTED = "rejected", _("Your deviation is rejected")
    COMMENT = "comment", _("New comment on a deviation")
    REPORTER_REPLIED = "reporter_replied", _("The reporter has answered your question")
    CASE_ANSWERED = "case_answered", _("A deviation is answered, ready to close")
    REMINDER_BEFORE = "reminder_before", _("Answer due soon")
    REMINDER_DUE = "reminder_due", _("Answer due today")
    ESCALATION_LEADER = "escalation_leader", _("Answer overdue")
    ESCALATION_CONTACT_POINT = "escalation_contact_point", _("Answer overdue, escalated to the contact point")
    TRIAGE_OVERDUE = "triage_overdue", _("Triage overdue")
    DAILY_DIGEST = "daily_digest", _("Daily summary")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly summary for your organisation")
    REPORT_READY = "report_ready", _("Quarterly report ready")
    MEASURE_DUE = "measure_due", _("Measure due soon")
    MEASURE_OVERDUE = "measure_overdue", _("Measure overdue")
    ALERT_UNRECORDED = "alert_unrecorded", _("Statutory alert not recorded")
    BREACH_DECISION_DUE = "breach_decision_due", _("Personal-data breach: decision due")
    INVITATION = "invitation", _("Invitation to Samhandling")
    MERGED = "merged", _("Your deviation is merged with another case")
    MERGED_INTO = "merged_into", _("Another report is merged into your deviation")


# Deadline notifications always go at once; the others may wait for a person's daily digest.
URGENT_KINDS = (
    NotificationKind.NEW_CASE,
    NotificationKind.QUESTION,  # the case waits for the reporter
    NotificationKind.REPORTER_REPLIED,  # the answer clock runs again
    NotificationKind.REMINDER_BEFORE,
    NotificationKind.REMINDER_DUE,
    NotificationKind.ESCALATION_LEADER,
    NotificationKind.ESCALATION_CONTACT_POINT,
    NotificationKind.TRIAGE_OVERDUE,
    NotificationKind.DAILY_DIGEST,
    NotificationKind.WEEKLY_DIGEST,
    NotificationKind.REPORT_READY,
    NotificationKind.MEASURE_DUE,
    NotificationKind.MEASURE_OVERDUE,
    NotificationKind.ALERT_UNRECORDED,
    NotificationKind.BREACH_DECISION_DUE,
    NotificationKind.INVITATION,  # the invitee has no account to read a summary with yet
)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held for the daily summary")
    DIGESTED = "digested", _("Sent in a daily summary")
    FAILED = "failed", _("Failed")
