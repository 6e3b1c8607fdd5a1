"""Reads of orders, always scoped to the acting company: as buyer, as supplier, or either.

Eager loading lives here, so a list makes the same number of queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Company
from orders.models import Dispute, Order, OrderEvent, OrderLine, PaymentMilestone, Shipment
from suppliers.models import SupplierProfile


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    counterparty_id: int | None = None  # the supplier (for a buyer) or the buyer company (for a supplier)
    placed_from: date | None = None
    placed_to: date | None = None


_LIST_PARTS = (
    Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
    Prefetch("milestones", queryset=PaymentMilestone.objects.order_by("position", "id")),
)


def _listed(orders: QuerySet[Order], filters: OrderFilters | None) -> QuerySet[Order]:
    orders = orders.select_related("buyer", "supplier", "supplier__belt", "currency", "rfq").prefetch_related(
        *_LIST_PARTS
    )
    if filters is None:
        return orders
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.placed_from:
        orders = orders.filter(created_at__date__gte=filters.placed_from)
    if filters.placed_to:
        orders = orders.filter(created_at__date__lte=filters.placed_to)
    return orders


def orders_of_buyer(*, company: Company, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """The company's purchases, newest first; `counterparty_id` filters by supplier profile."""
    orders = _listed(Order.objects.filter(buyer=company), filters)
    if filters is not None and filters.counterparty_id:
        orders = orders.filter(supplier_id=filters.counterparty_id)
    return orders


def orders_of_supplier(*, supplier: SupplierProfile, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """The supplier's sales, newest first; `counterparty_id` filters by buyer company."""
    orders = _listed(Order.objects.filter(supplier=supplier), filters)
    if filters is not None and filters.counterparty_id:
        orders = orders.filter(buyer_id=filters.counterparty_id)
    return orders


def orders_of_company(
    *, company: Company, role: str | None = None, filters: OrderFilters | None = None
) -> QuerySet[Order]:
    """Orders where the company is the buyer (`role="buyer"`), the supplier (`"supplier"`), or
    either (no role). `counterparty_id` is a company id here: the other side's company."""
    scope = Q(buyer=company) | Q(supplier__company=company)
    if role == "buyer":
        scope = Q(buyer=company)
    elif role == "supplier":
        scope = Q(supplier__company=company)
    orders = _listed(Order.objects.filter(scope), filters)
    if filters is not None and filters.counterparty_id:
        orders = orders.filter(
            (Q(buyer=company) & Q(supplier__company_id=filters.counterparty_id))
            | (Q(supplier__company=company) & Q(buyer_id=filters.counterparty_id))
        )
    return orders


def order_of_company(*, company: Company, pk: int) -> Order:
    """One order the company is a party to, with everything its page shows; NotFound otherwise."""
    order = (
        Order.objects.filter(Q(buyer=company) | Q(supplier__company=company), pk=pk)
        .select_related(
            "buyer", "supplier", "supplier__belt", "supplier__company", "currency", "rfq", "created_by", "review"
        )
        .prefetch_related(
            *_LIST_PARTS,
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id")),
            Prefetch("shipments", queryset=Shipment.objects.order_by("shipped_at", "id")),
            Prefetch("disputes", queryset=Dispute.objects.select_related("opened_by", "resolved_by")),
        )
        .first()
    )
    if order is None:
        raise NotFound(_("No such order."))
    return order


def suppliers_ordered_from(*, company: Company) -> list[tuple[int, str]]:
    """(supplier id, name) of every supplier the company has ordered from, for a filter."""
    return list(
        SupplierProfile.objects.filter(orders__buyer=company).distinct().order_by("name").values_list("id", "name")
    )


def buyers_ordering_from(*, supplier: SupplierProfile) -> list[tuple[int, str]]:
    """(company id, name) of every buyer that has ordered from the supplier, for a filter."""
    return list(Company.objects.filter(orders__supplier=supplier).distinct().order_by("name").values_list("id", "name"))


def disputes_open() -> QuerySet[Dispute]:
    """Open disputes, oldest first, for SourceBelt staff (who see every order)."""
    return (
        Dispute.objects.filter(status=Dispute.Status.OPEN)
        .select_related("order", "order__buyer", "order__supplier", "order__currency", "opened_by")
        .order_by("opened_at", "id")
    )
