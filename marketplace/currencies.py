"""The currencies every installation starts with; staff add more in the admin.

They are ensured after every `migrate` (and after a test database is flushed), so a new
installation can sign users up in its default currency at once. Their English names are stored;
the catalogue translates them (`Currency.local_name`: 人民币, 美元, 土耳其里拉 in Chinese), and a
name staff type for another currency is shown as typed.

A currency's decimal places are its ISO 4217 minor unit ("exponent"): `minor_digits("JPY")` is 0,
`minor_digits("KWD")` 3, and 2 for every code the standard gives two (USD, CNY, IDR...) or does not
list. The installed currencies take theirs from it, and the admin refuses another number for a
code the standard lists (`Currency.clean`), so amounts are stored and printed with the same digits.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# ISO 4217 List One: the active codes whose minor unit is not 2 (amendment of 2025). Every other
# code has 2, including IDR (the rupiah's sen are out of circulation, but the standard keeps 2).
# Funds and metals without a minor unit (XAU, XDR...) are not traded here and count as 2.
MINOR_DIGITS_NOT_TWO: dict[str, int] = {}
for _digits, _codes in (
    (0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"),
    (3, "BHD IQD JOD KWD LYD OMR TND"),
    (4, "CLF UYW"),
):
    MINOR_DIGITS_NOT_TWO.update(dict.fromkeys(_codes.split(), _digits))


def minor_digits(code: object) -> int:
    """The ISO 4217 minor unit of `code`: 0 for JPY, KRW and VND, 3 for KWD, 2 for most (and unknown codes)."""
    return MINOR_DIGITS_NOT_TWO.get(str(code or "").strip().upper(), 2)


CURRENCIES = [
    ("AED", gettext_noop("UAE dirham"), "د.إ"),
    ("AUD", gettext_noop("Australian dollar"), "A$"),
    ("BDT", gettext_noop("Bangladeshi taka"), "৳"),
    ("BRL", gettext_noop("Brazilian real"), "R$"),
    ("CAD", gettext_noop("Canadian dollar"), "C$"),
    ("CHF", gettext_noop("Swiss franc"), "CHF"),
    ("CNY", gettext_noop("Chinese yuan"), "¥"),
    ("EGP", gettext_noop("Egyptian pound"), "E£"),
    ("EUR", gettext_noop("Euro"), "€"),
    ("GBP", gettext_noop("Pound sterling"), "£"),
    ("HKD", gettext_noop("Hong Kong dollar"), "HK$"),
    ("IDR", gettext_noop("Indonesian rupiah"), "Rp"),
    ("INR", gettext_noop("Indian rupee"), "₹"),
    ("JPY", gettext_noop("Japanese yen"), "¥"),
    ("KES", gettext_noop("Kenyan shilling"), "KSh"),
    ("KRW", gettext_noop("South Korean won"), "₩"),
    ("LKR", gettext_noop("Sri Lankan rupee"), "Rs"),
    ("MXN", gettext_noop("Mexican peso"), "MX$"),
    ("MYR", gettext_noop("Malaysian ringgit"), "RM"),
    ("NGN", gettext_noop("Nigerian naira"), "₦"),
    ("NZD", gettext_noop("New Zealand dollar"), "NZ$"),
    ("PHP", gettext_noop("Philippine peso"), "₱"),
    ("PKR", gettext_noop("Pakistani rupee"), "Rs"),
    ("RUB", gettext_noop("Russian ruble"), "₽"),
    ("SAR", gettext_noop("Saudi riyal"), "﷼"),
    ("SEK", gettext_noop("Swedish krona"), "kr"),
    ("SGD", gettext_noop("Singapore dollar"), "S$"),
    ("THB", gettext_noop("Thai baht"), "฿"),
    ("TRY", gettext_noop("Turkish lira"), "₺"),
    ("USD", gettext_noop("US dollar"), "$"),
    ("VND", gettext_noop("Vietnamese dong"), "₫"),
    ("ZAR", gettext_noop("South African rand"), "R"),
]


# The codes whose decimal places this module knows for sure: the installed currencies and the exceptions.
ISO_4217_CODES = frozenset(code for code, _name, _symbol in CURRENCIES) | frozenset(MINOR_DIGITS_NOT_TWO)
