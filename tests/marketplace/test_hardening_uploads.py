"""Uploads are what their content is, and are served as that (docs/security.md, "Hostile input").

A file whose name says another type than its content is refused (a PDF named .html would be an
HTML page to whoever opens the saved download); every download carries the type the file was
checked to have, `nosniff`, and is an attachment named with that type's extension.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buyers.models import RfqAttachment
from marketplace.errors import InvalidInput
from marketplace.private_files import checked_documents
from orders.services.messages import message_send
from suppliers.models import Product
from tests.buyers.builders_post import draft_of, open_rfq_of, posting_world, rfq_form
from tests.buyers.factories import MatchFactory, RfqAttachmentFactory
from tests.conftest import Actor
from tests.orders.builders_messages import rfq_thread
from tests.suppliers.factories_catalog import ProductFactory, image_bytes

pytestmark = pytest.mark.django_db

# A PDF's first bytes, then an HTML page: a browser sniffing it, or opening it saved as .html, runs the script.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def polyglot(name: str = "invoice.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, POLYGLOT, content_type="text/html")


def test_hardening_a_pdf_named_html_is_refused_everywhere_a_file_is_uploaded(actors: dict[str, Actor]) -> None:
    buyer = actors["buyer"]
    rfq = draft_of(buyer)
    categories = posting_world()

    with pytest.raises(InvalidInput) as by_the_service:
        checked_documents([polyglot()], field="attachments")
    by_the_api = buyer.client.post(f"/api/v1/rfqs/{rfq.pk}/attachments/", {"files": [polyglot()]})
    by_the_page = buyer.client.post(
        reverse("buyers:rfq_create"), {**rfq_form(categories["school"]), "attachments": [polyglot()]}
    )

    expected = "name ends in .html, but it is a PDF file: name it .pdf"
    assert expected in by_the_service.value.message
    assert by_the_api.status_code == 400
    assert by_the_api.json()["error"]["message"] == f"invoice.html: The file's {expected} and try again."
    assert by_the_page.status_code == 400
    assert expected in by_the_page.content.decode()
    assert not RfqAttachment.objects.exists()


def test_hardening_an_image_named_as_another_type_is_refused(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    product = ProductFactory(supplier=supplier.supplier, status=Product.Status.DRAFT)
    png_named_jpg = SimpleUploadedFile("photo.jpg", image_bytes(size=(200, 200)), content_type="image/jpeg")
    jpeg_named_jpeg = SimpleUploadedFile("photo.jpeg", image_bytes(size=(200, 200), image_format="JPEG"))

    refused = supplier.client.post(f"/api/v1/catalog/products/{product.pk}/images/", {"images": [png_named_jpg]})
    accepted = supplier.client.post(f"/api/v1/catalog/products/{product.pk}/images/", {"images": [jpeg_named_jpeg]})

    assert refused.status_code == 400
    assert "ends in .jpg, but it is a PNG file" in refused.json()["error"]["message"]
    assert accepted.status_code == 201, accepted.content


def test_hardening_a_file_named_without_an_extension_is_offered_with_its_types(actors: dict[str, Actor]) -> None:
    buyer = actors["buyer"]
    rfq = draft_of(buyer)
    drawing = SimpleUploadedFile("drawing", b"%PDF-1.4\n% a drawing\n", content_type="application/octet-stream")

    added = buyer.client.post(f"/api/v1/rfqs/{rfq.pk}/attachments/", {"files": [drawing]})
    download = buyer.client.get(added.json()["attachments"][0]["url"])

    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="drawing.pdf"'


def assert_served_as(response: Any, content_type: str, filename: str) -> None:
    assert response.status_code == 200, response
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_hardening_every_download_carries_its_checked_type_whatever_the_uploader_named_it(
    actors: dict[str, Actor],
) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = open_rfq_of(buyer)
    MatchFactory(rfq=rfq, supplier=supplier.supplier)
    # Stored before names were checked: a PDF the uploader had named .html.
    attachment = RfqAttachmentFactory(rfq=rfq, original_name="drawing.html", file=ContentFile(POLYGLOT, name="a.pdf"))
    thread = rfq_thread(buyer, supplier)
    photo = SimpleUploadedFile("sample photo", image_bytes(), content_type="application/octet-stream")
    message = message_send(
        thread_id=thread.pk, company=buyer.company, author=buyer.user, body="A photo", attachment=photo
    )

    downloads = {
        "page": buyer.client.get(reverse("buyers:rfq_attachment", args=[rfq.pk, attachment.pk])),
        "supplier's page": supplier.client.get(reverse("buyers:supplier_attachment", args=[rfq.pk, attachment.pk])),
        "API": buyer.client.get(f"/api/v1/rfqs/{rfq.pk}/attachments/{attachment.pk}/"),
    }

    for response in downloads.values():
        assert_served_as(response, "application/pdf", "drawing.pdf")
    assert_served_as(supplier.client.get(f"/api/v1/messages/{message.pk}/attachment/"), "image/png", "sample photo.png")
