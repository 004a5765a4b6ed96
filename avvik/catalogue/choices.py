"""The scale a case is graded on: its consequence, with a colour beside each grade for badges."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
