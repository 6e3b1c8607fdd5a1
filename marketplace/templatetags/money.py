"""How a unit price is printed: two decimal places at least, four at most, digits grouped
("13.00", "0.035", "12,345.50"), so a price never reads "13" next to "13.19"; and whether a rate's
day is older than EXCHANGE_RATE_MAX_AGE_DAYS (`stale_rate`), so the page says so."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils import timezone

from marketplace.selectors.money import rate_is_stale

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


@register.filter
def stale_rate(rate_day: date | None) -> bool:
    """True when a rate of `rate_day` is older than EXCHANGE_RATE_MAX_AGE_DAYS today."""
    return rate_day is not None and rate_is_stale(rate_day, on=timezone.localdate())


@register.simple_tag
def rate_max_age_days() -> int:
    return int(settings.EXCHANGE_RATE_MAX_AGE_DAYS)
