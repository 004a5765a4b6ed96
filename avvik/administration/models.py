"""Invitations: how a person is brought in by an administrator, without a superuser."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.tenancy.choices import Role
from avvik.tenancy.models import Organisation, Partnership, Unit


class Invitation(models.Model):
    """An invitation by e-mail to take roles in an organisation or a partnership.

    The link's token is never stored: only its SHA-256. The token is an HMAC of the row under the
    site's secret, so the e-mail built later by the outbox can give it again; a database copy alone
    cannot."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("unit")
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    roles = models.JSONField(_("roles"), default=list)
    # The person the invitation is for: made at invitation (with no password) so that the outbox can write to them.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The throttle and "a newer invitation to the same address": invitations by address and age.
            models.Index(fields=["email", "created_at"], name="invitation_email_created"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation or self.partnership})"

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]


class HeldPeopleFileQuerySet(models.QuerySet["HeldPeopleFile"]):
    def owned_by(self, user_id: int | None) -> "HeldPeopleFileQuerySet":
        """Only the person who uploaded a held file sees, confirms or discards it."""
        if user_id is None:
            return self.none()
        return self.filter(owner_id=user_id)


class HeldPeopleFile(models.Model):
    """A people file uploaded for a dry run, held until its uploader confirms or discards it."""

    # In the page's address: random, so it cannot be guessed from another's.
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership")
    )
    name = models.CharField(_("file name"), max_length=300)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = HeldPeopleFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("held people file")
        verbose_name_plural = _("held people files")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class PeopleImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    # The sender's hourly invitation limit is reached; the task goes on when it allows more.
    WAITING = "waiting", _("Waiting for the hourly limit")
    DONE = "done", _("Done")


class PeopleImport(models.Model):
    """A confirmed people file: its rows are invited one by one by a task."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("imported by")
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+", verbose_name=_("partnership")
    )
    source = models.CharField(_("file"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=PeopleImportStatus.choices, default=PeopleImportStatus.QUEUED
    )
    resumes_at = models.DateTimeField(_("continues"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"


class PeopleImportRowStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    INVITED = "invited", _("Invited")
    NOTHING = "nothing", _("Nothing to do")
    REFUSED = "refused", _("Refused")


class PeopleImportRow(models.Model):
    """One row of a confirmed people file; its status changes once, in the transaction that invites."""

    people_import = models.ForeignKey(
        PeopleImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("people import")
    )
    line = models.PositiveIntegerField(_("line"))
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("unit")
    )
    roles = models.JSONField(_("roles"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=PeopleImportRowStatus.choices, default=PeopleImportRowStatus.PENDING
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("invitation")
    )

    class Meta:
        verbose_name = _("people import row")
        verbose_name_plural = _("people import rows")
        ordering = ["people_import", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["people_import", "line"],
                name="people_import_row_unique_line",
                violation_error_message=_("The import already has this line."),
            )
        ]
        indexes = [
            # The task's next rows and the progress count: an import's rows by status.
            models.Index(fields=["people_import", "status", "line"], name="people_import_row_status"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.email}"
