"""The orders API (/api/v1/orders/...).

Anonymous clients get 401; staff acting for no company 403 (and alone resolve disputes); an
order between the `buyer` and `supplier` actors is seen by both sides and is 404 for every
other company. An action the client's side may not take answers 403.
"""

from __future__ import annotations

from typing import Any

from orders.models import Order
from tests.matrix import Route, expect

Status = Order.Status
JSON = "application/json"
COMPANIES = expect(200, anonymous=401, staff=403)
PARTIES = expect(404, buyer=200, supplier=200, anonymous=401, staff=403)
SUPPLIER_ACTS = expect(404, supplier=200, buyer=403, anonymous=401, staff=403)
BUYER_ACTS = expect(404, buyer=200, supplier=403, anonymous=401, staff=403)


def _at(status: str) -> Any:
    return lambda w: w.orders.kwargs(status)


def _milestone(status: str, position: int) -> Any:
    def kwargs(world: Any) -> dict[str, int]:
        values = world.orders.milestone(status, position)
        return {"pk": values["pk"], "milestone_id": values["milestone_pk"]}

    return kwargs


ROUTES = [
    Route("api-order-list", COMPANIES),
    Route("api-order-detail", PARTIES, kwargs=_at(Status.PLACED)),
    Route("api-order-detail", expect(405, anonymous=401), method="delete", kwargs=_at(Status.PLACED)),
    Route(
        "api-order-from-catalog",
        expect(201, supplier=400, anonymous=401, staff=403),
        method="post",
        data=lambda w: {"product": w.order_product.kwargs()["product_pk"], "quantity": 150},
        content_type=JSON,
    ),
    Route("api-order-confirm", SUPPLIER_ACTS, method="post", kwargs=_at(Status.PLACED)),
    Route("api-order-start-production", SUPPLIER_ACTS, method="post", kwargs=_at(Status.DEPOSIT_PAID)),
    Route(
        "api-order-ship",
        SUPPLIER_ACTS,
        method="post",
        kwargs=_at(Status.IN_PRODUCTION),
        data=lambda w: {"carrier": "COSCO", "tracking_number": "COSU61", "quantity": 1000},
        content_type=JSON,
    ),
    Route("api-order-deliver", BUYER_ACTS, method="post", kwargs=_at(Status.SHIPPED)),
    Route("api-order-complete", BUYER_ACTS, method="post", kwargs=_at(Status.DELIVERED)),
    Route(
        "api-order-cancel",
        PARTIES,
        method="post",
        kwargs=_at(Status.PLACED),
        data=lambda w: {"reason": "Found a closer supplier."},
        content_type=JSON,
    ),
    Route(
        "api-order-dispute",
        BUYER_ACTS,
        method="post",
        kwargs=_at(Status.SHIPPED),
        data=lambda w: {"reason": "200 bags arrived torn."},
        content_type=JSON,
    ),
    Route(
        "api-order-resolve-dispute",
        expect(404, staff=200, buyer=403, supplier=403, anonymous=401),
        method="post",
        kwargs=_at(Status.DISPUTED),
        data=lambda w: {"outcome": "resume", "resolution": "The supplier resends 200 bags."},
        content_type=JSON,
    ),
    Route(
        "api-order-review",
        BUYER_ACTS,
        method="post",
        kwargs=_at(Status.COMPLETED),
        data=lambda w: {"rating": 5, "comment": "Good zips."},
        content_type=JSON,
    ),
    Route(
        "api-order-milestone-paid",
        BUYER_ACTS,
        method="post",
        kwargs=_milestone(Status.CONFIRMED, 0),
        data=lambda w: {"reference": "TT-1"},
        content_type=JSON,
    ),
    Route("api-order-milestone-received", SUPPLIER_ACTS, method="post", kwargs=_milestone(Status.CONFIRMED, 0)),
]
