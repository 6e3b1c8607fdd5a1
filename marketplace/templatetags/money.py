"""How a unit price is printed: two decimal places at least, four at most, digits grouped
("13.00", "0.035", "12,345.50"), so a price never reads "13" next to "13.19"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def unit_price(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    if not amount.is_finite():
        return str(value)
    places = max(2, min(4, -amount.normalize().as_tuple().exponent))  # type: ignore[operator]
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # as money is rounded
    return f"{rounded:,.{places}f}"
