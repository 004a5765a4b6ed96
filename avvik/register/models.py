"""A partnership's copy of the national address register (Adresseregisteret): one entry per
HER-id, the history of what each import changed, the import runs, and files held between the
dry run and the confirmation. The copy is a reference table: our organisations and units are
linked to it by HER-id and never changed by an import (docs/address-register.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.register.choices import ChangeKind, EntryKind


class RegisterEntry(models.Model):
    """One HER-id of the register as last imported; an entry missing from a later file is kept,
    marked removed."""

    partnership = models.ForeignKey(
        "tenancy.Partnership", on_delete=models.CASCADE, related_name="+", verbose_name=_("health partnership")
    )
    her_id = models.CharField(_("HER-id"), max_length=9)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    name = models.CharField(_("name"), max_length=300)
    parent_her_id = models.CharField(_("parent HER-id"), max_length=9, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    receives = models.JSONField(_("message types it receives"), default=list, blank=True)
    active = models.BooleanField(_("in the register"), default=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["her_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "her_id"],
                name="register_entry_unique_her_id",
                violation_error_message=_("The register copy already has this HER-id."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.her_id} {self.name}"


class ImportRun(models.Model):
    """One confirmed import of a register file, with what it did."""

    partnership = models.ForeignKey(
        "tenancy.Partnership", on_delete=models.CASCADE, related_name="+", verbose_name=_("health partnership")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    source = models.CharField(_("file"), max_length=300)
    at = models.DateTimeField(_("imported"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    renamed = models.PositiveIntegerField(_("renamed"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.at:%Y-%m-%d %H:%M}"


class EntryChange(models.Model):
    """What one import changed in one entry: the name before and after, and the other fields."""

    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="changes", verbose_name=_("register entry")
    )
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes", verbose_name=_("import"))
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    name_before = models.CharField(_("name before"), max_length=300, blank=True)
    name_after = models.CharField(_("name after"), max_length=300, blank=True)
    fields = models.JSONField(_("changed fields"), default=list, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("register change")
        verbose_name_plural = _("register changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.kind}"


class HeldRegisterFileQuerySet(models.QuerySet["HeldRegisterFile"]):
    def owned_by(self, user_id: int | None) -> "HeldRegisterFileQuerySet":
        """Only the person who uploaded a held file sees, confirms or discards it."""
        if user_id is None:
            return self.none()
        return self.filter(owner_id=user_id)


class HeldRegisterFile(models.Model):
    """A register file uploaded for a dry run, held until its uploader confirms or discards it."""

    # In the page's address: random, so it cannot be guessed from another's.
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    partnership = models.ForeignKey(
        "tenancy.Partnership", on_delete=models.CASCADE, related_name="+", verbose_name=_("health partnership")
    )
    name = models.CharField(_("file name"), max_length=300)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = HeldRegisterFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("held register file")
        verbose_name_plural = _("held register files")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
