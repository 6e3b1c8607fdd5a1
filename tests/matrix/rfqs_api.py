"""The buyer's RFQ API (/api/v1/rfqs/...).

Anonymous clients get 401; staff acting for no company 403 with a message; every company may
post requests; the `buyer` actor owns the requests built here and every other company gets 404
for them (no existence leaks).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from buyers.models import RfqAttachment, SourcingRequest
from tests.buyers.builders_post import PDF_BYTES
from tests.buyers.factories import SourcingRequestFactory
from tests.matrix import Route, World, expect

COMPANIES = expect(200, anonymous=401, staff=403)
OWNER = expect(404, buyer=200, anonymous=401, staff=403)
NOT_ALLOWED = expect(405, anonymous=401)
JSON = "application/json"


def build(world: World) -> None:
    buyer = world.actors["buyer"]
    world.rapi_draft = SourcingRequestFactory(
        buyer=buyer.company, created_by=buyer.user, status=SourcingRequest.Status.DRAFT
    )
    world.rapi_open = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)
    attachment = RfqAttachment(rfq=world.rapi_draft, original_name="drawing.pdf", size=len(PDF_BYTES))
    attachment.file.save("matrix-api-drawing.pdf", ContentFile(PDF_BYTES), save=True)
    world.rapi_attachment = attachment


def _draft(world: World) -> dict[str, int]:
    return {"pk": world.rapi_draft.pk}


def _open(world: World) -> dict[str, int]:
    return {"pk": world.rapi_open.pk}


def _attachment(world: World) -> dict[str, int]:
    return {"pk": world.rapi_draft.pk, "attachment_id": world.rapi_attachment.pk}


ROUTES = [
    Route("api-rfq-list", COMPANIES),
    # An empty request is refused field by field (400).
    Route(
        "api-rfq-list",
        expect(400, anonymous=401, staff=403),
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),
    Route("api-rfq-detail", OWNER, kwargs=_draft),
    Route(
        "api-rfq-detail",
        OWNER,
        method="patch",
        kwargs=_draft,
        data=lambda w: {"title": "Renamed by the matrix"},
        content_type=JSON,
    ),
    Route("api-rfq-detail", NOT_ALLOWED, method="delete", kwargs=_draft),
    Route("api-rfq-publish", OWNER, method="post", kwargs=_draft),
    Route("api-rfq-publish", NOT_ALLOWED, kwargs=_draft),
    Route("api-rfq-close", OWNER, method="post", kwargs=_open, data=lambda w: {"reason": "Enough."}, content_type=JSON),
    Route(
        "api-rfq-cancel",
        OWNER,
        method="post",
        kwargs=_open,
        data=lambda w: {"reason": "Withdrawn."},
        content_type=JSON,
    ),
    Route(
        "api-rfq-invitations",
        OWNER,
        method="put",
        kwargs=_draft,
        data=lambda w: {"suppliers": [w.actors["other_supplier"].supplier.pk]},
        content_type=JSON,
    ),
    Route(
        "api-rfq-attachments",
        expect(404, buyer=201, anonymous=401, staff=403),
        method="post",
        kwargs=_draft,
        data=lambda w: {"files": [SimpleUploadedFile("spec.pdf", PDF_BYTES, content_type="application/pdf")]},
    ),
    Route("api-rfq-attachment-detail", OWNER, kwargs=_attachment),
    Route(
        "api-rfq-attachment-detail",
        expect(404, buyer=204, anonymous=401, staff=403),
        method="delete",
        kwargs=_attachment,
    ),
]
