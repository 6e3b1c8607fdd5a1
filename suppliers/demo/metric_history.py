"""Demo response-rate history for the staff dashboard: five weeks of weekly metric snapshots of the
demo belts' suppliers, two of them answering much less than a month ago.

Upserted on (supplier, day), so seeding again changes nothing. `seed_demo` calls it after the
catalogs (`seed_demo_metric_history()`).
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.demo.belts import BELTS
from suppliers.models import SupplierMetricSnapshot, SupplierProfile

WEEKS = 5
# (supplier name, response rate four weeks ago, response rate now): the falling ones staff should see.
FALLING = {
    "Taizhou Haoyu Household Co., Ltd.": (88, 52),
    "Zhili Xiaoxiong Garment Factory": (76, 55),
}


def _steady_rate(supplier: SupplierProfile) -> int:
    """A plausible rate between 70 and 98 that depends only on the supplier's name."""
    return 70 + zlib.crc32(supplier.name.encode()) % 29


def seed_demo_metric_history(*, today: date | None = None) -> int:
    """Write the snapshots; returns how many there are. The falling suppliers' profiles get their
    current (low) figure, as the hourly recompute would have left it."""
    today = today or timezone.localdate()
    names = [name for belt in BELTS for name, *_ in belt.suppliers]
    suppliers = list(SupplierProfile.objects.filter(name__in=names).order_by("pk"))
    rows: list[SupplierMetricSnapshot] = []
    for supplier in suppliers:
        before, now = FALLING.get(supplier.name, (_steady_rate(supplier), _steady_rate(supplier)))
        for week in range(WEEKS):
            # Week 4 is four weeks ago; the rate slides from `before` to `now` over those weeks.
            weeks_ago = WEEKS - 1 - week
            rate = before if weeks_ago >= 4 else now + (before - now) * weeks_ago // 4
            rows.append(
                SupplierMetricSnapshot(
                    supplier=supplier,
                    taken_on=today - timedelta(weeks=weeks_ago),
                    response_rate=rate,
                    response_median_minutes=45 + 30 * (100 - rate) // 10,
                )
            )
    with transaction.atomic():
        SupplierMetricSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["supplier", "taken_on"],
            update_fields=["response_rate", "response_median_minutes"],
        )
        for supplier in suppliers:
            if supplier.name in FALLING:
                SupplierProfile.objects.filter(pk=supplier.pk).update(response_rate=FALLING[supplier.name][1])
    return len(rows)
