"""Private uploads (a buyer's drawings, attachments, licences, import files) are kept apart from the
public media and have no URL: only a view that checks who asks can stream them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from buyers.models import RfqAttachment, SourcingRequest
from marketplace.storage import move_to_private_storage, private_storage
from tests.buyers.factories import DRAWING, RfqAttachmentFactory, SourcingRequestFactory

pytestmark = pytest.mark.django_db


def test_a_buyer_s_drawing_is_stored_outside_the_public_media_and_has_no_url(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE)

    attachment = RfqAttachmentFactory(rfq=rfq)

    stored = Path(attachment.file.path)
    assert stored.is_file()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()
    assert attachment.file.url == ""


def test_the_owner_downloads_it_through_the_checked_view_and_another_buyer_gets_404(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE)
    attachment = RfqAttachmentFactory(rfq=rfq)
    url = reverse("buyers:rfq_attachment", kwargs={"pk": rfq.pk, "attachment_pk": attachment.pk})

    mine = actors["buyer"].client.get(url)
    theirs = actors["other_buyer"].client.get(url)

    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == DRAWING
    assert theirs.status_code == 404


def test_files_kept_in_the_public_media_before_private_storage_existed_move_to_it(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company)
    name = default_storage.save(f"rfq/{rfq.pk}/old-drawing.pdf", ContentFile(DRAWING))
    attachment = RfqAttachment.objects.create(rfq=rfq, file=name, original_name="old-drawing.pdf", size=len(DRAWING))

    moved = move_to_private_storage(RfqAttachment, "file")

    assert moved == 1
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert Path(private_storage().path(name)).read_bytes() == DRAWING
    assert attachment.file.name == name
    assert move_to_private_storage(RfqAttachment, "file") == 0
