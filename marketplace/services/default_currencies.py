"""The currencies every installation starts with (marketplace/currencies.py lists them), created
after each migration and by the demo seed; one that exists is left as staff set it."""

from __future__ import annotations

from typing import Any

from marketplace.currencies import CURRENCIES, minor_digits
from marketplace.models import Currency


def ensure_default_currencies(*, using: str = "default", **kwargs: Any) -> None:
    existing = set(Currency.objects.using(using).values_list("code", flat=True))
    Currency.objects.using(using).bulk_create(
        [
            Currency(code=code, name=name, symbol=symbol, decimal_places=minor_digits(code))
            for code, name, symbol in CURRENCIES
            if code not in existing
        ]
    )
