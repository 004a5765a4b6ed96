"""Files a person chose on a form that came back with an error: kept for them until the form is sent,
so nothing has to be chosen twice, and cleaned away after a day (cases.tasks.clean_held_uploads)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.cases.models.records import attachment_storage
from avvik.core.uploads import EXTENSIONS


def held_upload_path(instance: "HeldUpload", filename: str) -> str:
    # As attachment_path: a random name with the extension of the type the content was found to be.
    return f"held/{uuid.uuid4().hex}{EXTENSIONS[instance.content_type]}"


class HeldUploadQuerySet(models.QuerySet["HeldUpload"]):
    def owned_by(self, user_id: int | None) -> "HeldUploadQuerySet":
        """Only the person who uploaded a held file sees or uses it."""
        if user_id is None:
            return self.none()
        return self.filter(owner_id=user_id)


class HeldUpload(models.Model):
    """A file that passed the attachment checks on a form that was sent back; it becomes an
    attachment when the form is sent again successfully. Only its owner can see or use it."""

    # What the form carries in a hidden field: random, so it cannot be guessed from another's.
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=held_upload_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200, help_text=_("The name the file was uploaded with."))
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = HeldUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("held file")
        verbose_name_plural = _("held files")
        ordering = ["created_at", "pk"]
        indexes = [
            # The daily clean-up: held files received before a cut-off.
            models.Index(fields=["created_at"], name="held_upload_created_at"),
        ]

    def __str__(self) -> str:
        return self.name
