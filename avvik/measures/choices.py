"""A measure's status and the evaluation of its effect, with the transitions allowed between statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    CARRIED_OUT = "carried_out", _("Carried out")
    DROPPED = "dropped", _("Dropped")


class Effect(models.TextChoices):
    NOT_EVALUATED = "not_evaluated", _("Not evaluated yet")
    EFFECTIVE = "effective", _("Effective")
    PARTLY_EFFECTIVE = "partly_effective", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


# Bootstrap colours for badges; the label is always shown, never the colour alone.
STATUS_COLOURS: dict[str, str] = {
    MeasureStatus.AGREED: "primary",
    MeasureStatus.IN_PROGRESS: "info",
    MeasureStatus.CARRIED_OUT: "success",
    MeasureStatus.DROPPED: "secondary",
}

# Measures still to be carried out: followed up with reminders and escalation.
OPEN_STATUSES = (MeasureStatus.AGREED, MeasureStatus.IN_PROGRESS)

# From each status, where a measure may go. A carried-out measure may be taken up again when it
# turns out not to be done after all; a dropped one may be agreed again.
TRANSITIONS: dict[str, frozenset[str]] = {
    MeasureStatus.AGREED: frozenset({MeasureStatus.IN_PROGRESS, MeasureStatus.CARRIED_OUT, MeasureStatus.DROPPED}),
    MeasureStatus.IN_PROGRESS: frozenset({MeasureStatus.AGREED, MeasureStatus.CARRIED_OUT, MeasureStatus.DROPPED}),
    MeasureStatus.CARRIED_OUT: frozenset({MeasureStatus.IN_PROGRESS}),
    MeasureStatus.DROPPED: frozenset({MeasureStatus.AGREED}),
}
