"""Getting the goods to the buyer: shipping (with carrier, tracking number and quantity),
delivery and completion. The transitions themselves are checked by `transitions.RULES`."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput
from marketplace.models import Company, User
from orders.models import Order, OrderEvent, PaymentMilestone, Shipment
from orders.services.reviews import supplier_order_figures_refresh
from orders.services.transitions import Action, advance_when_paid, apply, check, locked_order, other_side, tell

Due = PaymentMilestone.Due
MAX_FIELD_LENGTH = 120


def _text(value: str | None, *, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(missing, field=field)
    if len(value) > MAX_FIELD_LENGTH:
        raise InvalidInput(_("Use at most %(limit)s characters.") % {"limit": MAX_FIELD_LENGTH}, field=field)
    return value


def ordered_quantity(order: Order) -> int:
    return order.lines.aggregate(total=Sum("quantity"))["total"] or 0


def order_ship(
    *, order_id: int, company: Company, actor: User, carrier: str, tracking_number: str, quantity: int
) -> Shipment:
    """The supplier ships the order: the carrier, its tracking number and the quantity shipped.

    Preconditions: the order is in production and every milestone due before shipment (and
    before production) is received (Conflict otherwise); the quantity is between 1 and the
    quantity ordered (InvalidInput)."""
    carrier = _text(carrier, field="carrier", missing=_("Name the carrier."))
    tracking_number = _text(tracking_number, field="tracking_number", missing=_("Give the tracking number."))
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        check(order, Action.SHIP, side)
        ordered = ordered_quantity(order)
        if quantity is None or quantity < 1 or quantity > ordered:
            raise InvalidInput(
                _("Ship between 1 and the %(ordered)s ordered.") % {"ordered": ordered}, field="quantity"
            )
        unpaid = order.milestones.filter(due__in=[Due.BEFORE_PRODUCTION, Due.BEFORE_SHIPMENT]).exclude(
            status=PaymentMilestone.Status.RECEIVED
        )
        if unpaid.exists():
            raise Conflict(
                _("Order %(number)s cannot ship yet: the payment due before shipment is not received.")
                % {"number": order.number}
            )
        shipment = Shipment.objects.create(
            order=order, carrier=carrier, tracking_number=tracking_number, quantity=quantity, created_by=actor
        )
        event = apply(
            order,
            Action.SHIP,
            side=side,
            actor=actor,
            step=OrderEvent.Step.SHIPPED,
            facts={"carrier": carrier, "tracking_number": tracking_number, "quantity": quantity},
        )
        order.shipped_quantity = quantity
        order.save(update_fields=["shipped_quantity", "updated_at"])
        tell(
            order,
            sides=other_side(side),
            kind="order_shipped",
            event=event,
            context={"carrier": carrier, "tracking_number": tracking_number, "quantity": quantity},
        )
    return shipment


def order_deliver(*, order_id: int, company: Company, actor: User) -> Order:
    """The buyer says the goods arrived (the date counts for the supplier's on-time rate).
    When the payments due after delivery are already received, the order completes too."""
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        event = apply(order, Action.DELIVER, side=side, actor=actor)
        tell(order, sides=other_side(side), kind="order_delivered", event=event)
        advance_when_paid(order, actor=actor)
        supplier_order_figures_refresh(supplier=order.supplier)
    return order


def order_complete(*, order_id: int, company: Company, actor: User) -> Order:
    """The buyer closes a delivered order; it may then review the supplier."""
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        event = apply(order, Action.COMPLETE, side=side, actor=actor)
        tell(order, sides=other_side(side), kind="order_completed", event=event)
    return order
