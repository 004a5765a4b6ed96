"""The storages that hold our files, as settings.STORAGES names them ("attachments", "reports"):
folders under MEDIA_ROOT, or an S3 bucket (samhandling/settings.py)."""

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty


class MediaFolderStorage(FileSystemStorage):
    """A folder under MEDIA_ROOT, which is read when the storage is made (not when the settings were
    loaded), so a changed MEDIA_ROOT moves the folder with it."""

    def __init__(self, folder: str = "", **kwargs: Any) -> None:
        self.folder = folder
        super().__init__(**kwargs)

    @cached_property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, self.folder)


class ConfiguredStorage(LazyObject):  # type: ignore[type-arg]
    """The storage settings.STORAGES names `alias`, made when first used and made again after the
    setting changes, so a model's FileField follows the configuration it runs with."""

    _wrapped: Storage

    def __init__(self, alias: str) -> None:
        super().__init__()
        self.__dict__["_alias"] = alias

    def _setup(self) -> None:
        # From the settings themselves, not Django's cached copy of them: this runs after a change too.
        self._wrapped = storages.create_storage(settings.STORAGES[self.__dict__["_alias"]])


_made: dict[str, ConfiguredStorage] = {}


def configured_storage(alias: str) -> Storage:
    """One lazily made storage per alias, shared by every field and service that stores there."""
    if alias not in _made:
        _made[alias] = ConfiguredStorage(alias)
    return _made[alias]  # type: ignore[return-value]  # a LazyObject stands in for the storage


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "MEDIA_ROOT"}:
        for storage in _made.values():
            storage._wrapped = empty  # type: ignore[assignment]


setting_changed.connect(_storages_changed)
