"""The messaging API: /api/v1/threads/..., /api/v1/messages/<id>/attachment/.

Anonymous 401; a user acting for no company (staff) 403 with a message; the thread built here is
between `buyer` and `supplier`, and the two others get 404 for it and its attachment.
"""

from __future__ import annotations

from buyers.models import SourcingRequest
from orders.services.messages import message_send
from tests.matrix import Route, World, expect
from tests.orders.builders_messages import matched_rfq, pdf, rfq_thread

MEMBERS = expect(200, anonymous=401, staff=403)
PARTIES = expect(404, anonymous=401, staff=403, buyer=200, supplier=200)
JSON = "application/json"


def build(world: World) -> None:
    buyer, supplier = world.actors["buyer"], world.actors["supplier"]
    world.api_messages_thread = rfq_thread(buyer, supplier)
    world.api_messages_attachment = message_send(
        thread_id=world.api_messages_thread.pk, company=buyer.company, author=buyer.user, body="", attachment=pdf()
    )
    world.api_messages_rfq = matched_rfq(buyer, supplier, visibility=SourcingRequest.Visibility.PRIVATE)


def _thread(world: World) -> dict[str, int]:
    return {"pk": world.api_messages_thread.pk}


def _start(world: World) -> dict[str, object]:
    return {"rfq": world.api_messages_rfq.pk, "supplier": world.actors["supplier"].supplier.pk, "body": "Hello"}


ROUTES = [
    Route("api-thread-list", MEMBERS),
    # Naming a supplier is for the RFQ's buyer: anyone else gets 404 for the RFQ.
    Route(
        "api-thread-list",
        expect(404, anonymous=401, staff=403, buyer=201),
        method="post",
        data=_start,
        content_type=JSON,
    ),
    Route(
        "api-thread-list",
        expect(400, anonymous=401, staff=403),
        method="post",
        data=lambda w: {"body": "About nothing"},
        content_type=JSON,
    ),
    Route("api-thread-detail", PARTIES, kwargs=_thread),
    Route("api-thread-messages", PARTIES, kwargs=_thread),
    Route(
        "api-thread-messages",
        expect(404, anonymous=401, staff=403, buyer=201, supplier=201),
        method="post",
        kwargs=_thread,
        data=lambda w: {"body": "Hello"},
        content_type=JSON,
    ),
    Route(
        "api-thread-messages",
        expect(404, anonymous=401, staff=403, buyer=400, supplier=400),
        method="post",
        kwargs=_thread,
        data=lambda w: {"body": ""},
        content_type=JSON,
    ),
    Route("api-message-attachment", PARTIES, kwargs=lambda w: {"pk": w.api_messages_attachment.pk}),
]
