"""The currencies every installation starts with; staff add more in the admin.

They are ensured after every `migrate` (and after a test database is flushed), so a new
installation can sign users up in its default currency at once.
"""

from __future__ import annotations

from typing import Any

CURRENCIES = [
    ("AED", "UAE dirham", "د.إ", 2),
    ("AUD", "Australian dollar", "A$", 2),
    ("BDT", "Bangladeshi taka", "৳", 2),
    ("BRL", "Brazilian real", "R$", 2),
    ("CAD", "Canadian dollar", "C$", 2),
    ("CHF", "Swiss franc", "CHF", 2),
    ("CNY", "Chinese yuan", "¥", 2),
    ("EGP", "Egyptian pound", "E£", 2),
    ("EUR", "Euro", "€", 2),
    ("GBP", "Pound sterling", "£", 2),
    ("HKD", "Hong Kong dollar", "HK$", 2),
    ("IDR", "Indonesian rupiah", "Rp", 2),
    ("INR", "Indian rupee", "₹", 2),
    ("JPY", "Japanese yen", "¥", 0),
    ("KES", "Kenyan shilling", "KSh", 2),
    ("KRW", "South Korean won", "₩", 0),
    ("LKR", "Sri Lankan rupee", "Rs", 2),
    ("MXN", "Mexican peso", "MX$", 2),
    ("MYR", "Malaysian ringgit", "RM", 2),
    ("NGN", "Nigerian naira", "₦", 2),
    ("NZD", "New Zealand dollar", "NZ$", 2),
    ("PHP", "Philippine peso", "₱", 2),
    ("PKR", "Pakistani rupee", "Rs", 2),
    ("RUB", "Russian ruble", "₽", 2),
    ("SAR", "Saudi riyal", "﷼", 2),
    ("SEK", "Swedish krona", "kr", 2),
    ("SGD", "Singapore dollar", "S$", 2),
    ("THB", "Thai baht", "฿", 2),
    ("TRY", "Turkish lira", "₺", 2),
    ("USD", "US dollar", "$", 2),
    ("VND", "Vietnamese dong", "₫", 0),
    ("ZAR", "South African rand", "R", 2),
]


def ensure_default_currencies(*, using: str = "default", **kwargs: Any) -> None:
    from marketplace.models import Currency

    existing = set(Currency.objects.using(using).values_list("code", flat=True))
    Currency.objects.using(using).bulk_create(
        [
            Currency(code=code, name=name, symbol=symbol, decimal_places=places)
            for code, name, symbol, places in CURRENCIES
            if code not in existing
        ]
    )
