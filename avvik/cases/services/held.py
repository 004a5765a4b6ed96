"""Files kept for a person while the form they chose them on is sent back with an error: held on
the server (a browser forgets chosen files), attached when the form goes through, removed after a day."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.held import HeldUpload
from avvik.cases.models.records import Attachment, attachment_storage
from avvik.cases.services.thread import attachment_add
from avvik.core.uploads import clean_file_name, validate_upload
from avvik.tenancy.models import User

# How long a held file waits for its form before the clean-up removes it.
HELD_FOR = timedelta(days=1)
# The most files one person has held at a time, across forms and tabs: the oldest give way, so
# sending forms back again and again cannot fill the disk before the clean-up runs.
HELD_PER_PERSON = 30


def _delete_files_on_commit(names: Iterable[str | None]) -> None:
    """Remove the stored files once the rows are gone for good; a rolled-back delete keeps them."""
    stored = [name for name in names if name]
    storage = attachment_storage()

    def delete() -> None:
        for name in stored:
            storage.delete(name)

    if stored:
        transaction.on_commit(delete)


@transaction.atomic
def uploads_hold(*, owner: User, uploads: Sequence["File[bytes]"]) -> list[HeldUpload]:
    """Keep files that passed the attachment checks for their uploader. The content is checked again
    here, as attachment_add checks it: a held file is one that could have been attached."""
    held = []
    for upload in uploads:
        content_type = validate_upload(upload)
        held.append(
            HeldUpload.objects.create(
                owner=owner,
                file=upload,
                name=clean_file_name(upload.name or ""),
                content_type=content_type,
                size=upload.size,
            )
        )
    if held:
        beyond = HeldUpload.objects.owned_by(owner.pk).order_by("-created_at", "-pk")[HELD_PER_PERSON:]
        _discard(list(beyond))
    return held


def _discard(rows: list[HeldUpload]) -> None:
    HeldUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    _delete_files_on_commit([row.file.name for row in rows])


@transaction.atomic
def held_uploads_discard(*, owner: User, keys: Iterable[UUID]) -> int:
    """Remove the owner's held files with these keys; another person's keys remove nothing."""
    rows = list(HeldUpload.objects.owned_by(owner.pk).filter(key__in=list(keys)).select_for_update())
    _discard(rows)
    return len(rows)


@transaction.atomic
def held_uploads_attach(*, deviation: Deviation, by: User, keys: Iterable[UUID]) -> list[Attachment]:
    """Attach the person's held files with these keys to the case, exactly as files uploaded with
    the form are (attachment_add checks the permission and the content), and let go of them. A key
    that is not the person's, or was attached or cleaned up meanwhile, attaches nothing."""
    rows = list(HeldUpload.objects.owned_by(by.pk).filter(key__in=list(keys)).select_for_update())
    attachments = []
    for row in rows:
        with row.file.open("rb") as stored:
            attachments.append(attachment_add(deviation=deviation, by=by, upload=File(stored, name=row.name)))
    _discard(rows)
    return attachments


@transaction.atomic
def held_uploads_clean(*, now: datetime | None = None) -> int:
    """Remove held files older than HELD_FOR: their form was never sent. A second run removes nothing."""
    cutoff = (now or timezone.now()) - HELD_FOR
    rows = list(HeldUpload.objects.filter(created_at__lt=cutoff).select_for_update(skip_locked=True))
    _discard(rows)
    return len(rows)
