"""Writes for list exports: asking for one, the sweep of lost work, and clearing old ones. Building the
file is avvik.exports.building (it reads the lists, which ask for exports here)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from avvik.core import queue
from avvik.exports.choices import UNFINISHED, ExportStatus
from avvik.exports.models import Export
from avvik.tenancy.models import User

logger = logging.getLogger(__name__)

# The task that builds one export (avvik.exports.tasks), named here so that services need not import it.
BUILD_TASK = "avvik.exports.tasks.build_export"
# An export may take this long to build; a claim older than this belongs to a worker that died.
EXPORT_TIME_LIMIT = 900


class TooManyExports(PermissionDenied):
    """The person has as many exports waiting or being made as allowed; nothing was queued."""


@transaction.atomic
def export_request(*, by: User, list_name: str, list_path: str, query: str, file_format: str, language: str) -> Export:
    """Note the export and queue its build once the transaction is committed."""
    # One request at a time per person, so two at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=by.pk).first()
    running = Export.objects.filter(requested_by=by, status__in=UNFINISHED).count()
    if running >= settings.EXPORTS_PER_PERSON:
        raise TooManyExports(
            _("You already have {count} exports being made. Wait until one is ready, then try again.").format(
                count=running
            )
        )
    export = Export.objects.create(
        requested_by=by,
        list_name=list_name,
        list_path=list_path,
        query=query,
        file_format=file_format,
        language=language,
    )
    transaction.on_commit(lambda: _enqueue_export(export.pk))
    return export


def _enqueue_export(export_id: int) -> None:
    """Queue the build; when the broker is down, the export sweep picks it up."""
    queue.dispatch(BUILD_TASK, export_id)


def exports_requeue(*, lease_seconds: int) -> list[int]:
    """Hands exports whose worker died back to the queue, and queues those still waiting.
    A waiting export is left alone for a minute: its own message is probably on the way."""
    now = timezone.now()
    Export.objects.filter(status=ExportStatus.RUNNING, claimed_at__lt=now - timedelta(seconds=lease_seconds)).update(
        status=ExportStatus.PENDING, rows_written=0
    )
    waiting = list(
        Export.objects.filter(
            Q(claimed_at__isnull=True, created_at__lt=now - timedelta(minutes=1)) | Q(claimed_at__isnull=False),
            status=ExportStatus.PENDING,
        ).values_list("pk", flat=True)
    )
    for pk in waiting:
        _enqueue_export(pk)
    return waiting


def exports_delete_expired(*, now: datetime) -> int:
    """Delete exports, and their files, asked for more than EXPORT_KEEP_HOURS ago; the number deleted."""
    expired = Export.objects.filter(created_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS))
    deleted = 0
    for export in expired.iterator():
        if export.file:
            export.file.delete(save=False)
        deleted += Export.objects.filter(pk=export.pk).delete()[0]
    return deleted
