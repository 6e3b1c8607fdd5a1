"""The buyer's sourcing view of one RFQ: every order it produced and how far each has come."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from buyers.models import SourcingRequest
from marketplace.errors import NotFound
from marketplace.models import Company
from orders.models import Order

# How far along an order is, as a share of the way from placed to completed.
STEPS = [
    Order.Status.PLACED,
    Order.Status.CONFIRMED,
    Order.Status.DEPOSIT_PAID,
    Order.Status.IN_PRODUCTION,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
]


@dataclass(frozen=True)
class OrderProgress:
    order: Order
    quantity: int
    percent: int


@dataclass(frozen=True)
class Sourcing:
    rfq: SourcingRequest
    orders: list[OrderProgress]
    ordered: int
    shipped: int
    delivered: int

    def share(self, amount: int) -> int:
        return min(100, round(100 * amount / self.rfq.quantity)) if self.rfq.quantity else 0

    @property
    def ordered_percent(self) -> int:
        return self.share(self.ordered)

    @property
    def shipped_percent(self) -> int:
        return self.share(self.shipped)

    @property
    def delivered_percent(self) -> int:
        return self.share(self.delivered)


def sourcing_of_rfq(*, company: Company, rfq_id: int) -> Sourcing:
    """NotFound when the RFQ is not the company's own. Four queries whatever the number of orders."""
    rfq = SourcingRequest.objects.filter(pk=rfq_id, buyer=company).select_related("category").first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    orders = list(
        Order.objects.filter(rfq=rfq, buyer=company)
        .select_related("supplier", "supplier__belt", "currency")
        .prefetch_related("lines")
        .order_by("pk")
    )
    rows = []
    ordered = shipped = delivered = 0
    for order in orders:
        quantity = sum(line.quantity for line in order.lines.all())
        if order.status == Order.Status.CANCELLED:
            percent = 0
        elif order.status == Order.Status.DISPUTED:
            percent = round(100 * STEPS.index(Order.Status.SHIPPED) / (len(STEPS) - 1))
        else:
            percent = round(100 * STEPS.index(Order.Status(order.status)) / (len(STEPS) - 1))
        rows.append(OrderProgress(order=order, quantity=quantity, percent=percent))
        if order.status != Order.Status.CANCELLED:
            ordered += quantity
            shipped += (
                min(order.shipped_quantity, quantity)
                if order.shipped_quantity
                else (quantity if order.status in {Order.Status.DELIVERED, Order.Status.COMPLETED} else 0)
            )
            if order.status in {Order.Status.DELIVERED, Order.Status.COMPLETED}:
                delivered += quantity
    return Sourcing(rfq=rfq, orders=rows, ordered=ordered, shipped=shipped, delivered=delivered)
