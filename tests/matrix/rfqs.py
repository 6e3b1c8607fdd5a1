"""The buyer's RFQ pages (/rfqs/...).

Every company can buy: any signed-in member of a company gets the list and the form. The
`buyer` actor owns the requests built here; every other company gets 404 for them (no existence
leaks). Staff acting for no company are sent to the company page, anonymous to log in.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from buyers.models import RfqAttachment, SourcingRequest
from tests.buyers.builders_post import PDF_BYTES
from tests.buyers.factories import SourcingRequestFactory
from tests.matrix import Route, World, expect

COMPANIES = expect(200, anonymous=302, staff=302)
COMPANIES_REFUSED_INPUT = expect(400, anonymous=302, staff=302)
OWNER = expect(404, buyer=200, anonymous=302, staff=302)
OWNER_ACTION = expect(404, buyer=302, anonymous=302, staff=302)
POST_ONLY = expect(405)


def build(world: World) -> None:
    buyer = world.actors["buyer"]
    world.rfqs_draft = SourcingRequestFactory(
        buyer=buyer.company, created_by=buyer.user, status=SourcingRequest.Status.DRAFT
    )
    world.rfqs_open = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)
    attachment = RfqAttachment(rfq=world.rfqs_draft, original_name="drawing.pdf", size=len(PDF_BYTES))
    attachment.file.save("matrix-drawing.pdf", ContentFile(PDF_BYTES), save=True)
    world.rfqs_attachment = attachment


def _draft(world: World) -> dict[str, int]:
    return {"pk": world.rfqs_draft.pk}


def _open(world: World) -> dict[str, int]:
    return {"pk": world.rfqs_open.pk}


def _attachment(world: World) -> dict[str, int]:
    return {"pk": world.rfqs_draft.pk, "attachment_pk": world.rfqs_attachment.pk}


ROUTES = [
    Route("buyers:rfq_list", COMPANIES),
    Route("buyers:rfq_create", COMPANIES),
    # The invitation picker's fragment lists suppliers by name to any company (never itself).
    Route("buyers:supplier_picker", COMPANIES),
    # An empty form is refused with messages (400).
    Route("buyers:rfq_create", COMPANIES_REFUSED_INPUT, method="post", data=lambda w: {}),
    Route("buyers:rfq_detail", OWNER, kwargs=_draft),
    Route("buyers:rfq_edit", OWNER, kwargs=_draft),
    Route(
        "buyers:rfq_edit",
        expect(404, buyer=400, anonymous=302, staff=302),
        method="post",
        kwargs=_draft,
        data=lambda w: {},
    ),
    Route("buyers:rfq_publish", OWNER_ACTION, method="post", kwargs=_draft),
    Route("buyers:rfq_publish", POST_ONLY, kwargs=_draft),
    Route("buyers:rfq_close", OWNER_ACTION, method="post", kwargs=_open, data=lambda w: {"reason": "Enough."}),
    Route("buyers:rfq_close", POST_ONLY, kwargs=_open),
    Route("buyers:rfq_cancel", OWNER_ACTION, method="post", kwargs=_open, data=lambda w: {"reason": "Withdrawn."}),
    Route("buyers:rfq_cancel", POST_ONLY, kwargs=_open),
    Route("buyers:rfq_attachment", OWNER, kwargs=_attachment),
    Route("buyers:rfq_attachment_delete", OWNER_ACTION, method="post", kwargs=_attachment),
    Route("buyers:rfq_attachment_delete", POST_ONLY, kwargs=_attachment),
]
