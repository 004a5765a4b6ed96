"""The access log: who opened what, and who confirmed that a number in their text is a bank account
number. Written once, never changed or deleted by the application."""

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.access.scoping import ScopedQuerySet
from avvik.cases.choices import AccessKind
from avvik.cases.querysets import CaseRecordQuerySet

if TYPE_CHECKING:
    from avvik.tenancy.models import User


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an access-log row."""


class AccessLogQuerySet(ScopedQuerySet["AccessLog"]):
    def scope(self, roles: Roles, user: "User") -> Q | None:
        """A person's own reads, and for an organisation's administrators every read of its cases.
        The contact point reads a case's log from the case page (cases.permissions.may_see_access_log)."""
        return (
            Q(user=user)
            | Q(deviation__reporting_organisation__in=roles.admin_in)
            | Q(deviation__responsible_organisation__in=roles.admin_in)
        )

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def erase_details(self) -> int:
        """Retention's one exception: when a case is anonymised, what was read (a file name,
        which may name a patient) goes; who read the case and when stays."""
        return super().update(detail="")


class AccessLog(models.Model):
    """One read of a case, its patient reference, an attachment, or an export."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # No index of its own: accesslog_user_at starts with it. Every case view writes a row, so each
    # index less is work less on the page.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
        db_index=False,
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for organisation"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=AccessKind.choices)
    # No index of its own: accesslog_deviation_at starts with it.
    deviation = models.ForeignKey(
        "cases.Deviation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("deviation"),
        db_index=False,
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The per-case log coordinators read, newest first.
            models.Index(fields=["deviation", "-at"], name="accesslog_deviation_at"),
            # A person's own log.
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AccountNumberConfirmation(models.Model):
    """A person confirmed that the number(s) in a free-text field of a case, which pass the identity
    number checks too, are bank account numbers. Which field and how many numbers; never the digits."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    deviation = models.ForeignKey(
        "cases.Deviation",
        on_delete=models.CASCADE,
        related_name="account_number_confirmations",
        verbose_name=_("deviation"),
    )
    field = models.CharField(_("field"), max_length=60, help_text=_("The form field the text was written in."))
    count = models.PositiveSmallIntegerField(_("numbers confirmed"), default=1)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("account number confirmation")
        verbose_name_plural = _("account number confirmations")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.by_id} {self.field}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Account number confirmations are append-only.")
        super().save(*args, **kwargs)


class RetentionRun(models.Model):
    """One run of the retention task: what it erased and anonymised, shown in the admin."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    patients_erased = models.PositiveIntegerField(_("patient references erased"), default=0)
    cases_anonymised = models.PositiveIntegerField(_("cases anonymised"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.patients_erased} / {self.cases_anonymised}"
