"""Choices of message traffic: what a system reports about an electronic message."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    TRANSPORT_RECEIPT = "transport_receipt", _("Transport receipt")
    APPREC = "apprec", _("Application receipt")


class ReceiptStatus(models.TextChoices):
    """The application receipt's answer: the receiving system took the message in, or refused it."""

    OK = "ok", _("OK")
    NEGATIVE = "negative", _("Negative")


class Failure(models.TextChoices):
    NO_RECEIPT = "no_receipt", _("No application receipt within the response time")
    NEGATIVE = "negative", _("Negative application receipt")


class TimeUnit(models.TextChoices):
    """How a response time is typed in; it is stored in minutes."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
