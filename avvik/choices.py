"""Choices used across the domain, with readable values."""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HOSPITAL_TRUST = "hospital_trust", _("Hospital trust")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other party")


class WrittenForm(models.TextChoices):
    """The written standard of Norwegian an organisation uses (målform)."""

    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Deviation handler")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COORDINATOR = "coordinator", _("Contact point coordinator")
    COUNCIL = "council", _("Council member")


# Roles held in an organisation; the others are held in a whole partnership.
ORGANISATION_ROLES = (Role.REPORTER, Role.HANDLER, Role.ORG_ADMIN)
PARTNERSHIP_ROLES = (Role.COORDINATOR, Role.COUNCIL)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the reporter")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Bootstrap colours for status badges; the label is always shown, never the colour alone.
STATUS_COLOURS = {
    Status.SUBMITTED: "primary",
    Status.FORWARDED: "info",
    Status.IN_PROGRESS: "warning",
    Status.WAITING: "secondary",
    Status.ANSWERED: "success",
    Status.CLOSED: "dark",
    Status.REJECTED: "danger",
    Status.WITHDRAWN: "light",
}

OPEN_STATUSES = (Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED)
ENDED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)
# The answer deadline runs in these; it stops while waiting for the reporter and once answered.
ANSWER_CLOCK_RUNNING = (Status.FORWARDED, Status.IN_PROGRESS)


class Consequence(models.TextChoices):
    NONE = "none", _("None")
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical or death")


CONSEQUENCE_COLOURS = {
    Consequence.NONE: "light",
    Consequence.MINOR: "info",
    Consequence.MODERATE: "warning",
    Consequence.SERIOUS: "danger",
    Consequence.CRITICAL: "danger",
}
SERIOUS_CONSEQUENCES = (Consequence.SERIOUS, Consequence.CRITICAL)


class MessageType(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    DISCHARGE_SUMMARY = "discharge_summary", _("Discharge summary")
    PLO_ADMISSION = "plo_admission", _("PLO admission report")
    PLO_DISCHARGE = "plo_discharge", _("PLO discharge report")
    PLO_HEALTH_INFO = "plo_health_info", _("PLO health information")
    PLO_REQUEST = "plo_request", _("PLO request")
    DIALOGUE = "dialogue", _("Dialogue message")
    LAB_REQUISITION = "lab_requisition", _("Laboratory requisition")
    LAB_RESULT = "lab_result", _("Laboratory result")
    RADIOLOGY_REQUISITION = "radiology_requisition", _("Radiology requisition")
    RADIOLOGY_RESULT = "radiology_result", _("Radiology result")
    OTHER = "other", _("Other message")


class AppRec(models.TextChoices):
    """Whether the receiving system returned an application receipt (applikasjonskvittering)."""

    RECEIVED = "received", _("Received, OK")
    NEGATIVE = "negative", _("Received, negative")
    MISSING = "missing", _("Missing")


class Action(models.TextChoices):
    FORWARD = "forward", _("Forward")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")
    ACCEPT = "accept", _("Accept")
    WAIT = "wait", _("Ask the reporter")
    RESUME = "resume", _("Resume")
    ANSWER = "answer", _("Answer")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


class Actor(models.TextChoices):
    """Who may take an action on a case."""

    COORDINATOR = "coordinator", _("Coordinator of the partnership")
    RESPONSIBLE_HANDLER = "responsible_handler", _("Handler in the responsible organisation")
    REPORTER = "reporter", _("The person who reported")


class Rule(NamedTuple):
    sources: frozenset[str]
    target: str
    actor: str
    note_required: bool


# The one table of allowed transitions. Services enforce it; templates read it to show buttons.
TRANSITIONS: dict[str, Rule] = {
    Action.FORWARD: Rule(frozenset({Status.SUBMITTED, Status.FORWARDED}), Status.FORWARDED, Actor.COORDINATOR, False),
    Action.REJECT: Rule(frozenset({Status.SUBMITTED, Status.FORWARDED}), Status.REJECTED, Actor.COORDINATOR, True),
    Action.WITHDRAW: Rule(frozenset({Status.SUBMITTED}), Status.WITHDRAWN, Actor.REPORTER, False),
    Action.ACCEPT: Rule(frozenset({Status.FORWARDED}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER, False),
    Action.WAIT: Rule(frozenset({Status.IN_PROGRESS}), Status.WAITING, Actor.RESPONSIBLE_HANDLER, True),
    Action.RESUME: Rule(frozenset({Status.WAITING}), Status.IN_PROGRESS, Actor.RESPONSIBLE_HANDLER, False),
    Action.ANSWER: Rule(frozenset({Status.IN_PROGRESS}), Status.ANSWERED, Actor.RESPONSIBLE_HANDLER, False),
    Action.CLOSE: Rule(
        frozenset({Status.ANSWERED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING}),
        Status.CLOSED,
        Actor.COORDINATOR,
        True,
    ),
    Action.REOPEN: Rule(frozenset({Status.ANSWERED, Status.CLOSED}), Status.IN_PROGRESS, Actor.COORDINATOR, True),
}


class AccessKind(models.TextChoices):
    CASE = "case", _("Opened the case")
    PATIENT = "patient", _("Viewed the patient reference")
    ATTACHMENT = "attachment", _("Downloaded an attachment")
    EXPORT = "export", _("Exported a list")


class NotificationKind(models.TextChoices):
    NEW_CASE = "new_case", _("New deviation for triage")
    FORWARDED = "forwarded", _("Deviation forwarded to your organisation")
    REPORTER_FORWARDED = "reporter_forwarded", _("Your deviation is forwarded")
    QUESTION = "question", _("A question about your deviation")
    ANSWERED = "answered", _("Your deviation is answered")
    CLOSED = "closed", _("Your deviation is closed")
    REJECTED = "rejected", _("Your deviation is rejected")
    COMMENT = "comment", _("New message on a deviation")
    REMINDER_BEFORE = "reminder_before", _("Answer due soon")
    REMINDER_DUE = "reminder_due", _("Answer due today")
    ESCALATION_LEADER = "escalation_leader", _("Answer overdue")
    ESCALATION_CONTACT_POINT = "escalation_contact_point", _("Answer overdue, escalated to the contact point")
    TRIAGE_OVERDUE = "triage_overdue", _("Triage overdue")
    DAILY_DIGEST = "daily_digest", _("Daily summary")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly summary for your organisation")
    REPORT_READY = "report_ready", _("Quarterly report ready")


# Deadline notifications always go at once; the others may wait for a person's daily digest.
URGENT_KINDS = (
    NotificationKind.NEW_CASE,
    NotificationKind.QUESTION,  # the case waits for the reporter
    NotificationKind.REMINDER_BEFORE,
    NotificationKind.REMINDER_DUE,
    NotificationKind.ESCALATION_LEADER,
    NotificationKind.ESCALATION_CONTACT_POINT,
    NotificationKind.TRIAGE_OVERDUE,
    NotificationKind.DAILY_DIGEST,
    NotificationKind.WEEKLY_DIGEST,
    NotificationKind.REPORT_READY,
)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held for the daily summary")
    DIGESTED = "digested", _("Sent in a daily summary")
    FAILED = "failed", _("Failed")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("In a daily summary")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
