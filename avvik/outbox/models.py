"""The outbox: one row per e-mail to one person."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet
from avvik.outbox.choices import NotificationKind, NotificationStatus
from avvik.tenancy.models import Organisation


class NotificationQuerySet(ScopedQuerySet):
    def scope(self, roles: Roles, user) -> Q | None:
        """A person's own notifications; for the contact point, every one about its partnership's
        cases and organisations (the failed ones are theirs to send again)."""
        return (
            Q(recipient=user)
            | Q(deviation__partnership__in=roles.coordinator_of)
            | Q(deviation__isnull=True, organisation__partnership__in=roles.coordinator_of)
        )


class Notification(models.Model):
    """One e-mail to one person, written in the same transaction as the change that causes it.

    `key` makes a second row for the same (case, kind, threshold, recipient) impossible, so
    no sweep, beat or redelivered task can send it twice.
    """

    # Unique by the constraint below: a unique field would also get an index for LIKE searches,
    # which no one makes, and which every written row would have to be added to.
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # notification_recipient_status begins with it
    )
    deviation = models.ForeignKey(
        "cases.Deviation",
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
        "council.CouncilReport",
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
    attempt_times = models.JSONField(
        _("attempt times"),
        default=list,
        blank=True,
        help_text=_("When each attempt to send it began (ISO 8601, UTC), oldest first."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("When a failed attempt is retried; the outbox sweep sends it if the retry's message is lost."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

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
        constraints = [models.UniqueConstraint(fields=["key"], name="notification_key_unique")]

    def __str__(self) -> str:
        return self.key

    @property
    def attempted_at(self) -> list[datetime]:
        """The times of its attempts, as datetimes."""
        return [datetime.fromisoformat(at) for at in self.attempt_times]
