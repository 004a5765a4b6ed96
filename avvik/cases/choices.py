"""Choices of a case, with readable values and a colour beside each for badges."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the reporter")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A duplicate report of the same event, merged into the main case and followed there.
    MERGED = "merged", _("Merged")


# Bootstrap colours for status badges; the label is always shown, never the colour alone.
STATUS_COLOURS: dict[str, str] = {
    Status.SUBMITTED: "primary",
    Status.FORWARDED: "info",
    Status.IN_PROGRESS: "warning",
    Status.WAITING: "secondary",
    Status.ANSWERED: "success",
    Status.CLOSED: "dark",
    Status.REJECTED: "danger",
    Status.WITHDRAWN: "light",
    Status.MERGED: "light",
}


OPEN_STATUSES = (Status.SUBMITTED, Status.FORWARDED, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED)
ENDED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN, Status.MERGED)


# The answer deadline runs in these; it stops while waiting for the reporter and once answered.
ANSWER_CLOCK_RUNNING = (Status.FORWARDED, Status.IN_PROGRESS)


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
    # Logistics messages between hospital and municipality.
    LOGISTICS_ADMITTED = "logistics_admitted", _("Logistics: admitted")
    LOGISTICS_READY = "logistics_ready", _("Logistics: ready for discharge")
    LOGISTICS_DISCHARGED = "logistics_discharged", _("Logistics: discharged")
    LOGISTICS_DEATH = "logistics_death", _("Logistics: death")
    REQUEST_ANSWER = "request_answer", _("Answer to a request")
    DEVIATION_MESSAGE = "deviation_message", _("Deviation message")
    OTHER = "other", _("Other message")


class AppRec(models.TextChoices):
    """Whether the receiving system returned an application receipt (applikasjonskvittering)."""

    RECEIVED = "received", _("Received, OK")
    NEGATIVE = "negative", _("Received, negative")
    MISSING = "missing", _("Missing")


class Channel(models.TextChoices):
    """How the information actually went between the parties."""

    HEALTH_NETWORK = "health_network", _("Electronic message over Norsk Helsenett")
    PAPER = "paper", _("Paper or letter")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone")
    OTHER = "other", _("Other channel")


# The common error codes of a negative application receipt (volven 8221, "Feil i applikasjonskvittering"),
# offered as help; the field takes any code the receipt gave.
APPREC_ERROR_CODES = (
    ("E10", _("Invalid message identifier")),
    ("E20", _("Physician does not exist")),
    ("E21", _("Recipient does not exist")),
    ("E35", _("The patient does not exist in the recipient's system")),
    ("T01", _("Not XML, not well-formed or unreadable")),
    ("T02", _("The XML does not validate")),
    ("T10", _("The message format is not supported")),
    ("S01", _("Error in the signature")),
    ("X99", _("Other error")),
)


class Action(models.TextChoices):
    FORWARD = "forward", _("Forward")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")
    ACCEPT = "accept", _("Accept")
    WAIT = "wait", _("Ask the reporter")
    RESUME = "resume", _("Resume")
    REPLY = "reply", _("Answer the question")
    ANSWER = "answer", _("Answer")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    MERGE = "merge", _("Merge into another case")


class RelationKind(models.TextChoices):
    """How two cases of a partnership are related. "Caused by" has a direction: the source was
    caused by the target (read from the target: it led to the source)."""

    SAME_EVENT = "same_event", _("Same event")
    DUPLICATE_OF = "duplicate_of", _("Duplicate of")
    CAUSED_BY = "caused_by", _("Caused by")


class Actor(models.TextChoices):
    """Who may take an action on a case."""

    COORDINATOR = "coordinator", _("Coordinator of the partnership")
    RESPONSIBLE_HANDLER = "responsible_handler", _("Handler in the responsible organisation")
    REPORTER = "reporter", _("The person who reported")


class AccessKind(models.TextChoices):
    CASE = "case", _("Opened the case")
    PATIENT = "patient", _("Viewed the patient reference")
    ATTACHMENT = "attachment", _("Downloaded an attachment")
    EXPORT = "export", _("Exported a list")
    PATIENT_SEARCH = "patient_search", _("Found the case by the patient's identity number")
    CASE_EXPORT = "case_export", _("Exported the case")
