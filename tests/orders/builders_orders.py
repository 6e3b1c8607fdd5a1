"""Orders for tests, placed the one way orders are placed (`order_create`) and moved on through
the real services.

`place_order(buyer=..., supplier=...)` gives a PLACED order of 1,000 pieces at USD 2.50 (another
`currency`, `unit`, `quantity` or `unit_price` when asked; 30 % deposit, 70 % before shipment)
between a buyer company and a supplier profile;
`order_in(status, buyer=actor, supplier=actor)` places one and walks it to `status` as the two
sides would (confirm, pay and receive the deposit, produce, pay the balance, ship, deliver...).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from marketplace.models import Company, User
from orders.models import Order, PaymentMilestone
from orders.services.disputes import dispute_open
from orders.services.fulfilment import order_complete, order_deliver, order_ship
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from orders.services.placing import LineData, order_create
from orders.services.transitions import order_cancel, order_confirm, order_start_production
from suppliers.models import SupplierProfile
from tests.factories import CurrencyFactory

Status = Order.Status
Due = PaymentMilestone.Due


def place_order(
    *,
    buyer: Company,
    supplier: SupplierProfile,
    actor: User | None = None,
    quantity: int = 1000,
    unit_price: str = "2.50",
    freight: str = "0",
    required_by: date | None = None,
    currency: str = "USD",
    unit: str = "piece",
    **extra: Any,
) -> Order:
    with transaction.atomic():
        return order_create(
            buyer=buyer,
            supplier=supplier,
            actor=actor,
            origin=Order.Origin.CATALOG,
            lines=[
                LineData(
                    description="Transparent PVC school backpack",
                    quantity=quantity,
                    unit=unit,
                    unit_price=Decimal(unit_price),
                )
            ],
            currency=CurrencyFactory(code=currency),
            freight=Decimal(freight),
            destination_country="LK",
            destination_city="Colombo",
            required_by=required_by or timezone.localdate() + timedelta(days=30),
            **extra,
        )


def _pay(order: Order, due: str, buyer: Any, supplier: Any) -> None:
    for milestone in order.milestones.filter(due=due).order_by("position"):
        milestone_mark_paid(
            order_id=order.pk,
            milestone_id=milestone.pk,
            company=buyer.company,
            actor=buyer.user,
            reference=f"TT-{milestone.pk}",
        )
        milestone_confirm_received(
            order_id=order.pk, milestone_id=milestone.pk, company=supplier.company, actor=supplier.user
        )


def order_in(status: str, *, buyer: Any, supplier: Any, **fields: Any) -> Order:
    """An order between the `buyer` and `supplier` actors, brought to `status` through the services."""
    order = place_order(buyer=buyer.company, supplier=supplier.supplier, actor=buyer.user, **fields)
    b, s = buyer, supplier
    steps = {
        Status.PLACED: [],
        Status.CONFIRMED: ["confirm"],
        Status.DEPOSIT_PAID: ["confirm", "deposit"],
        Status.IN_PRODUCTION: ["confirm", "deposit", "produce"],
        Status.SHIPPED: ["confirm", "deposit", "produce", "balance", "ship"],
        Status.DELIVERED: ["confirm", "deposit", "produce", "balance", "ship", "deliver"],
        Status.COMPLETED: ["confirm", "deposit", "produce", "balance", "ship", "deliver", "complete"],
        Status.CANCELLED: ["cancel"],
        Status.DISPUTED: ["confirm", "deposit", "produce", "balance", "ship", "dispute"],
    }[status]
    for step in steps:
        if step == "confirm":
            order_confirm(order_id=order.pk, company=s.company, actor=s.user)
        elif step == "deposit":
            _pay(order, Due.BEFORE_PRODUCTION, b, s)
        elif step == "produce":
            order_start_production(order_id=order.pk, company=s.company, actor=s.user)
        elif step == "balance":
            _pay(order, Due.BEFORE_SHIPMENT, b, s)
        elif step == "ship":
            order_ship(
                order_id=order.pk,
                company=s.company,
                actor=s.user,
                carrier="COSCO",
                tracking_number="COSU6112345670",
                quantity=fields.get("quantity", 1000),
            )
        elif step == "deliver":
            order_deliver(order_id=order.pk, company=b.company, actor=b.user)
        elif step == "complete":
            order_complete(order_id=order.pk, company=b.company, actor=b.user)
        elif step == "cancel":
            order_cancel(order_id=order.pk, company=b.company, actor=b.user, reason="Found a closer supplier.")
        elif step == "dispute":
            dispute_open(order_id=order.pk, company=b.company, actor=b.user, reason="200 bags arrived torn.")
    order.refresh_from_db()
    assert order.status == status, (order.status, status)
    return order


_PAID_UP_TO = {
    Status.DEPOSIT_PAID: (Due.BEFORE_PRODUCTION,),
    Status.IN_PRODUCTION: (Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT),
    Status.SHIPPED: (Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT),
    Status.DELIVERED: (Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT),
    Status.COMPLETED: (Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT),
    Status.DISPUTED: (Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT),
}


def order_at(status: str, *, buyer: Company, supplier: SupplierProfile, **fields: Any) -> Order:
    """A quick order already in `status` (written directly, for the permission matrix and lists;
    in production (and after) every payment due before shipment is received, so it may ship). A
    disputed order has its open dispute."""
    from orders.models import Dispute

    order = place_order(buyer=buyer, supplier=supplier, **fields)
    now = timezone.now()
    dues = _PAID_UP_TO.get(status, ())
    if dues:
        order.milestones.filter(due__in=dues).update(
            status=PaymentMilestone.Status.RECEIVED, paid_at=now, received_at=now
        )
    extra: dict[str, Any] = {}
    if status in {Status.SHIPPED, Status.DELIVERED, Status.COMPLETED, Status.DISPUTED}:
        extra["shipped_quantity"] = order.lines.get().quantity
    if status in {Status.DELIVERED, Status.COMPLETED}:
        extra["delivered_at"] = now
    if status == Status.COMPLETED:
        extra["completed_at"] = now
    Order.objects.filter(pk=order.pk).update(status=status, **extra)
    if status == Status.DISPUTED:
        Dispute.objects.create(order=order, reason="200 bags arrived torn.", status_before=Status.SHIPPED)
    order.refresh_from_db()
    return order
