"""Demo exchange rates: a recorded copy of the ECB's daily file (EUR against ~30 currencies),
stored as if published today, and plausible rates against the US dollar, with a small, repeatable
daily drift, for the currencies the ECB does not cover. Together they cover every offered currency.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

# The ECB's euro reference rates of 30 October 2026 in the ECB's daily XML format (values taken from
# the ECB's own eurofxref-hist.csv, see docs/currencies.md); the tests serve it too.
RECORDED_ECB_FILE = Path(__file__).with_name("ecb-eurofxref-daily.xml")

DAYS = 30

# One US dollar in each currency, roughly.
USD_RATES: dict[str, str] = {
    "CNY": "7.1034",
    "EUR": "0.9215",
    "GBP": "0.7890",
    "LKR": "298.50",
    "INR": "83.45",
    "JPY": "151.20",
    "HKD": "7.8150",
    "AED": "3.6725",
    "AUD": "1.5210",
    "BRL": "5.0500",
    "BDT": "117.40",
    "CAD": "1.3620",
    "KES": "129.30",
    "MYR": "4.7020",
    "NGN": "1480.00",
    "PKR": "278.20",
    "SGD": "1.3470",
    "THB": "36.10",
    "VND": "25350",
    "ZAR": "18.40",
    # Not in the ECB's file: staff would enter these in the admin.
    "EGP": "49.60",
    "RUB": "79.10",
    "SAR": "3.7500",
}


def daily_rates(today: date) -> list[tuple[str, date, Decimal]]:
    """(quote, day, rate) for the last DAYS days up to today.

    The drift is a deterministic wave (at most ±0.6 %), so seeding twice on one day writes the
    same values and the pages show rates that move a little from day to day.
    """
    rows: list[tuple[str, date, Decimal]] = []
    for offset, (quote, middle) in enumerate(USD_RATES.items()):
        for days_ago in range(DAYS):
            day = today - timedelta(days=days_ago)
            wave = Decimal(str(round(0.006 * math.sin(day.toordinal() / 4 + offset), 6)))
            rows.append((quote, day, (Decimal(middle) * (1 + wave)).quantize(Decimal("0.0001"))))
    return rows
