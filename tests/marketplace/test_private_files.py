"""Private files are written one way: checked first, stored under names of ours, removed again
when the write fails, and deleted only once the deletion of their row commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from marketplace.errors import InvalidInput
from marketplace.private_files import StoredFiles, checked_documents, delete_after_commit
from marketplace.storage import private_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def pdf(name: str = "drawing.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_refused_upload_is_named_in_the_message() -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_documents([pdf(), SimpleUploadedFile("notes.txt", b"plain words")], field="attachments")
    assert refused.value.message.startswith("notes.txt: ")
    assert refused.value.field == "attachments"


def test_a_stored_file_has_a_name_of_ours_and_keeps_the_uploaders_name() -> None:
    [checked] = checked_documents([pdf("../../etc/drawing.pdf")], field="attachments")
    stored = StoredFiles()
    holder = _Holder()

    name = stored.store(holder.file, checked)

    assert checked.original_name == "drawing.pdf"
    assert name.endswith(".pdf")
    assert "drawing" not in name
    assert private_storage().exists(name)


def test_a_failed_write_removes_the_files_it_stored() -> None:
    [checked] = checked_documents([pdf()], field="attachments")
    holder = _Holder()
    stored = StoredFiles()

    def write() -> None:
        with stored, transaction.atomic():
            stored.store(holder.file, checked)
            raise RuntimeError("the row could not be written")

    with pytest.raises(RuntimeError):
        write()
    assert stored.names
    assert not any(private_storage().exists(name) for name in stored.names)


def test_a_deleted_rows_file_goes_only_when_the_deletion_commits(django_capture_on_commit_callbacks: Any) -> None:
    name = private_storage().save("tests/kept.pdf", pdf())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_after_commit([name])
    assert private_storage().exists(name)  # not yet: the deletion may still roll back
    for callback in callbacks:
        callback()
    assert not private_storage().exists(name)


class _Holder:
    """A stand-in row with a private file field (the helper needs only its FieldFile)."""

    def __init__(self) -> None:
        field = models.FileField(upload_to="tests", storage=private_storage)
        field.set_attributes_from_name("file")
        self.file = FieldFile(self, field, None)
