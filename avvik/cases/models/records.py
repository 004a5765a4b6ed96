"""What hangs on a case: its timeline, its thread, its attachments and the separately kept patient reference."""

import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import (
    Status,
)
from avvik.cases.models.deviation import Deviation
from avvik.cases.querysets import CaseRecordQuerySet, CommentQuerySet
from avvik.core.file_storage import configured_storage
from avvik.core.uploads import EXTENSIONS
from avvik.tenancy.models import Organisation


class Transition(models.Model):
    """One step in a case's lifecycle: who, when, from which status to which, and why."""

    deviation = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("deviation")
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]
        indexes = [
            # Statistics: triage on time, from the first forward or reject in a period.
            models.Index(fields=["action", "at"], name="transition_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.from_status or '–'} → {self.to_status}"


class Comment(models.Model):
    """A message on the shared thread, or an internal note for the writer's own organisation."""

    deviation = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("deviation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The writer's organisation; empty when written by the contact point."),
    )
    body = models.TextField(_("text"))
    is_internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.body[:40]}"


def attachment_storage() -> Storage:
    # A callable, so the storage comes from settings.STORAGES["attachments"] at run time and not into migrations.
    return configured_storage("attachments")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the stored file reveals nothing and cannot be guessed or traversed. Its extension
    # is that of the type the content was found to be, never the uploaded name's (.html, .svg, .bat).
    return f"{instance.deviation.created_at:%Y/%m}/{uuid.uuid4().hex}{EXTENSIONS[instance.content_type]}"


class Attachment(models.Model):
    """A file on a case, stored under a random name outside every publicly served folder."""

    deviation = models.ForeignKey(
        Deviation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("deviation")
    )
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PatientReference(models.Model):
    """Who the case is about, kept apart from the learning record and encrypted at rest."""

    deviation = models.OneToOneField(
        Deviation, on_delete=models.CASCADE, related_name="patient", verbose_name=_("deviation")
    )
    name_encrypted = models.TextField(_("name (encrypted)"), blank=True)
    identity_number_encrypted = models.TextField(_("national identity number (encrypted)"), blank=True)
    # A keyed hash of the identity number's digits (core.crypto.blind_index): the contact point
    # finds a patient's cases by it without the number being stored or searched in clear.
    identity_index = models.CharField(_("identity number index"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient reference")
        verbose_name_plural = _("patient references")

    def __str__(self) -> str:
        return f"{self.deviation_id}"
