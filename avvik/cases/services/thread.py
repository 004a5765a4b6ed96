"""The case's thread: attachments and the statutory alert; and what a writer confirmed about the
numbers in their text. Comments are services.comments': a comment may resume the case."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.cases import permissions
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccountNumberConfirmation
from avvik.cases.models.records import Attachment
from avvik.core.uploads import clean_file_name, stored_name, validate_upload
from avvik.tenancy.models import User

if TYPE_CHECKING:
    from django.core.files.base import File


@transaction.atomic
def account_number_confirmations_record(
    *, deviation: Deviation, by: User, confirmed: Mapping[str, int]
) -> list[AccountNumberConfirmation]:
    """Record that the person confirmed that the numbers in these fields (field name: how many) are
    bank account numbers, not identity numbers. The digits are not stored."""
    return [
        AccountNumberConfirmation.objects.create(deviation=deviation, by=by, field=field, count=count)
        for field, count in sorted(confirmed.items())
        if count > 0
    ]


@transaction.atomic
def attachment_add(*, deviation: Deviation, by: User, upload: "File[bytes]") -> Attachment:
    if not permissions.may_upload(by, deviation):
        raise PermissionDenied(_("You may not add attachments to this deviation."))
    content_type = validate_upload(upload)
    return Attachment.objects.create(
        deviation=deviation,
        file=upload,
        original_name=stored_name(clean_file_name(upload.name or ""), content_type),
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
