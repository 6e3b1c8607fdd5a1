"""Quote pages, the comparison, the award and the sourcing view.

The `buyer` actor owns an open, splittable RFQ matched to the `supplier` actor, which has quoted
on it. Sealed: other suppliers and other buyers get 404 for the quote and the comparison.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from buyers.models import QuoteAttachment
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.matrix import Route, World, expect

SUPPLIER_OWN = expect(302, supplier=200, other_supplier=404)
BUYER_OWN = expect(404, anonymous=302, staff=302, buyer=200)


def build(world: World) -> None:
    buyer = world.actors["buyer"]
    supplier = world.actors["supplier"].supplier
    world.quoted_rfq = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, allow_split=True)
    MatchFactory(rfq=world.quoted_rfq, supplier=supplier)
    world.quote = QuoteFactory(rfq=world.quoted_rfq, supplier=supplier)
    world.quote_attachment = QuoteAttachment(quote=world.quote, original_name="spec.pdf", size=9)
    world.quote_attachment.file.save("spec.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


def _rfq(world: World) -> dict[str, int]:
    return {"pk": world.quoted_rfq.pk}


def _attachment(world: World) -> dict[str, int]:
    return {"pk": world.quoted_rfq.pk, "attachment_pk": world.quote_attachment.pk}


ROUTES = [
    Route("buyers:supplier_quote", SUPPLIER_OWN, kwargs=_rfq),
    # A revision without terms is refused with messages.
    Route(
        "buyers:supplier_quote",
        expect(302, supplier=400, other_supplier=404),
        method="post",
        kwargs=_rfq,
        data=lambda w: {},
    ),
    Route("buyers:supplier_quote_withdraw", expect(302, other_supplier=404), method="post", kwargs=_rfq),
    Route("buyers:rfq_quotes", BUYER_OWN, kwargs=_rfq),
    Route("buyers:supplier_quote_attachment", SUPPLIER_OWN, kwargs=_attachment),
    Route("buyers:rfq_quote_attachment", BUYER_OWN, kwargs=_attachment),
    # Without `confirm` the buyer gets the confirmation page; with it, the award.
    Route(
        "orders:rfq_award",
        expect(404, anonymous=302, staff=302, buyer=200),
        method="post",
        kwargs=_rfq,
        data=lambda w: {"mode": "split", f"qty_{w.quote.pk}": str(w.quote.quantity), f"ver_{w.quote.pk}": "1"},
    ),
    Route(
        "orders:rfq_award",
        expect(404, anonymous=302, staff=302, buyer=302),
        method="post",
        kwargs=_rfq,
        data=lambda w: {
            "mode": "split",
            f"qty_{w.quote.pk}": str(w.quote.quantity),
            f"ver_{w.quote.pk}": "1",
            "confirm": "1",
        },
    ),
    # Rounds open only after the deadline: the buyer is sent back with the reason.
    Route("buyers:rfq_round_open", expect(404, anonymous=302, staff=302, buyer=302), method="post", kwargs=_rfq),
    Route("buyers:rfq_round_end", expect(404, anonymous=302, staff=302, buyer=302), method="post", kwargs=_rfq),
    Route("orders:rfq_sourcing", BUYER_OWN, kwargs=_rfq),
]
