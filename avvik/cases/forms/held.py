"""Files chosen on a filing or edit form, held for their uploader while the form comes back with an
error, and attached when it goes through."""

import uuid
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext

from avvik.cases.models.held import HeldUpload
from avvik.core.form_fields import check_uploads
from avvik.tenancy.models import User

if TYPE_CHECKING:
    from django.core.files.base import File


def _keys(values: list[str]) -> list[uuid.UUID]:
    """The well-formed keys among what a form sent; anything else is ignored."""
    keys = []
    for value in values:
        try:
            keys.append(uuid.UUID(value))
        except (TypeError, ValueError, AttributeError):
            continue
    return keys


class HeldUploadsMixin(forms.BaseForm):
    """An optional attachments field whose files are not lost when the form comes back with an error.

    Files that pass the checks are held on the server for their uploader (services.uploads_hold,
    called by the view with `uploads_to_hold`) and listed on the form again, each with a box to remove
    it; the form carries their keys in hidden `held` fields. Only the person's own held files are
    taken from those keys. The limits on the number of files and their total size count held files."""

    held_files: list[HeldUpload]
    removed_held_keys: list[uuid.UUID]
    uploads_to_hold: list["File[bytes]"]

    def _init_held(self, user: User) -> None:
        getlist = getattr(self.data, "getlist", None)
        sent = _keys(getlist("held")) if self.is_bound and getlist else []
        self.removed_held_keys = _keys(getlist("held_remove")) if self.is_bound and getlist else []
        self.held_files = list(
            HeldUpload.objects.owned_by(user.pk).filter(key__in=sent).exclude(key__in=self.removed_held_keys)
        )
        self.uploads_to_hold = []
        self._accepted: list[File[bytes]] = []

    @property
    def held_keys(self) -> list[uuid.UUID]:
        return [held.key for held in self.held_files]

    def clean_attachments(self) -> list["File[bytes]"]:
        """Each file checked on its own: those that pass are held even when another one is refused."""
        errors: list[str] = []
        self._accepted = []
        for upload in self.cleaned_data.get("attachments") or []:
            try:
                check_uploads([upload])
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                self._accepted.append(upload)
        if errors:
            raise ValidationError(errors)
        return self._accepted

    def _check_upload_limits(self) -> None:
        """The limits of one form, counting the files held from earlier tries; the new files are held
        (when the form comes back) only within them."""
        new = self._accepted
        count = len(self.held_files) + len(new)
        total = sum(held.size for held in self.held_files) + sum(upload.size for upload in new)
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        limit = settings.ATTACHMENTS_MAX_TOTAL_BYTES
        if new and count > most:
            self.add_error(
                "attachments",
                ngettext(
                    "A form may carry at most {most} file, those already attached counted. "
                    "Add the rest to the case afterwards.",
                    "A form may carry at most {most} files, those already attached counted. "
                    "Add the rest to the case afterwards.",
                    most,
                ).format(most=most),
            )
            new = []
        elif new and total > limit:
            self.add_error(
                "attachments",
                gettext(
                    "The files are {size} together, those already attached counted. A form may carry at most "
                    "{limit}; add the rest to the case afterwards."
                ).format(size=filesizeformat(total), limit=filesizeformat(limit)),
            )
            new = []
        self.uploads_to_hold = new
