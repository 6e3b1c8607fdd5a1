"""Checks for uploaded files, by content not by name, and thumbnails for images.

Every upload goes through here (product images and factory photos; certificates, RFQ drawings,
quotes' and messages' attachments, which `marketplace.private_files` stores), so the limits are
the same everywhere and stated once.

The type of a file is what its content is (a PDF starts with %PDF-, an image is what Pillow reads
in full). A file whose name says another type is refused (`check_name`: a PDF named report.html
would be an HTML page to whoever opens the saved download); a name without an extension says
nothing. A checked file is stored under a name of ours with its type's extension, and served with
that type (`CONTENT_TYPES`, marketplace.private_files.private_file_response).
"""

from __future__ import annotations

import io
import os
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from marketplace.errors import InvalidInput

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MIN_IMAGE_SIDE = 100
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# For each type a checked file can have (its extension on our disk): how people name it, its
# Content-Type, and its name in messages.
NAME_EXTENSIONS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg", "jpe", "jfif"}, "png": {"png"}, "webp": {"webp"}}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
TYPE_NAMES = {"pdf": "PDF", "jpg": "JPEG", "png": "PNG", "webp": "WebP"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
THUMBNAIL_SIZE = (400, 400)


def check_image(upload: UploadedFile, *, field: str = "image") -> str:
    """Raise InvalidInput unless `upload` really is a JPEG, PNG or WebP of sane size, named as one;
    return its format."""
    image_format = _image_format(upload, field=field)
    check_name(upload, IMAGE_FORMATS[image_format], field=field)
    return image_format


def _image_format(upload: UploadedFile, *, field: str) -> str:
    """The format of an image of sane size, by its content; InvalidInput for anything else."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise InvalidInput(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_IMAGE_BYTES // 1024 // 1024},
            field=field,
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format or ""
            width, height = image.size
            if image_format not in IMAGE_FORMATS:
                raise InvalidInput(_("Upload a JPEG, PNG or WebP image."), field=field)
            if width * height > MAX_IMAGE_PIXELS:
                raise InvalidInput(
                    _("The image has too many pixels (%(width)s × %(height)s); the limit is %(limit)s megapixels.")
                    % {"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
                    field=field,
                )
            if min(width, height) < MIN_IMAGE_SIDE:
                raise InvalidInput(
                    _("The image is too small: each side needs at least %(min)s pixels.") % {"min": MIN_IMAGE_SIDE},
                    field=field,
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise InvalidInput(_("This file is not an image we can read (JPEG, PNG or WebP)."), field=field) from error
    finally:
        upload.seek(0)
    return image_format


def check_name(upload: UploadedFile, extension: str, *, field: str) -> None:
    """Raise InvalidInput when the name's extension says another type than `extension`, the one
    the content was found to be (a PDF named report.html, a PNG named photo.jpg)."""
    named = os.path.splitext(os.path.basename(upload.name or ""))[1].lstrip(".").lower()
    if named and named not in NAME_EXTENSIONS[extension]:
        raise InvalidInput(
            _("The file's name ends in .%(named)s, but it is a %(type)s file: name it .%(extension)s and try again.")
            % {"named": named[:20], "type": TYPE_NAMES[extension], "extension": extension},
            field=field,
        )


def make_thumbnail(upload: UploadedFile, *, name: str) -> ContentFile:
    """A JPEG no larger than THUMBNAIL_SIZE, for lists and search results."""
    upload.seek(0)
    with Image.open(upload) as opened:
        image = opened.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    upload.seek(0)
    stem = os.path.splitext(os.path.basename(name))[0][:80] or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem}-thumb.jpg")


PDF_MAGIC = b"%PDF-"


def check_document(upload: UploadedFile, *, field: str = "file") -> None:
    """A certificate or licence: a PDF, or an image as check_image allows."""
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            _("The file is too large; the limit is %(limit)s MB.") % {"limit": MAX_DOCUMENT_BYTES // 1024 // 1024},
            field=field,
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        check_name(upload, "pdf", field=field)
        return
    try:
        image_format = _image_format(upload, field=field)
    except InvalidInput as error:
        raise InvalidInput(_("Upload a PDF, or a JPEG, PNG or WebP image."), field=field) from error
    check_name(upload, IMAGE_FORMATS[image_format], field=field)


def document_extension(upload: UploadedFile, *, field: str = "file") -> str:
    """The real type of a checked document, from its content: pdf, jpg, png or webp."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "pdf"
    return IMAGE_FORMATS[check_image(upload, field=field)]


def renamed_copy(upload: UploadedFile, *, extension: str) -> ContentFile:
    """The upload's content under a random name of ours (never the uploader's name on disk)."""
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex[:16]}.{extension}")
