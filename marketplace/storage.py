"""Where private uploads live: RFQ drawings, quotes' and messages' attachments, suppliers'
licences and certificates, import files.

They are kept under PRIVATE_MEDIA_ROOT, apart from MEDIA_ROOT (product and factory pictures,
public, served by URL). Nothing serves this folder: each file is read by a view or endpoint that
first checks who asks (its selector scopes it to the acting company, or to staff), then streams it.
A file has no URL.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.utils.functional import cached_property


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


_PRIVATE = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage of private uploads (a callable, so that migrations name it, not a folder)."""
    return _PRIVATE


def move_to_private_storage(model: Any, field: str) -> int:
    """Migrations: move the files of `model.field` kept under MEDIA_ROOT before this storage
    existed to PRIVATE_MEDIA_ROOT (same relative names); returns how many were moved."""
    moved = 0
    names = model.objects.exclude(**{field: ""}).values_list(field, flat=True)
    for name in names.iterator():
        source = os.path.join(str(settings.MEDIA_ROOT), name)
        target = os.path.join(str(settings.PRIVATE_MEDIA_ROOT), name)
        if os.path.isfile(source) and not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(source, target)
            moved += 1
    return moved
