"""Message pages: the inbox, one thread (page, polled fragment, send), starting a thread about an
RFQ or an order, and attachments.

Any member of a company may open them; anonymous visitors go to log in and staff (no company) to
the company page. The thread built here is between `buyer` and `supplier`: the two others get 404
for it and for its attachment (no existence leaks).
"""

from __future__ import annotations

from buyers.models import SourcingRequest
from orders.services.messages import message_send
from tests.matrix import Route, World, expect
from tests.orders.builders_messages import matched_rfq, order_between, pdf, rfq_thread

MEMBERS = expect(200, anonymous=302, staff=302)
PARTIES = expect(404, anonymous=302, staff=302, buyer=200, supplier=200)
SENT = expect(404, anonymous=302, staff=302, buyer=302, supplier=302)
REFUSED = expect(404, anonymous=302, staff=302, buyer=400, supplier=400)


def build(world: World) -> None:
    buyer, supplier = world.actors["buyer"], world.actors["supplier"]
    world.messages_thread = rfq_thread(buyer, supplier)
    world.messages_attachment = message_send(
        thread_id=world.messages_thread.pk, company=buyer.company, author=buyer.user, body="", attachment=pdf()
    )
    # An RFQ and an order with no thread yet, to start one about.
    world.messages_rfq = matched_rfq(buyer, supplier, visibility=SourcingRequest.Visibility.PRIVATE)
    world.messages_order = order_between(buyer=buyer.company, supplier=supplier.supplier)


def _thread(world: World) -> dict[str, int]:
    return {"pk": world.messages_thread.pk}


def _rfq(world: World) -> dict[str, int]:
    return {"rfq_pk": world.messages_rfq.pk}


def _rfq_and_supplier(world: World) -> dict[str, int]:
    return {"rfq_pk": world.messages_rfq.pk, "supplier_pk": world.actors["supplier"].supplier.pk}


def _order(world: World) -> dict[str, int]:
    return {"order_pk": world.messages_order.pk}


def _hello(world: World) -> dict[str, str]:
    return {"body": "Hello", "after": "0"}


ROUTES = [
    Route("orders:thread_list", MEMBERS),
    Route("orders:thread_detail", PARTIES, kwargs=_thread),
    Route("orders:thread_messages", PARTIES, kwargs=_thread),
    Route("orders:thread_send", SENT, method="post", kwargs=_thread, data=_hello),
    Route("orders:thread_send", REFUSED, method="post", kwargs=_thread, data=lambda w: {"body": " "}),
    Route("orders:thread_send", expect(405), kwargs=_thread),
    # A supplier writes to the buyer of an RFQ it was sent; the buyer names a supplier.
    Route("orders:rfq_thread_start", expect(404, anonymous=302, staff=302, supplier=200), kwargs=_rfq),
    Route(
        "orders:rfq_thread_start",
        expect(404, anonymous=302, staff=302, supplier=302),
        method="post",
        kwargs=_rfq,
        data=_hello,
    ),
    Route("orders:rfq_thread_start_buyer", expect(404, anonymous=302, staff=302, buyer=200), kwargs=_rfq_and_supplier),
    Route(
        "orders:rfq_thread_start_buyer",
        expect(404, anonymous=302, staff=302, buyer=302),
        method="post",
        kwargs=_rfq_and_supplier,
        data=_hello,
    ),
    Route(
        "orders:rfq_thread_start_buyer",
        expect(404, anonymous=302, staff=302, buyer=400),
        method="post",
        kwargs=_rfq_and_supplier,
        data=lambda w: {},
    ),
    Route("orders:order_thread_start", PARTIES, kwargs=_order),
    Route("orders:order_thread_start", SENT, method="post", kwargs=_order, data=_hello),
    Route(
        "orders:message_attachment",
        PARTIES,
        kwargs=lambda w: {"pk": w.messages_attachment.pk},
    ),
]
