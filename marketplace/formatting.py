"""How numbers, amounts, quantities and dates read for a person: one format per language.

Every page, e-mail, notification and printable order prints through these functions (templates
through the `money` filters, which call them): the separators and date formats come from the
active language's format module (`sourcebelt/formats/`), digits are always grouped here, so
`USE_THOUSAND_SEPARATOR` stays off and numbers in form values and addresses stay bare.

    amount_text(151200, "CNY")           151,200.00           (the currency's ISO 4217 digits)
    amount_text(151200, "JPY")           151,200
    money_text(151200, "KRW")            KRW 151,200
    unit_price_text(Decimal("0.035"))    0.035                (two to four decimals; a JPY price from none)
    price_text(Decimal("13.2"), "CNY")   CNY 13.20
    quantity_text(20000)                 20,000
    quantity_with_unit(20000, "piece")   20,000 pieces        20,000 件
    date_text(date(2026, 12, 6))         2026-12-06           2026年12月6日
    moment_text(aware_datetime)          2026-12-06 03:29     2026年12月6日 03:29 (in TIME_ZONE)

The API gives machine numbers instead (`plain_unit_price`: "1.25", never grouped).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format

from marketplace.currencies import minor_digits
from marketplace.models import Currency
from marketplace.pricing import money_round
from marketplace.units import COUNTED, unit_label

# A unit price keeps up to four decimal places (0.035 USD a piece), at least two unless its
# currency has fewer (a JPY price of 130 reads "130").
UNIT_PRICE_MAX_PLACES = 4
UNIT_PRICE_MIN_PLACES = 2


def as_decimal(value: object) -> Decimal | None:
    """A finite number as a Decimal; None for None, "", booleans, words, NaN and infinities."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _decimals_of(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def grouped(number: Decimal, places: int) -> str:
    """`number` rounded half-up to `places` decimals, in the active language with its digits grouped."""
    return number_format(money_round(number, places), decimal_pos=places, use_l10n=True, force_grouping=True)


def currency_digits(currency: object) -> int:
    """A currency's decimal places: a Currency row's own, else the code's ISO 4217 minor unit."""
    if isinstance(currency, Currency):
        return currency.decimal_places
    return minor_digits(currency)


def _as_given(value: object) -> str:
    return "" if value is None else str(value)


def amount_text(value: object, currency: object = "") -> str:
    """151200, "CNY" → "151,200.00"; "JPY" → "151,200" (for a sentence that names the currency itself)."""
    number = as_decimal(value)
    if number is None:
        return _as_given(value)
    return grouped(number, currency_digits(currency))


def money_text(value: object, currency: object = "") -> str:
    """151200, "CNY" → "CNY 151,200.00"; without a currency, the grouped amount alone."""
    shown = amount_text(value, currency)
    code = str(currency or "")
    return f"{code} {shown}" if code and shown else shown


def unit_price_text(value: object, currency: object = "") -> str:
    """A unit price: its own decimals, at least the currency's (two without one), at most four."""
    number = as_decimal(value)
    if number is None:
        return _as_given(value)
    least = currency_digits(currency) if currency else UNIT_PRICE_MIN_PLACES
    most = max(UNIT_PRICE_MAX_PLACES, least)
    return grouped(number, max(least, min(most, _decimals_of(number))))


def price_text(value: object, currency: object) -> str:
    """A unit price with its currency: "CNY 13.20", "USD 1.8335", "JPY 1,200"."""
    shown = unit_price_text(value, currency)
    code = str(currency or "")
    return f"{code} {shown}" if code and shown else shown


def plain_unit_price(value: Decimal) -> str:
    """A unit price as the API gives it, a machine number: 1.2500 → "1.25", 3 → "3.00", never grouped."""
    places = max(UNIT_PRICE_MIN_PLACES, _decimals_of(value))
    return f"{money_round(value, places):f}"


def quantity_text(value: object) -> str:
    """20000 → "20,000"; a fractional quantity keeps its decimals (2.5 → "2.5"); None → ""."""
    number = as_decimal(value)
    if number is None:
        return _as_given(value)
    return grouped(number, _decimals_of(number))


def quantity_with_unit(value: object, unit: object) -> str:
    """20000, "piece" → "20,000 pieces" (20,000 件); 1 → "1 piece"; an unknown unit follows its code."""
    number = as_decimal(value)
    if number is None:
        return _as_given(value)
    shown = quantity_text(number)
    counted = COUNTED.get(str(unit or ""))
    if counted is None:
        return f"{shown} {unit_label(unit)}".strip()
    # English says "1 piece" only for the whole number one; "1.5 kilograms" takes the plural.
    count = int(number) if number == number.to_integral_value() else 2
    return counted % {"quantity": shown, "count": count}


def _moment_or_day(value: object) -> date | datetime | None:
    """A date, or an aware date-time in TIME_ZONE; an ISO string as notification contexts store them
    ("2026-12-06", "2026-12-06T03:29:00+00:00"); None for anything else."""
    if isinstance(value, str):
        try:
            value = (parse_datetime(value) if "T" in value else None) or parse_date(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value if isinstance(value, date) else None


def date_text(value: object) -> str:
    """A day in the active language's one format: 2026-12-06, 2026年12月6日; a moment's day in
    TIME_ZONE. None → ""; a string that is no ISO date is shown as it is."""
    day = _moment_or_day(value)
    return _as_given(value) if day is None else date_format(day, "DATE_FORMAT")


def moment_text(value: object) -> str:
    """A moment in TIME_ZONE in the active language's one format: 2026-12-06 03:29, 2026年12月6日 03:29.
    A plain date reads as a day; None → ""; a string that is no ISO date-time is shown as it is."""
    moment = _moment_or_day(value)
    if moment is None:
        return _as_given(value)
    return date_format(moment, "DATETIME_FORMAT" if isinstance(moment, datetime) else "DATE_FORMAT")
