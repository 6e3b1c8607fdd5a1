"""The supplier's side of RFQs through the API: /api/v1/inbox/... and /api/v1/rfq-board/.

Anonymous 401; buyers and staff (no selling company) 403 with a message; sellers act on their
own inbox, and an RFQ the supplier was not matched or invited to answers 404.
"""

from __future__ import annotations

from buyers.models import Match, SourcingRequest
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.matrix import Route, World, expect

SELLERS = expect(403, anonymous=401, supplier=200, other_supplier=200)
OWNER = expect(403, anonymous=401, supplier=200, other_supplier=404)
JSON = "application/json"


def build(world: World) -> None:
    world.inbox_api_rfq = SourcingRequestFactory(
        buyer=world.actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE
    )
    MatchFactory(rfq=world.inbox_api_rfq, supplier=world.actors["supplier"].supplier, source=Match.Source.INVITED)


def _rfq(world: World) -> dict[str, int]:
    return {"rfq_id": world.inbox_api_rfq.pk}


ROUTES = [
    Route("api-inbox-list", SELLERS),
    Route("api-inbox-detail", OWNER, kwargs=_rfq),
    Route(
        "api-inbox-decline",
        OWNER,
        method="post",
        kwargs=_rfq,
        data=lambda w: {"reason": "Beyond our capacity this month."},
        content_type=JSON,
    ),
    Route(
        "api-inbox-decline",
        expect(403, anonymous=401, supplier=400, other_supplier=404),
        method="post",
        kwargs=_rfq,
        data=lambda w: {},
        content_type=JSON,
    ),
    Route("api-inbox-decline", expect(405, anonymous=401), kwargs=_rfq),
    Route("api-rfq-board-list", SELLERS),
]
