"""How numbers are printed: quantities, unit prices and amounts, digits grouped by the reader's locale;
and whether a rate is too old to trust without saying so.

    {% load money %}
    {{ rfq.quantity|quantity }}                     20,000
    {{ quote.unit_price|unit_price }}               13.00, 0.035, 12,345.50
    {{ order.total|money:order.currency_id }}       CNY 151,200.00 (JPY 151,200)
    {% if rate.valid_on|stale_rate %}...{% endif %}  a rate older than EXCHANGE_RATE_MAX_AGE_DAYS

The separators come from the active language's format module (`sourcebelt/formats/`), grouping is
forced here, so `USE_THOUSAND_SEPARATOR` stays off and numbers in addresses and form values stay
bare. A unit price shows two decimal places at least and four at most, so a price never reads "13"
next to "13.19"; an amount shows its currency's decimal places (2 for most, 0 for JPY, KRW and VND),
rounded half-up as `marketplace/pricing.py` rounds money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format

from marketplace.currencies import CURRENCIES
from marketplace.models import Currency
from marketplace.pricing import money_round
from marketplace.selectors.money import rate_is_stale

register = template.Library()

_PLACES = {code: places for code, _name, _symbol, places in CURRENCIES}


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def grouped(number: Decimal, places: int) -> str:
    """`number` rounded half-up to `places` decimals, in the active locale with its digits grouped."""
    return number_format(money_round(number, places), decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def quantity(value: object) -> str:
    """20000 → "20,000"; a fractional quantity keeps its decimals (2.5 → "2.5"); None → ""."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return grouped(number, places)


@register.filter
def unit_price(value: object) -> str:
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    places = max(2, min(4, -number.normalize().as_tuple().exponent))  # type: ignore[operator]
    return grouped(number, places)


def currency_places(currency: object) -> int:
    """A currency's decimal places, from the row when given one, else from the default list (2)."""
    if isinstance(currency, Currency):
        return currency.decimal_places
    return _PLACES.get(str(currency or "").upper(), 2)


@register.filter
def amount(value: object, currency: object = "") -> str:
    """151200, "CNY" → "151,200.00" (for a sentence that names the currency itself)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return grouped(number, currency_places(currency))


@register.filter
def money(value: object, currency: object = "") -> str:
    """151200, "CNY" → "CNY 151,200.00"; without a currency, the grouped amount alone."""
    shown = amount(value, currency)
    code = str(currency or "")
    return f"{code} {shown}" if code and shown else shown


@register.filter
def stale_rate(rate_day: date | None) -> bool:
    """True when a rate of `rate_day` is older than EXCHANGE_RATE_MAX_AGE_DAYS today."""
    return rate_day is not None and rate_is_stale(rate_day, on=timezone.localdate())


@register.simple_tag
def rate_max_age_days() -> int:
    return int(settings.EXCHANGE_RATE_MAX_AGE_DAYS)
