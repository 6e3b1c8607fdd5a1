"""Money conversion with the staff-maintained, dated exchange rates.

Pages that compare prices in the viewer's currency show which rate they used, so a conversion
carries the rate and the day it was valid on, not only the converted amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.errors import NotFound
from marketplace.models import Currency, ExchangeRate
from marketplace.pricing import convert_round

# Rates are stored with 8 decimal places; derived (inverse, cross) rates are reported the same way.
RATE_PLACES = Decimal("0.00000001")
ONE = Decimal(1)
# The exchange-rate feed's base currency (marketplace/services/exchange_rates.py).
FEED_BASE = "EUR"


@dataclass(frozen=True)
class Rate:
    """One unit of `base` is worth `rate` units of `quote`, according to the rate(s) valid on `valid_on`.

    `derivation` says how it was found: "same" (one currency), "direct", "inverse" (of the
    quote→base rate) or "cross" (through the pivot currency). For a cross rate `valid_on` is the
    older of the two legs' dates: the conversion is no fresher than its stalest input.
    """

    base: str
    quote: str
    rate: Decimal
    valid_on: date
    derivation: str = "direct"

    @property
    def display_rate(self) -> Decimal:
        """The rate as pages print it: at most 8 decimal places, no trailing zeros."""
        return self.rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP).normalize()

    def apply(self, amount: Decimal, *, places: int) -> Decimal:
        """Convert `amount` and round it half-up to the target currency's `places` decimal places."""
        return convert_round(amount, self.rate, places)


@dataclass(frozen=True)
class Conversion:
    """An amount converted into another currency, with the rate used: "at {rate} on {rate_date}".

    `rate` is the rate as printed (at most 8 decimal places); the amount was computed with the
    exact rate and rounded to the target currency's decimal places.
    """

    amount: Decimal
    currency: str
    rate: Decimal
    rate_date: date
    source_amount: Decimal
    source_currency: str
    derivation: str = "direct"


def _latest(*, base: str, quote: str, on: date) -> ExchangeRate | None:
    return (
        ExchangeRate.objects.filter(base_id=base, quote_id=quote, valid_on__lte=on)
        .order_by("-valid_on")
        .only("rate", "valid_on")
        .first()
    )


def _stored_rate(*, base: str, quote: str, on: date) -> Rate | None:
    """The fresher of the direct rate and the inverted reverse one (the direct one on a tie).

    A stale direct rate must not shadow the reverse rate staff keep up to date every day.
    None when neither exists on or before `on`.
    """
    direct = _latest(base=base, quote=quote, on=on)
    reverse = _latest(base=quote, quote=base, on=on)
    if direct is not None and (reverse is None or direct.valid_on >= reverse.valid_on):
        return Rate(base=base, quote=quote, rate=direct.rate, valid_on=direct.valid_on, derivation="direct")
    if reverse is not None:
        with localcontext() as ctx:
            ctx.prec = 38
            inverse = ONE / reverse.rate
        return Rate(base=base, quote=quote, rate=inverse, valid_on=reverse.valid_on, derivation="inverse")
    return None


def _cross_rate(*, base: str, quote: str, pivot: str, on: date) -> Rate | None:
    first = _stored_rate(base=base, quote=pivot, on=on)
    second = _stored_rate(base=pivot, quote=quote, on=on) if first is not None else None
    if first is None or second is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 38
        cross = first.rate * second.rate
    return Rate(base=base, quote=quote, rate=cross, valid_on=min(first.valid_on, second.valid_on), derivation="cross")


def rate_pivots() -> list[str]:
    """The currencies a cross rate may go through: the default currency (staff keep rates against
    it) and the feed's base, EUR (the ECB publishes one euro in each currency)."""
    return list(dict.fromkeys([settings.DEFAULT_CURRENCY, FEED_BASE]))


def exchange_rate_on(*, base: str, quote: str, on: date) -> Rate:
    """The rate from `base` to `quote` valid on `on`: the latest one on or before that day.

    Takes the stored base→quote rate, or the inverse of a stored quote→base rate when that one is
    fresher or the only one; failing both, a cross rate through one base currency (staff usually
    keep rates against USD only and the ECB's feed against EUR, yet a buyer in TRY compares quotes
    in CNY): of the pivots that connect the two, the one whose older leg is the freshest. Its date
    is the older leg's. The same currency converts at 1. Raises NotFound when no rate exists on or
    before `on`.
    """
    base, quote = base.upper(), quote.upper()
    if base == quote:
        return Rate(base=base, quote=quote, rate=ONE, valid_on=on, derivation="same")
    found = _stored_rate(base=base, quote=quote, on=on)
    if found is not None:
        return found
    crosses = [
        cross
        for pivot in rate_pivots()
        if pivot not in {base, quote} and (cross := _cross_rate(base=base, quote=quote, pivot=pivot, on=on)) is not None
    ]
    if crosses:
        return max(crosses, key=lambda cross: cross.valid_on)
    raise NotFound(f"There is no exchange rate from {base} to {quote} on or before {on.isoformat()}.")


def convert(*, amount: Decimal, source: str, target: str, on: date) -> Conversion:
    """Convert `amount` of `source` into `target` with the rate valid on `on`.

    The result is rounded half-up to the target currency's decimal places (0 for JPY). Raises
    NotFound for an unknown currency or when no rate exists.
    """
    source, target = source.upper(), target.upper()
    places = dict(Currency.objects.filter(code__in={source, target}).values_list("code", "decimal_places"))
    for code in (source, target):
        if code not in places:
            raise NotFound(f"Unknown currency “{code}”.")
    rate = exchange_rate_on(base=source, quote=target, on=on)
    return Conversion(
        amount=rate.apply(amount, places=places[target]),
        currency=target,
        rate=rate.display_rate,
        rate_date=rate.valid_on,
        source_amount=Decimal(amount),
        source_currency=source,
        derivation=rate.derivation,
    )


def oldest_fresh_day(*, on: date) -> date:
    """The oldest day whose rates still count as fresh on `on` (EXCHANGE_RATE_MAX_AGE_DAYS before it)."""
    return on - timedelta(days=settings.EXCHANGE_RATE_MAX_AGE_DAYS)


def rate_is_stale(rate_day: date, *, on: date) -> bool:
    """True for a rate older than EXCHANGE_RATE_MAX_AGE_DAYS: it still converts, and pages say so."""
    return rate_day < oldest_fresh_day(on=on)


# A converted unit price keeps four decimal places, as unit prices do (0.035 USD is 0.2487 CNY).
UNIT_PRICE_PLACES = 4


def unit_price_in(*, amount: Decimal | None, source: str, target: str | None, on: date) -> Conversion | None:
    """A unit price converted for a reader whose currency is `target`, with the rate and its day:
    "≈ CNY 13.1063 (1 TRY = 0.13796 CNY, rate of 2026-10-30)". None when there is nothing to
    convert (no price, no reader's currency, the same currency) or no rate: the page then says the
    price is shown in its own currency only."""
    if amount is None or not target or source.upper() == target.upper():
        return None
    try:
        rate = exchange_rate_on(base=source, quote=target, on=on)
    except NotFound:
        return None
    return Conversion(
        amount=rate.apply(amount, places=UNIT_PRICE_PLACES),
        currency=rate.quote,
        rate=rate.display_rate,
        rate_date=rate.valid_on,
        source_amount=Decimal(amount),
        source_currency=rate.base,
        derivation=rate.derivation,
    )


def offered_currencies(*, on: date | None = None) -> QuerySet[Currency]:
    """The active currencies that convert on `on` (today by default): the default currency and every
    currency on either side of a rate younger than EXCHANGE_RATE_MAX_AGE_DAYS. Forms, the API's
    choices and its currency list offer only these."""
    on = on or timezone.localdate()
    fresh = ExchangeRate.objects.filter(valid_on__lte=on, valid_on__gte=oldest_fresh_day(on=on))
    return (
        Currency.objects.filter(is_active=True)
        .filter(
            Q(code=settings.DEFAULT_CURRENCY) | Q(code__in=fresh.values("base")) | Q(code__in=fresh.values("quote"))
        )
        .order_by("code")
    )


def offered_currency_codes(*, on: date | None = None) -> set[str]:
    """The codes of `offered_currencies`, for the input rules' `codes`."""
    return set(offered_currencies(on=on).values_list("code", flat=True))


def currency_refusal(code: str, *, on: date | None = None) -> str:
    """Why `code` may not be chosen (it is not among `offered_currencies`), in words for the person:
    an unknown code, or a currency with no exchange rate younger than EXCHANGE_RATE_MAX_AGE_DAYS."""
    on = on or timezone.localdate()
    code = (code or "").strip().upper()[:10]
    if not code:
        return _("Choose a currency.")
    # Only three letters can name a currency: anything else (a NUL byte, ², 全角) is unknown, unasked.
    if (
        not (len(code) == 3 and code.isascii() and code.isalpha())
        or not Currency.objects.filter(code=code, is_active=True).exists()
    ):
        return _("Unknown currency “%(code)s”; use an active ISO 4217 code such as USD.") % {"code": code}
    return ngettext(
        "%(code)s is not offered now: it has no exchange rate from the last %(days)s day. Choose another currency.",
        "%(code)s is not offered now: it has no exchange rate from the last %(days)s days. Choose another currency.",
        settings.EXCHANGE_RATE_MAX_AGE_DAYS,
    ) % {"code": code, "days": settings.EXCHANGE_RATE_MAX_AGE_DAYS}


def currency_kept_note(code: str, *, on: date | None = None) -> str:
    """What a form says beside a currency that something is already in (a user's display currency,
    an RFQ, a quote) when it is no longer offered: since when it has no current rate, what the
    pages do meanwhile, and that it stays unless the person chooses another. One text for them all."""
    on = on or timezone.localdate()
    code = code.upper()
    day = last_rate_days([code], on=on).get(code)
    if day is None:
        return _(
            "There is no exchange rate for %(code)s yet: amounts are shown in their own currencies until one "
            "arrives. %(code)s stays chosen unless you choose another currency."
        ) % {"code": code}
    return _(
        "No current exchange rate for %(code)s since %(date)s: amounts are converted at that day's rate, "
        "marked as old, until a new one arrives. %(code)s stays chosen unless you choose another currency."
    ) % {"code": code, "date": date_format(day, "SHORT_DATE_FORMAT")}


def last_rate_days(codes: list[str], *, on: date) -> dict[str, date | None]:
    """The day of the latest rate (on or before `on`) naming each currency, None when there never was one:
    "No exchange rate for EGP since 2026-10-02"."""
    rows = ExchangeRate.objects.filter(Q(base_id__in=codes) | Q(quote_id__in=codes), valid_on__lte=on)
    latest: dict[str, date | None] = dict.fromkeys(codes)
    for side in ("base", "quote"):
        for code, day in rows.values_list(side).annotate(day=Max("valid_on")).values_list(side, "day"):
            if code in latest and (latest[code] is None or day > latest[code]):
                latest[code] = day
    return latest
