"""The supplier's side of RFQs: its inbox, the board, one RFQ, declining, attachments.

The pages act for the acting company's supplier profile. The RFQ built here is private and the
`supplier` actor is invited to it, so `other_supplier` gets 404 for it (no existence leaks);
buying companies are sent to `suppliers:become`, staff (no company) to the company page,
anonymous to log in.
"""

from __future__ import annotations

from buyers.models import Match, SourcingRequest
from tests.buyers.factories import MatchFactory, RfqAttachmentFactory, SourcingRequestFactory
from tests.matrix import Route, World, expect

SELLERS_ONLY = expect(302, supplier=200, other_supplier=200)
OWNER_ONLY = expect(302, supplier=200, other_supplier=404)


def build(world: World) -> None:
    world.inbox_rfq = SourcingRequestFactory(
        buyer=world.actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE
    )
    MatchFactory(
        rfq=world.inbox_rfq,
        supplier=world.actors["supplier"].supplier,
        source=Match.Source.INVITED,
        reasons=[{"code": "invited"}],
    )
    world.inbox_attachment = RfqAttachmentFactory(rfq=world.inbox_rfq)


def _rfq(world: World) -> dict[str, int]:
    return {"pk": world.inbox_rfq.pk}


ROUTES = [
    Route("buyers:supplier_inbox", SELLERS_ONLY),
    Route("buyers:supplier_board", SELLERS_ONLY),
    Route("buyers:supplier_rfq_detail", OWNER_ONLY, kwargs=_rfq),
    # Declining: the supplier is sent back to its inbox; without a reason the page says why (400).
    Route(
        "buyers:supplier_rfq_decline",
        expect(302, other_supplier=404),
        method="post",
        kwargs=_rfq,
        data=lambda w: {"reason": "Beyond our capacity this month."},
    ),
    Route(
        "buyers:supplier_rfq_decline",
        expect(302, supplier=400, other_supplier=404),
        method="post",
        kwargs=_rfq,
        data=lambda w: {"reason": ""},
    ),
    Route("buyers:supplier_rfq_decline", expect(405), kwargs=_rfq),
    Route(
        "buyers:supplier_attachment",
        OWNER_ONLY,
        kwargs=lambda w: {"pk": w.inbox_rfq.pk, "attachment_pk": w.inbox_attachment.pk},
    ),
]
