"""The currencies every installation starts with; staff add more in the admin.

They are ensured after every `migrate` (and after a test database is flushed), so a new
installation can sign users up in its default currency at once. Their English names are stored;
the catalogue translates them (`Currency.local_name`: 人民币, 美元, 土耳其里拉 in Chinese), and a
name staff type for another currency is shown as typed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

CURRENCIES = [
    ("AED", gettext_noop("UAE dirham"), "د.إ", 2),
    ("AUD", gettext_noop("Australian dollar"), "A$", 2),
    ("BDT", gettext_noop("Bangladeshi taka"), "৳", 2),
    ("BRL", gettext_noop("Brazilian real"), "R$", 2),
    ("CAD", gettext_noop("Canadian dollar"), "C$", 2),
    ("CHF", gettext_noop("Swiss franc"), "CHF", 2),
    ("CNY", gettext_noop("Chinese yuan"), "¥", 2),
    ("EGP", gettext_noop("Egyptian pound"), "E£", 2),
    ("EUR", gettext_noop("Euro"), "€", 2),
    ("GBP", gettext_noop("Pound sterling"), "£", 2),
    ("HKD", gettext_noop("Hong Kong dollar"), "HK$", 2),
    ("IDR", gettext_noop("Indonesian rupiah"), "Rp", 2),
    ("INR", gettext_noop("Indian rupee"), "₹", 2),
    ("JPY", gettext_noop("Japanese yen"), "¥", 0),
    ("KES", gettext_noop("Kenyan shilling"), "KSh", 2),
    ("KRW", gettext_noop("South Korean won"), "₩", 0),
    ("LKR", gettext_noop("Sri Lankan rupee"), "Rs", 2),
    ("MXN", gettext_noop("Mexican peso"), "MX$", 2),
    ("MYR", gettext_noop("Malaysian ringgit"), "RM", 2),
    ("NGN", gettext_noop("Nigerian naira"), "₦", 2),
    ("NZD", gettext_noop("New Zealand dollar"), "NZ$", 2),
    ("PHP", gettext_noop("Philippine peso"), "₱", 2),
    ("PKR", gettext_noop("Pakistani rupee"), "Rs", 2),
    ("RUB", gettext_noop("Russian ruble"), "₽", 2),
    ("SAR", gettext_noop("Saudi riyal"), "﷼", 2),
    ("SEK", gettext_noop("Swedish krona"), "kr", 2),
    ("SGD", gettext_noop("Singapore dollar"), "S$", 2),
    ("THB", gettext_noop("Thai baht"), "฿", 2),
    ("TRY", gettext_noop("Turkish lira"), "₺", 2),
    ("USD", gettext_noop("US dollar"), "$", 2),
    ("VND", gettext_noop("Vietnamese dong"), "₫", 0),
    ("ZAR", gettext_noop("South African rand"), "R", 2),
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
