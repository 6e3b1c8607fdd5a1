"""The one pricing rule: what a quantity costs under quantity-break tiers, and what it lands at.

Tiers are all-units discounts: "from `min_quantity` units on, every unit costs `unit_price`".
The price of a quantity is the price of the tier with the largest minimum not above it; below the
smallest minimum (or below a stated minimum order) there is no price and the quantity is refused.
The catalog (suppliers.pricing), quotes, the comparison, the optimiser, the award and the orders
all price through this module, in exact `Decimal` arithmetic; amounts are rounded half-up to the
currency's decimal places only where money is shown or stored (`money_round`). The rule is
written out in docs/pricing.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

Tier = tuple[int, Decimal]
ZERO = Decimal("0")


class BelowMinimum(ValueError):
    """A quantity below the smallest tier or the stated minimum order: it has no price."""

    def __init__(self, minimum: int) -> None:
        super().__init__(f"below the minimum of {minimum}")
        self.minimum = minimum


class AboveMaximum(ValueError):
    """A quantity above what was offered."""

    def __init__(self, maximum: int) -> None:
        super().__init__(f"above the maximum of {maximum}")
        self.maximum = maximum


def money_round(amount: Decimal, places: int) -> Decimal:
    """Round an amount half-up to `places` decimal places (2 for most currencies, 0 for JPY/KRW)."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def convert_round(amount: Decimal, rate: Decimal, places: int) -> Decimal:
    """`amount` times an exchange `rate` (exact, 38 digits), rounded half-up to `places`."""
    with localcontext() as ctx:
        ctx.prec = 38
        converted = Decimal(amount) * rate
    return money_round(converted, places)


def price_at(tiers: Iterable[Tier], quantity: int) -> Decimal | None:
    """The unit price at `quantity` from tiers in any order; None below the smallest minimum."""
    best: Tier | None = None
    for min_quantity, price in tiers:
        if min_quantity <= quantity and (best is None or min_quantity > best[0]):
            best = (min_quantity, price)
    return best[1] if best is not None else None


@dataclass(frozen=True)
class PricedLine:
    """`quantity` units under one set of price terms, in the terms' currency, rounded as stored."""

    quantity: int
    unit_price: Decimal
    goods: Decimal
    freight: Decimal

    @property
    def landed(self) -> Decimal:
        return self.goods + self.freight


@dataclass(frozen=True)
class PriceTerms:
    """What an offer (a quote's version, or a product) charges for a quantity.

    `tiers` ascending by minimum; `minimum` the smallest quantity it accepts (at least the first
    tier's minimum); `maximum` the most it offers (None: no limit). Freight is either a fixed
    amount per shipment (`freight_per_unit` False: the same whatever the quantity) or an amount
    per unit.
    """

    tiers: tuple[Tier, ...]
    minimum: int
    maximum: int | None = None
    freight: Decimal = ZERO
    freight_per_unit: bool = False

    @classmethod
    def of(
        cls,
        tiers: Sequence[Tier],
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        freight: Decimal | None = None,
        freight_per_unit: bool = False,
    ) -> PriceTerms:
        ordered = tuple(sorted((int(q), Decimal(p)) for q, p in tiers))
        if not ordered:
            raise ValueError("price terms need at least one tier")
        floor = ordered[0][0]
        return cls(
            tiers=ordered,
            minimum=max(floor, minimum or 0),
            maximum=maximum,
            freight=freight or ZERO,
            freight_per_unit=freight_per_unit,
        )

    def unit_price(self, quantity: int) -> Decimal:
        """The unit price at `quantity`; raises BelowMinimum / AboveMaximum outside the offer."""
        if quantity < self.minimum:
            raise BelowMinimum(self.minimum)
        if self.maximum is not None and quantity > self.maximum:
            raise AboveMaximum(self.maximum)
        price = price_at(self.tiers, quantity)
        assert price is not None  # the minimum is at least the first tier's
        return price

    def freight_for(self, quantity: int) -> Decimal:
        """Exact freight for `quantity` units (fixed per shipment, or per unit)."""
        return self.freight * quantity if self.freight_per_unit else self.freight

    def line(self, quantity: int, *, places: int) -> PricedLine:
        """`quantity` units priced and rounded to `places` as an order stores them."""
        unit_price = self.unit_price(quantity)
        return PricedLine(
            quantity=quantity,
            unit_price=unit_price,
            goods=money_round(unit_price * quantity, places),
            freight=money_round(self.freight_for(quantity), places),
        )
