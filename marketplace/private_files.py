"""Writing and deleting private files (marketplace.storage): one way for every service.

1. Check every upload before anything is written (`checked_documents`, `checked_document`): a
   PDF or an image, by its content and size (marketplace.uploads); an error names the file.
2. Store them inside the service's transaction through a `StoredFiles` opened around it:
   under a random name of ours (never the uploader's), the uploader's name kept on the row. When
   the service fails, everything it stored is removed again: no row will ever name those files.
   (Open it outside any transaction: a rollback of an enclosing one happens after it closed.)
3. A service that deletes rows hands their files to `delete_after_commit`: they go once the
   deletion commits, and a rolled-back deletion keeps them.
4. Every view or endpoint that lets someone download one answers `private_file_response`: the
   checked type, never one guessed from the uploader's name; streamed, or a redirect to a
   short-lived signed URL when the files are in a private bucket and
   PRIVATE_FILES_SIGNED_URL_SECONDS is set (marketplace.object_storage).

`PrivateFile` (marketplace.models) is the row most of these files have: file, original name,
size, upload time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from marketplace.errors import InvalidInput, NotFound
from marketplace.models import PrivateFile
from marketplace.storage import private_storage
from marketplace.uploads import CONTENT_TYPES, NAME_EXTENSIONS, check_document, document_extension, renamed_copy

Row = TypeVar("Row", bound=PrivateFile)
# What a download answers: the file streamed, or a redirect to a signed URL (private_file_response).
PrivateFileResponse = FileResponse | HttpResponseRedirect


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content was checked, with the extension its real type has."""

    upload: UploadedFile
    extension: str

    @property
    def original_name(self) -> str:
        """The name it was uploaded as, for people to read (never a path on our disk)."""
        return os.path.basename(self.upload.name or "")[:255]


def checked_document(upload: UploadedFile, *, field: str) -> CheckedUpload:
    """A PDF or an image, by content and size; InvalidInput on `field` otherwise."""
    check_document(upload, field=field)
    return CheckedUpload(upload, document_extension(upload, field=field))


def checked_documents(uploads: Sequence[UploadedFile], *, field: str) -> list[CheckedUpload]:
    """Every upload checked before anything is written; an error starts with the file's name."""
    checked = []
    for upload in uploads:
        name = os.path.basename(upload.name or "")[:100]
        try:
            checked.append(checked_document(upload, field=field))
        except InvalidInput as error:
            raise InvalidInput(f"{name}: {error.message}" if name else error.message, field=field) from error
    return checked


class StoredFiles:
    """The private files one service call stores. Used as a context manager around the call's
    transaction, it removes every one of them again when the call raises."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __enter__(self) -> StoredFiles:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if exc_type is not None:
            delete_now(self.names)

    def store(self, field_file: FieldFile, checked: CheckedUpload) -> str:
        """Write the upload into `field_file` (not saving its row) under a name of ours; returns the name."""
        content = renamed_copy(checked.upload, extension=checked.extension)
        assert content.name is not None  # renamed_copy names the copy
        field_file.save(content.name, content, save=False)
        stored = field_file.name
        assert stored is not None  # save() named the file
        self.names.append(stored)
        return stored

    def save(self, row: Row, checked: CheckedUpload) -> Row:
        """Store the upload as `row`'s file, with its original name and size, and save the row."""
        stored = self.store(row.file, checked)
        row.original_name = checked.original_name or os.path.basename(stored)
        row.size = row.file.size
        row.save()
        return row


def delete_now(names: Iterable[str | None]) -> None:
    for name in names:
        if name:
            private_storage().delete(name)


def delete_after_commit(names: Iterable[str | None]) -> None:
    """Delete these files once the transaction that deletes their rows commits (at once outside
    a transaction); a rollback keeps them, with the rows that name them."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(functools.partial(delete_now, names))


def private_file_response(file: FieldFile, *, name: str | None, missing: str) -> PrivateFileResponse:
    """The file as a download: always an attachment, with the type it was checked to have when it
    was stored (the extension of our name for it; `application/octet-stream` for any other) and
    `X-Content-Type-Options: nosniff`, so no browser takes it for another type. It is offered as
    `name` (the uploader's name), whose extension is made that type's when it says another.
    NotFound with the message `missing` when the file is gone.

    Streamed through this process; or, when the file is in a private bucket and
    PRIVATE_FILES_SIGNED_URL_SECONDS is above 0, a redirect to a URL signed for that long, which
    makes the bucket answer with the same name and type (not cached: the URL is the caller's alone).
    Either way only after the caller's selector decided who may have it."""
    extension = os.path.splitext(file.name or "")[1].lstrip(".").lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    name = os.path.basename(name or "") or "attachment"
    stem, named = os.path.splitext(name)
    if extension in NAME_EXTENSIONS and named.lstrip(".").lower() not in NAME_EXTENSIONS[extension]:
        name = f"{stem}.{extension}"
    seconds = settings.PRIVATE_FILES_SIGNED_URL_SECONDS
    # Only the object storage (marketplace.object_storage.PrivateObjectStorage) signs URLs.
    signed_url = getattr(file.storage, "signed_url", None)
    if seconds > 0 and signed_url is not None:
        if not file.name or not file.storage.exists(file.name):
            raise NotFound(missing)
        redirect = HttpResponseRedirect(
            signed_url(file.name, seconds=seconds, filename=name, content_type=content_type)
        )
        patch_cache_control(redirect, private=True, no_store=True)
        return redirect
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise NotFound(missing) from error
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
