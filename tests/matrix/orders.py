"""The order pages (/orders/...).

An order is built between the `buyer` and `supplier` actors: both sides open it, every other
company gets 404 (no existence leaks); staff (acting for no company) are sent to the company page
from company pages, and alone open the disputes page (404 for everybody else signed in).
Anonymous visitors are sent to log in. Action buttons answer with a redirect to the order (and a
message when the side may not act); a bad form answers 400.

Orders are made on demand (`world.orders.at(status)`), so the rest of the matrix does not pay
for them.
"""

from __future__ import annotations

from typing import Any

from orders.models import Dispute, Order
from tests.matrix import Route, World, expect
from tests.orders.builders_orders import order_at
from tests.suppliers.factories_catalog import ProductFactory

Status = Order.Status
COMPANIES = expect(200, anonymous=302, staff=302)
SELLERS = expect(302, supplier=200, other_supplier=200)
PARTIES = expect(404, buyer=200, supplier=200, anonymous=302, staff=302)
PARTIES_ACT = expect(404, buyer=302, supplier=302, anonymous=302, staff=302)
STAFF_ONLY = expect(404, staff=200, anonymous=302)
NOT_ALLOWED = expect(405)


class OrdersOnDemand:
    """Orders between the buyer and supplier actors, made the first time a route asks."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.made: dict[str, Order] = {}

    def at(self, status: str) -> Order:
        if status not in self.made:
            actors = self.world.actors
            self.made[status] = order_at(status, buyer=actors["buyer"].company, supplier=actors["supplier"].supplier)
        return self.made[status]

    def kwargs(self, status: str) -> dict[str, int]:
        return {"pk": self.at(status).pk}

    def milestone(self, status: str, position: int) -> dict[str, int]:
        order = self.at(status)
        return {"pk": order.pk, "milestone_pk": order.milestones.get(position=position).pk}

    def dispute(self) -> dict[str, int]:
        return {"pk": Dispute.objects.get(order=self.at(Status.DISPUTED)).pk}


class ProductOnDemand:
    def __init__(self, world: World) -> None:
        self.world = world
        self.product: Any = None

    def kwargs(self) -> dict[str, int]:
        if self.product is None:
            self.product = ProductFactory(supplier=self.world.actors["supplier"].supplier, moq=100)
        return {"product_pk": self.product.pk}


def build(world: World) -> None:
    world.orders = OrdersOnDemand(world)
    world.order_product = ProductOnDemand(world)


def _at(status: str) -> Any:
    return lambda w: w.orders.kwargs(status)


ROUTES = [
    Route("orders:order_list", COMPANIES),
    Route("orders:sales_list", SELLERS),
    Route("orders:order_detail", PARTIES, kwargs=_at(Status.PLACED)),
    Route("orders:order_print", PARTIES, kwargs=_at(Status.PLACED)),
    Route("orders:order_from_catalog", COMPANIES, kwargs=lambda w: w.order_product.kwargs()),
    # Ordering: another company's order is placed (302 to it); the supplier may not order its own product.
    Route(
        "orders:order_from_catalog",
        expect(302, supplier=400),
        method="post",
        kwargs=lambda w: w.order_product.kwargs(),
        data=lambda w: {"quantity": "150", "destination_country": "LK"},
    ),
    Route(
        "orders:order_from_catalog",
        expect(400, anonymous=302, staff=302),
        method="post",
        kwargs=lambda w: w.order_product.kwargs(),
        data=lambda w: {"quantity": "10"},
    ),
    Route("orders:order_confirm", PARTIES_ACT, method="post", kwargs=_at(Status.PLACED)),
    Route("orders:order_confirm", NOT_ALLOWED, kwargs=_at(Status.PLACED)),
    Route("orders:order_start_production", PARTIES_ACT, method="post", kwargs=_at(Status.DEPOSIT_PAID)),
    Route(
        "orders:order_ship",
        PARTIES_ACT,
        method="post",
        kwargs=_at(Status.IN_PRODUCTION),
        data=lambda w: {"carrier": "COSCO", "tracking_number": "COSU61", "quantity": "1000"},
    ),
    # A bad shipping form is shown again with its messages.
    Route(
        "orders:order_ship",
        expect(404, buyer=400, supplier=400, anonymous=302, staff=302),
        method="post",
        kwargs=_at(Status.IN_PRODUCTION),
        data=lambda w: {"carrier": "", "quantity": "x"},
    ),
    Route("orders:order_deliver", PARTIES_ACT, method="post", kwargs=_at(Status.SHIPPED)),
    Route("orders:order_complete", PARTIES_ACT, method="post", kwargs=_at(Status.DELIVERED)),
    Route(
        "orders:order_cancel",
        PARTIES_ACT,
        method="post",
        kwargs=_at(Status.PLACED),
        data=lambda w: {"reason": "Found a closer supplier."},
    ),
    Route(
        "orders:order_dispute",
        PARTIES_ACT,
        method="post",
        kwargs=_at(Status.SHIPPED),
        data=lambda w: {"reason": "200 bags arrived torn."},
    ),
    Route(
        "orders:order_review",
        PARTIES_ACT,
        method="post",
        kwargs=_at(Status.COMPLETED),
        data=lambda w: {"rating": "5", "comment": "Good zips."},
    ),
    Route(
        "orders:milestone_paid",
        PARTIES_ACT,
        method="post",
        kwargs=lambda w: w.orders.milestone(Status.CONFIRMED, 0),
        data=lambda w: {"reference": "TT-1"},
    ),
    Route(
        "orders:milestone_received",
        PARTIES_ACT,
        method="post",
        kwargs=lambda w: w.orders.milestone(Status.CONFIRMED, 0),
    ),
    Route("orders:dispute_list", STAFF_ONLY),
    Route(
        "orders:dispute_resolve",
        expect(404, staff=302, anonymous=302),
        method="post",
        kwargs=lambda w: w.orders.dispute(),
        data=lambda w: {"outcome": "resume", "resolution": "The supplier resends 200 bags."},
    ),
]
