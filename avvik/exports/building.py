"""Building an export's file in a worker: the list's rows for its owner, written with progress."""

import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from avvik.exports.choices import ExportStatus
from avvik.exports.models import Export
from avvik.exports.sources import ExportRefused, list_rows
from avvik.exports.writers import write_rows


def export_build(*, export_id: int) -> bool:
    """Read the rows and write the file of one export; True when this call made it."""
    claimed_at = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, claimed_at=claimed_at, rows_written=0
    )
    if not claimed:
        return False
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    ours = Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING, claimed_at=claimed_at)

    def progress(rows: int) -> None:
        ours.update(rows_written=rows)

    try:
        source = list_rows(export)
        ours.update(rows_total=source.total)
        with translation.override(export.language):
            sheet = _("Deviations")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / export.download_name
            written = write_rows(
                source.rows,
                path,
                file_format=export.file_format,
                sheet=sheet,
                progress=progress,
            )
            with path.open("rb") as file:
                export.file.save(export.download_name, File(file), save=False)
    except ExportRefused as refusal:  # no longer allowed: noted for the operators, no retry
        ours.update(status=ExportStatus.FAILED, error=str(refusal), finished_at=timezone.now())
        return False
    except Exception as exc:
        ours.update(status=ExportStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now())
        raise
    finished = ours.update(
        status=ExportStatus.DONE,
        file=export.file.name,
        size=export.file.size,
        rows_written=written,
        rows_total=written,
        finished_at=timezone.now(),
    )
    if not finished:
        # The lease ran out and another worker took the export over; its file is the one kept.
        export.file.delete(save=False)
        return False
    return True
