"""Ordering straight from the catalog ("order now"): a published product, a quantity of at
least its MOQ, the unit price from its tiers (suppliers.pricing, the one rule), a destination and
the buyer's notes. The order is placed through `placing.order_create` like an awarded one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from marketplace.errors import InvalidInput, NotFound
from marketplace.formatting import quantity_text, quantity_with_unit
from marketplace.models import Company, User
from orders.models import Order, OrderEvent
from orders.services.placing import LineData, order_create
from suppliers.models import Product
from suppliers.pricing import product_unit_price_at

MAX_QUANTITY = 100_000_000
MAX_NOTES_LENGTH = 500
MAX_CITY_LENGTH = 120


@dataclass(frozen=True)
class CatalogOrderData:
    product_id: int
    quantity: int
    destination_country: str
    destination_city: str = ""
    required_by: date | None = None
    notes: str = ""


def _checked(data: CatalogOrderData, product: Product) -> None:
    if data.quantity is None or data.quantity < 1 or data.quantity > MAX_QUANTITY:
        raise InvalidInput(
            _("Enter a quantity of at least %(moq)s.") % {"moq": quantity_text(product.moq)}, field="quantity"
        )
    if data.quantity < product.moq:
        raise InvalidInput(
            _("The minimum order is %(moq)s; you asked for %(quantity)s.")
            % {"moq": quantity_with_unit(product.moq, product.unit), "quantity": quantity_text(data.quantity)},
            field="quantity",
        )
    if data.destination_country not in dict(countries):
        raise InvalidInput(_("Choose the country the goods go to."), field="destination_country")
    if len(data.destination_city) > MAX_CITY_LENGTH:
        raise InvalidInput(
            _("Use at most %(limit)s characters.") % {"limit": MAX_CITY_LENGTH}, field="destination_city"
        )
    if data.required_by is not None and data.required_by < timezone.localdate():
        raise InvalidInput(_("The delivery date cannot be in the past."), field="required_by")
    if len(data.notes) > MAX_NOTES_LENGTH:
        raise InvalidInput(_("Say it in at most %(limit)s characters.") % {"limit": MAX_NOTES_LENGTH}, field="notes")


def order_from_catalog(*, buyer: Company, actor: User, data: CatalogOrderData) -> Order:
    """Place an order for one published product at the price of its tier for the quantity.

    NotFound for a product that is not public; InvalidInput below the MOQ, for a product without
    a price at the quantity, for the buyer's own product, or for a bad destination or date. The
    buyer's notes are kept as the reason of the order's first event (the supplier reads them in
    the history)."""
    with transaction.atomic():
        product = (
            Product.objects.published()
            .filter(pk=data.product_id)
            .select_related("supplier", "currency")
            .prefetch_related("tiers")
            .first()
        )
        if product is None:
            raise NotFound(_("This product is not offered any more."))
        if product.supplier.company_id == buyer.pk:
            raise InvalidInput(_("This is your own company's product: you cannot order it from yourself."))
        _checked(data, product)
        unit_price = product_unit_price_at(product, data.quantity)
        if unit_price is None:
            raise InvalidInput(_("This product has no price for that quantity: request a quote."), field="quantity")
        order = order_create(
            buyer=buyer,
            supplier=product.supplier,
            actor=actor,
            origin=Order.Origin.CATALOG,
            lines=[
                LineData(
                    description=f"{product.sku} · {product.title}",
                    quantity=data.quantity,
                    unit=product.unit,
                    unit_price=unit_price,
                    product=product,
                )
            ],
            currency=product.currency,
            destination_country=data.destination_country,
            destination_city=data.destination_city.strip(),
            required_by=data.required_by,
        )
        notes = data.notes.strip()
        if notes:
            OrderEvent.objects.filter(order=order, to_status=Order.Status.PLACED).update(reason=notes)
    return order
