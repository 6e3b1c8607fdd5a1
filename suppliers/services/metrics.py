"""Supplier metrics the buyers app measures and the suppliers app keeps on the profile.

The buyers app knows when a supplier answers a sourcing request; the supplier profile shows how
quickly it does. Following the direction of imports, the buyers app computes the figures and
hands them to this service (never the other way round).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from suppliers.models import SupplierProfile

MAX_MEDIAN_MINUTES = 2_147_483_647  # what the PostgreSQL integer column holds


def supplier_response_figures_set(
    *, supplier_id: int, rate: int | None, median_minutes: int | None, now: datetime | None = None
) -> bool:
    """Store a supplier's response rate (whole percent, 0 to 100) and median response time in
    minutes; None for "no figures yet". Idempotent: one UPDATE of the profile, no lock needed
    since the periodic recompute is the only writer. Returns False when no such supplier exists."""
    if rate is not None and not 0 <= rate <= 100:
        raise InvalidInput(_("A response rate is a percentage from 0 to 100."), field="rate")
    if median_minutes is not None and not 0 <= median_minutes <= MAX_MEDIAN_MINUTES:
        raise InvalidInput(_("A median response time is a positive number of minutes."), field="median_minutes")
    updated = SupplierProfile.objects.filter(pk=supplier_id).update(
        response_rate=rate,
        response_median_minutes=median_minutes,
        response_metrics_at=now or timezone.now(),
    )
    return bool(updated)


def supplier_order_figures_set(
    *, supplier_id: int, rating_average: Decimal | None, rating_count: int, on_time_rate: int | None
) -> bool:
    """Store a supplier's average rating (1 to 5, None without ratings), the number of ratings and
    its on-time delivery rate (whole percent, None before a delivery with a required date). The
    orders app computes them after each review and delivery. Returns False when no such supplier."""
    if rating_average is not None and not Decimal(1) <= rating_average <= Decimal(5):
        raise InvalidInput(_("An average rating lies between 1 and 5."), field="rating_average")
    if on_time_rate is not None and not 0 <= on_time_rate <= 100:
        raise InvalidInput(_("An on-time rate is a percentage from 0 to 100."), field="on_time_rate")
    updated = SupplierProfile.objects.filter(pk=supplier_id).update(
        rating_average=rating_average, rating_count=max(rating_count, 0), on_time_rate=on_time_rate
    )
    return bool(updated)
