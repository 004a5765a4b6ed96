"""States and formats of a list export."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# Bootstrap colours of the status badges.
STATUS_COLOURS = {
    ExportStatus.PENDING: "secondary",
    ExportStatus.RUNNING: "info",
    ExportStatus.DONE: "success",
    ExportStatus.FAILED: "danger",
}

UNFINISHED = (ExportStatus.PENDING, ExportStatus.RUNNING)


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel")
