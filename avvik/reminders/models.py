"""When the reminder sweep next has something to do for a case, so that it reads only those cases."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A day before any other: a clock set to it is looked at by the next sweep.
LOOK_NOW = date(1, 1, 1)


class ReminderClock(models.Model):
    """The first day the reminder sweep has a reminder or escalation to write for a case.

    Kept apart from the case so that no save of a case can write back a stale day: the sweep sets
    it, and triggers on the cases table (migration 0001) set it to an early estimate whenever what it
    depends on changes.
    Empty: nothing to write until the case changes again.
    """

    deviation = models.OneToOneField(
        "cases.Deviation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        # Cases are also written and removed by bulk SQL (imports, load data); a clock without its
        # case is never read, as the sweep joins the cases.
        db_constraint=False,
        verbose_name=_("deviation"),
    )
    due_on = models.DateField(_("next reminder day"), null=True, blank=True)
    changes = models.PositiveIntegerField(
        _("changes"),
        default=0,
        help_text=_("Counted up by every change of the case, so that a sweep never overwrites a newer change."),
    )

    class Meta:
        verbose_name = _("reminder clock")
        verbose_name_plural = _("reminder clocks")
        indexes = [
            # The sweep's "what is due": clocks whose day has come; none read when nothing is due.
            models.Index(fields=["due_on"], condition=Q(due_on__isnull=False), name="reminder_clock_due"),
        ]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.due_on}"
