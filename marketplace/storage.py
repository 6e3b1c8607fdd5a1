"""Where private uploads live: RFQ drawings, quotes' and messages' attachments, suppliers'
licences and certificates, import files.

They are kept apart from the public media (product and factory pictures, served by URL): in the
storage `STORAGES["private"]`, a folder under PRIVATE_MEDIA_ROOT by default (`PrivateFileStorage`)
or a private bucket of S3-compatible object storage (`marketplace.object_storage`). Nothing serves
them by URL: each file is read by a view or endpoint that first checks who asks (its selector scopes
it to the acting company, or to staff), then streams it or, from a bucket when
PRIVATE_FILES_SIGNED_URL_SECONDS is set, redirects to a short-lived signed URL
(marketplace.private_files.private_file_response). A private file's `url()` is "".

Code reads and writes these files through the storage (`open`, `save`, `delete`), never through a
path on disk: object storage has none.
"""

from __future__ import annotations

import os
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty


class PrivateFileStorage(FileSystemStorage):
    """A FileSystemStorage under PRIVATE_MEDIA_ROOT (read when first used, and again when a test
    changes the setting) whose files have no URL (an empty one)."""

    def __init__(self) -> None:
        super().__init__()
        setting_changed.connect(self._private_root_changed)

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        """No URL: "" (a form's file widget then shows no link to follow); views stream the file."""
        return ""

    def _private_root_changed(self, *, setting: str, **kwargs: Any) -> None:
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class _PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up when first used and again after a test changes STORAGES
    (as Django's `default_storage` is), so that the model fields can hold this one object."""

    _wrapped: object

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_PRIVATE = _PrivateStorage()


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _PRIVATE._wrapped = empty


setting_changed.connect(_storages_changed)


def private_storage() -> Storage:
    """The storage of private uploads (a callable, so that migrations name it, not a folder or a
    bucket)."""
    return cast(Storage, _PRIVATE)


def move_to_private_storage(model: Any, field: str) -> int:
    """Migrations: move the files of `model.field` kept in the public media storage (MEDIA_ROOT)
    before private storage existed to the private storage (same names); returns how many were
    moved. Through the storages' own open, save and delete, so that either may be a bucket."""
    moved = 0
    target = private_storage()
    names = model.objects.exclude(**{field: ""}).values_list(field, flat=True)
    for name in names.iterator():
        if not default_storage.exists(name) or target.exists(name):
            continue
        with default_storage.open(name, "rb") as source:
            stored = target.save(name, source)
        if stored != name:  # another file took the name meanwhile: keep the original where it was
            target.delete(stored)
            continue
        default_storage.delete(name)
        moved += 1
    return moved
