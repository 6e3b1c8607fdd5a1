"""Checks for uploaded files, by content not by name, and thumbnails for images.

Every upload goes through here (product images and factory photos; certificates, RFQ drawings,
quotes' and messages' attachments, which `marketplace.private_files` stores), so the limits are
the same everywhere and stated once.
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
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
THUMBNAIL_SIZE = (400, 400)


def check_image(upload: UploadedFile, *, field: str = "image") -> str:
    """Raise InvalidInput unless `upload` really is a JPEG, PNG or WebP of sane size; return its format."""
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
        return
    try:
        check_image(upload, field=field)
    except InvalidInput as error:
        raise InvalidInput(_("Upload a PDF, or a JPEG, PNG or WebP image."), field=field) from error


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
