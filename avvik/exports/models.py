"""A list export made by a worker: who asked, for which list and filter, and the file when it is made."""

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.core.file_storage import configured_storage
from avvik.exports.choices import STATUS_COLOURS, ExportFormat, ExportStatus


def export_storage() -> Storage:
    # A callable, so the storage comes from settings.STORAGES["exports"] at run time and not into migrations.
    return configured_storage("exports")


class Export(models.Model):
    """One download of a deviation list, written to a file by a worker and kept for its owner a day.

    The rows are read in the worker with the owner's own visibility and the list's filter
    (avvik.exports.sources); only the owner may download the file.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    list_name = models.CharField(_("list"), max_length=40)
    # The list's own address: the worker finds the list's view (and its scope) from it.
    list_path = models.CharField(_("list address"), max_length=200)
    query = models.TextField(_("filter"), blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file = models.FileField(_("file"), storage=export_storage, upload_to="%Y/%m/%d", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    # When a worker took the export; a claim older than the task's time limit belongs to a worker
    # that died, and the export sweep hands the export to another.
    claimed_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [
            # A person's exports page, and the count of their unfinished exports before a new one.
            models.Index(fields=["requested_by", "status"], name="export_owner_status"),
            # The clean-up task: exports older than a day.
            models.Index(fields=["created_at"], name="export_created"),
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        """How far the worker has come, in per cent (100 when done)."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[ExportStatus(self.status)]

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def download_name(self) -> str:
        return f"avvik-{self.list_name}-{timezone.localtime(self.created_at):%Y%m%d-%H%M}.{self.file_format}"

    @property
    def content_type(self) -> str:
        if self.file_format == ExportFormat.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"

    @property
    def list_address(self) -> str:
        """The list the export was made from, with its filter (without the download format)."""
        query = QueryDict(self.query, mutable=True)
        query.pop("format", None)
        return f"{self.list_path}?{query.urlencode()}" if query else self.list_path
