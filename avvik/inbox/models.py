"""The notification centre: what a person has been told, and whether they have read it."""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.outbox.choices import NotificationKind
from avvik.tenancy.models import Organisation


class SiteNoticeQuerySet(models.QuerySet["SiteNotice"]):
    def of(self, user: Any) -> Self:
        """A person's own notices, and nobody else's: not even an administrator reads another's."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class SiteNotice(models.Model):
    """One notice in a person's notification centre, written with the outbox row of the same key.

    It stores what happened (the kind and what it is about), not text: the text is the e-mail's
    subject line, rendered in the reader's language when shown, and a case's details only while
    the reader may still read the case. Reading state is the person's own, apart from the e-mail's
    delivery state.
    """

    key = models.CharField(
        _("key"),
        max_length=200,
        help_text=_("The key of the outbox row it was written with: each notice once."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="site_notices",
        verbose_name=_("recipient"),
        db_index=False,  # sitenotice_recipient_created begins with it
    )
    deviation = models.ForeignKey(
        "cases.Deviation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deviation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    report = models.ForeignKey(
        "council.CouncilReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = SiteNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell in the navigation, on every page: a person's unread notices, counted.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="sitenotice_unread"),
            # The list: a person's notices, newest first.
            models.Index(fields=["recipient", "-created_at"], name="sitenotice_recipient_created"),
            # Retention: notices older than the limit.
            models.Index(fields=["created_at"], name="sitenotice_created"),
        ]
        # Unique by a constraint, not the field: the field would add an index for LIKE searches,
        # which no one makes, and which every written notice would have to be added to.
        constraints = [models.UniqueConstraint(fields=["key"], name="sitenotice_key_unique")]

    def __str__(self) -> str:
        return self.key

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
