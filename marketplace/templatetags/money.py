"""How numbers are printed in templates: quantities (with their unit), unit prices, amounts and
dates, in the reader's language; and whether a rate is too old to trust without saying so.

    {% load money %}
    {{ rfq.quantity|quantity }}                     20,000
    {{ rfq.quantity|quantity_with_unit:rfq.unit }}  20,000 pieces (20,000 件)
    {{ quote.unit_price|unit_price }}               13.00, 0.035, 12,345.50
    {{ quote.unit_price|unit_price:"JPY" }}         130 (at least the currency's places, at most 4)
    {{ order.total|amount:order.currency_id }}      151,200.00 (JPY: 151,200)
    {{ order.total|money:order.currency_id }}       CNY 151,200.00 (JPY 151,200)
    {{ rfq.required_by|day }}                       2026-12-06 (2026年12月6日)
    {{ event.created_at|moment }}                   2026-12-06 03:29 (2026年12月6日 03:29)
    {% if rate.valid_on|stale_rate %}...{% endif %}  a rate older than EXCHANGE_RATE_MAX_AGE_DAYS

They are `marketplace.formatting`'s functions, which views, e-mails and the printable order use
too: one format per language (docs/languages.md). An amount shows its currency's ISO 4217 decimal
places (2 for most, 0 for JPY, KRW and VND), rounded half-up as `marketplace/pricing.py` rounds money.
"""

from __future__ import annotations

from datetime import date

from django import template
from django.conf import settings
from django.utils import timezone

from marketplace import formatting
from marketplace.selectors.money import rate_is_stale

register = template.Library()


@register.filter
def quantity(value: object) -> str:
    """20000 → "20,000"; a fractional quantity keeps its decimals (2.5 → "2.5"); None → ""."""
    return formatting.quantity_text(value)


@register.filter
def quantity_with_unit(value: object, unit: object) -> str:
    """20000, "piece" → "20,000 pieces" in English, "20,000 件" in Chinese; 1 → "1 piece"."""
    return formatting.quantity_with_unit(value, unit)


@register.filter
def unit_price(value: object, currency: object = "") -> str:
    return formatting.unit_price_text(value, currency)


@register.filter
def amount(value: object, currency: object = "") -> str:
    """151200, "CNY" → "151,200.00" (for a sentence that names the currency itself)."""
    return formatting.amount_text(value, currency)


@register.filter
def money(value: object, currency: object = "") -> str:
    """151200, "CNY" → "CNY 151,200.00"; without a currency, the grouped amount alone."""
    return formatting.money_text(value, currency)


@register.filter
def day(value: object) -> str:
    """A date (or an ISO date string, as notifications store facts) in the language's one format."""
    return formatting.date_text(value)


@register.filter
def moment(value: object) -> str:
    """A date-time (or an ISO string) in TIME_ZONE, in the language's one format."""
    return formatting.moment_text(value)


@register.filter
def stale_rate(rate_day: date | None) -> bool:
    """True when a rate of `rate_day` is older than EXCHANGE_RATE_MAX_AGE_DAYS today."""
    return rate_day is not None and rate_is_stale(rate_day, on=timezone.localdate())


@register.simple_tag
def rate_max_age_days() -> int:
    return int(settings.EXCHANGE_RATE_MAX_AGE_DAYS)
