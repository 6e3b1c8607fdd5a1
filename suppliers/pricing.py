"""A product's unit price at a quantity, by the one pricing rule (marketplace.pricing).

A product's tiers say "from `min_quantity` units on, each costs `unit_price`". The price at a
quantity is the price of the tier with the largest `min_quantity` not above it; below the first
tier (under the MOQ) there is no price. Pages, the API, search filters and orders all use this
module: `unit_price_at` for products in memory, `unit_price_at_expression` inside queries (the
same rule written in SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery

from marketplace.pricing import price_at
from suppliers.models import PriceTier, Product


def unit_price_at(tiers: Iterable[PriceTier], quantity: int) -> Decimal | None:
    """The unit price at `quantity` from a product's tiers (in any order); None below the first tier."""
    return price_at(((tier.min_quantity, tier.unit_price) for tier in tiers), quantity)


def product_unit_price_at(product: Product, quantity: int) -> Decimal | None:
    """Uses prefetched tiers when the product has them (prefetch_related("tiers"))."""
    return unit_price_at(product.tiers.all(), quantity)


def unit_price_at_expression(quantity: int) -> Subquery:
    """A query expression for the unit price at `quantity` of the product in the outer query."""
    return Subquery(
        PriceTier.objects.filter(product=OuterRef("pk"), min_quantity__lte=quantity)
        .order_by("-min_quantity")
        .values("unit_price")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=4),
    )
