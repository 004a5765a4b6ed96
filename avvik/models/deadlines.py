"""Deadline policies and closure days per partnership, and the notification outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.choices import Consequence, NotificationKind, NotificationStatus
from avvik.models.tenancy import Organisation, Partnership


class DeadlinePolicy(models.Model):
    """Working days to triage and to answer, for a category and consequence (empty = any)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deadline_policies", verbose_name=_("partnership")
    )
    category = models.ForeignKey(
        "avvik.Category",
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


class ClosureDay(models.Model):
    """A day the partnership's offices are closed, on top of the public holidays."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="closure_days", verbose_name=_("partnership")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

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


class Notification(models.Model):
    """One e-mail to one person, written in the same transaction as the change that causes it.

    `key` makes a second row for the same (case, kind, threshold, recipient) impossible, so
    no sweep, beat or redelivered task can send it twice.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    deviation = models.ForeignKey(
        "avvik.Deviation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("deviation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Whose written form the e-mail uses, and whose cases a summary lists."),
    )
    report = models.ForeignKey(
        "avvik.CouncilReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    reason = models.CharField(_("why"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent in summary"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # The outbox sweep: pending rows by age, and claimed rows whose lease ran out.
            models.Index(fields=["status", "created_at"], name="notification_status_created"),
            # The daily digest: held rows per recipient.
            models.Index(fields=["recipient", "status"], name="notification_recipient_status"),
        ]

    def __str__(self) -> str:
        return self.key
