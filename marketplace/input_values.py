"""Single input values read the same way everywhere: text as typed in a form, a CSV/XLSX cell or a
JSON field becomes a value, or a ValueError whose message a person understands ("The quantity
must be at least 1."). The input rules of each app (suppliers.catalog_rules, buyers.rfq_rules,
buyers.quote_rules) build on these, so the same kind of mistake gets the same message.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

MAX_AMOUNT = Decimal("9999999999")


def text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def yes(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    return text(raw).lower() in {"1", "true", "yes", "y", "on", "是"}


def whole_number(raw: Any, *, label: str, minimum: int, maximum: int) -> int:
    """A whole number in [minimum, maximum]; "1,000", "1000.0" and " 1000 " are read as 1000."""
    if isinstance(raw, bool):
        raise ValueError(_("%(label)s must be a whole number.") % {"label": label})
    digits = text(raw).replace(",", "").replace(" ", "")
    if digits.endswith(".0"):
        digits = digits[:-2]
    if not re.fullmatch(r"[-+]?\d+", digits):
        raise ValueError(_("%(label)s must be a whole number.") % {"label": label})
    value = int(digits) if len(digits) <= 19 else (maximum + 1 if not digits.startswith("-") else minimum - 1)
    if value < minimum:
        raise ValueError(_("%(label)s must be at least %(min)s.") % {"label": label, "min": minimum})
    if value > maximum:
        raise ValueError(_("%(label)s can be at most %(max)s.") % {"label": label, "max": f"{maximum:,}"})
    return value


def money(raw: Any, *, label: str, allow_zero: bool = False) -> Decimal:
    """A positive amount (or zero with `allow_zero`) with at most four decimal places."""
    digits = text(raw).replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation as error:
        raise ValueError(_("%(label)s must be a number such as 12.50.") % {"label": label}) from error
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero) or value > MAX_AMOUNT:
        raise ValueError(_("%(label)s must be a positive amount.") % {"label": label})
    if value != value.quantize(Decimal("0.0001")):
        raise ValueError(_("%(label)s can have at most four decimal places.") % {"label": label})
    return value


def date_value(raw: Any, *, label: str) -> date:
    if isinstance(raw, datetime):
        return timezone.localtime(raw).date() if timezone.is_aware(raw) else raw.date()
    if isinstance(raw, date):
        return raw
    typed = text(raw)
    if not typed:
        raise ValueError(_("%(label)s is required.") % {"label": label})
    try:
        value = parse_date(typed)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(_("%(label)s must be a date such as 2025-09-30.") % {"label": label})
    return value


def datetime_value(raw: Any, *, label: str) -> datetime:
    """A date and time; a naive one is read in the site's time zone."""
    if isinstance(raw, datetime):
        value = raw
    else:
        typed = text(raw)
        if not typed:
            raise ValueError(_("%(label)s is required.") % {"label": label})
        try:
            value = parse_datetime(typed)
        except ValueError:
            value = None
        if value is None:
            raise ValueError(_("%(label)s must be a date and time such as 2025-09-30T17:00.") % {"label": label})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
