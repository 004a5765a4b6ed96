"""Deadline policies and closure days per partnership."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet, partnership_rule
from avvik.catalogue.choices import Consequence
from avvik.tenancy.models import Partnership


class DeadlinePolicyQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class DeadlinePolicy(models.Model):
    """Working days to triage and to answer, for a category and consequence (empty = any)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deadline_policies", verbose_name=_("partnership")
    )
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: every category."),
    )
    consequence = models.CharField(
        _("consequence"),
        max_length=20,
        choices=Consequence.choices,
        blank=True,
        help_text=_("Empty: every consequence."),
    )
    triage_days = models.PositiveSmallIntegerField(_("working days to triage"), default=2)
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=10)

    objects = DeadlinePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["partnership", "category__position", "consequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "category", "consequence"],
                condition=Q(category__isnull=False),
                name="deadline_unique_for_category",
                violation_error_message=_("There is already a deadline for this category and consequence."),
            ),
            models.UniqueConstraint(
                fields=["partnership", "consequence"],
                condition=Q(category__isnull=True),
                name="deadline_unique_for_any_category",
                violation_error_message=_("There is already a deadline for every category with this consequence."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.category or '*'} / {self.get_consequence_display() or '*'}: {self.triage_days}/{self.answer_days}"
        )


class ClosureDayQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        return partnership_rule(roles.partnerships)


class ClosureDay(models.Model):
    """A day the partnership's offices are closed, on top of the public holidays."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="closure_days", verbose_name=_("partnership")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    objects = ClosureDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date"],
                name="closure_day_unique",
                violation_error_message=_("This day is already a closure day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
