"""Choices of the statutory duties: the decision on a personal-data breach."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BreachDecision(models.TextChoices):
    NOTIFIED = "notified", _("Notified to Datatilsynet")
    NOT_NOTIFIED = "not_notified", _("Not notified")


# GDPR art. 33: the supervisory authority is notified within 72 hours of becoming aware.
BREACH_HOURS = 72
# The hours after awareness at which the contact point and the managers are reminded.
BREACH_REMINDER_HOURS = (24, 48)
