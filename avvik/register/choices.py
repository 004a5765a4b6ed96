"""Choices of the address register copy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    UNIT = "unit", _("Unit / communication party")


class ChangeKind(models.TextChoices):
    """What an import did to one entry; the history of an entry is a list of these."""

    NEW = "new", _("New")
    RENAMED = "renamed", _("Renamed")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")
    RESTORED = "restored", _("Back in the register")
    UNCHANGED = "unchanged", _("Unchanged")


# Bootstrap colours for outcome badges; the label is always shown beside the colour.
CHANGE_COLOURS: dict[str, str] = {
    ChangeKind.NEW: "success",
    ChangeKind.RENAMED: "warning",
    ChangeKind.CHANGED: "info",
    ChangeKind.REMOVED: "danger",
    ChangeKind.RESTORED: "primary",
    ChangeKind.UNCHANGED: "light",
}
