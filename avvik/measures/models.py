"""Measures (tiltak): corrective actions agreed on a case, each with an owner, a due date, a status
and an evaluation of its effect, followed up after the case has closed."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, case_rule
from avvik.measures.choices import OPEN_STATUSES, STATUS_COLOURS, Effect, MeasureStatus
from avvik.tenancy.models import Organisation, User


class MeasureQuerySet(ScopedQuerySet["Measure"]):
    def scope(self, roles: Roles, user: User) -> Q | None:
        """A measure is read by whoever reads its case: the case rule is the one door."""
        return case_rule(roles, "deviation__")


class Measure(models.Model):
    """A corrective action agreed on a case, owned by one of the case's parties."""

    deviation = models.ForeignKey(
        "cases.Deviation", on_delete=models.CASCADE, related_name="measures", verbose_name=_("deviation")
    )
    what = models.TextField(_("what is to be done"), max_length=2000)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible organisation")
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.AGREED)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True, max_length=2000)
    dropped_at = models.DateTimeField(_("dropped"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices, default=Effect.NOT_EVALUATED)
    effect_note = models.TextField(_("about the effect"), blank=True, max_length=2000)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["due_date", "pk"]
        indexes = [
            # The follow-up sweep and the overdue filter: open measures by due date.
            models.Index(fields=["status", "due_date"], name="measure_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.DROPPED) | ~Q(dropped_reason=""),
                name="measure_dropped_has_reason",
                violation_error_message=_("A dropped measure needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(status=MeasureStatus.CARRIED_OUT) | Q(effect=Effect.NOT_EVALUATED),
                name="measure_evaluated_only_when_carried_out",
                violation_error_message=_("Only a measure that is carried out can be evaluated."),
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()
