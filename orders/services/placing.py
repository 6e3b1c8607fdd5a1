"""Placing an order: the one function that creates orders, whether from an award or from the catalog.

Callers hold the transaction (`order_create` must run inside `transaction.atomic`): the award
creates all its orders in one transaction, and a catalog order is its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from buyers.models import AwardLine, Quote, SourcingRequest
from marketplace.models import Company, Currency, Membership, User
from marketplace.services.notifications import notify
from orders.models import Order, OrderEvent, OrderLine, PaymentMilestone
from suppliers.models import Product, SupplierProfile

Due = PaymentMilestone.Due


@dataclass(frozen=True)
class LineData:
    description: str
    quantity: int
    unit: str
    unit_price: Decimal
    product: Product | None = None


@dataclass(frozen=True)
class MilestoneTerm:
    """One part of the payment terms: "30 % before production". `label` is stored untranslated
    (gettext_noop) and shown translated."""

    label: str
    percent: int
    due: str


# The payment terms most sourcing orders use: 30 % deposit, 70 % balance before shipment.
DEFAULT_PAYMENT_TERMS: tuple[MilestoneTerm, ...] = (
    MilestoneTerm(gettext_noop("Deposit"), 30, Due.BEFORE_PRODUCTION),
    MilestoneTerm(gettext_noop("Balance before shipment"), 70, Due.BEFORE_SHIPMENT),
)


def _money(amount: Decimal, currency: Currency) -> Decimal:
    return Decimal(amount).quantize(Decimal(1).scaleb(-currency.decimal_places), rounding=ROUND_HALF_UP)


def order_create(
    *,
    buyer: Company,
    supplier: SupplierProfile,
    actor: User | None,
    origin: str,
    lines: Sequence[LineData],
    currency: Currency,
    freight: Decimal = Decimal("0"),
    incoterm: str = "FOB",
    destination_country: str = "",
    destination_city: str = "",
    required_by: date | None = None,
    rfq: SourcingRequest | None = None,
    quote: Quote | None = None,
    award_line: AwardLine | None = None,
    payment_terms: Sequence[MilestoneTerm] = DEFAULT_PAYMENT_TERMS,
) -> Order:
    """Create a PLACED order with its lines, payment milestones and first event, and tell the
    supplier's members. Must be called inside a transaction. Milestone amounts add up to the
    order total exactly (the last one takes the rounding)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order_create() must run inside a transaction.")
    if sum(term.percent for term in payment_terms) != 100:
        raise ValueError("Payment terms must add up to 100 %.")
    goods_total = _money(sum((line.unit_price * line.quantity for line in lines), Decimal("0")), currency)
    order = Order.objects.create(
        buyer=buyer,
        supplier=supplier,
        created_by=actor,
        origin=origin,
        rfq=rfq,
        quote=quote,
        award_line=award_line,
        currency=currency,
        goods_total=goods_total,
        freight=_money(freight, currency),
        incoterm=incoterm,
        destination_country=destination_country,
        destination_city=destination_city,
        required_by=required_by,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=line.product,
            description=line.description[:300],
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
        )
        for line in lines
    )
    total = order.total
    milestones = []
    allotted = Decimal("0")
    for position, term in enumerate(payment_terms):
        last = position == len(payment_terms) - 1
        amount = total - allotted if last else _money(total * term.percent / 100, currency)
        allotted += amount
        milestones.append(
            PaymentMilestone(
                order=order, position=position, label=term.label, percent=term.percent, amount=amount, due=term.due
            )
        )
    PaymentMilestone.objects.bulk_create(milestones)
    OrderEvent.objects.create(order=order, actor=actor, from_status="", to_status=Order.Status.PLACED)
    recipients = [m.user for m in Membership.objects.filter(company_id=supplier.company_id).select_related("user")]
    notify(
        recipients=recipients,
        kind="order_placed",
        event_key=f"order:{order.pk}:placed",
        context={
            "number": order.number,
            "buyer_country": str(buyer.country),
            "total": str(total),
            "currency": currency.code,
        },
        url=reverse("orders:order_detail", kwargs={"pk": order.pk}),
    )
    return order
