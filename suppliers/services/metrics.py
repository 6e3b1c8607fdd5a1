"""Supplier metrics the buyers app measures and the suppliers app keeps on the profile.

The buyers app knows when a supplier answers a sourcing request; the supplier profile shows how
quickly it does. Following the direction of imports, the buyers app computes the figures and
hands them to this service (never the other way round). Each recompute also keeps one
SupplierMetricSnapshot per supplier and day, so staff can see whose response rate is falling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from suppliers.models import SupplierMetricSnapshot, SupplierProfile

MAX_MEDIAN_MINUTES = 2_147_483_647  # what the PostgreSQL integer column holds


class HasResponseFigures(Protocol):
    """A supplier's response figures: rate in whole percent (0 to 100), median in minutes; None for
    "no figures yet" (buyers.services.responses.ResponseFigures is one)."""

    @property
    def rate(self) -> int | None: ...

    @property
    def median_minutes(self) -> int | None: ...


@dataclass(frozen=True)
class ResponseFigures:
    rate: int | None
    median_minutes: int | None


def _check_figures(rate: int | None, median_minutes: int | None) -> None:
    if rate is not None and not 0 <= rate <= 100:
        raise InvalidInput(_("A response rate is a percentage from 0 to 100."), field="rate")
    if median_minutes is not None and not 0 <= median_minutes <= MAX_MEDIAN_MINUTES:
        raise InvalidInput(_("A median response time is a positive number of minutes."), field="median_minutes")


def supplier_response_figures_set_many(
    *, figures: Mapping[int, HasResponseFigures], now: datetime | None = None
) -> int:
    """Store the response figures of many suppliers (supplier id -> figures) and keep the day's
    metric snapshot of each: the periodic recompute calls this once per batch of suppliers.

    Three queries whatever the batch size: which of the suppliers exist, one UPDATE of their
    profiles, one INSERT ... ON CONFLICT of their snapshots on the unique (supplier, day), so a
    recompute running every hour leaves one snapshot per supplier and day holding the day's last
    figures. Idempotent; no lock needed since the periodic recompute is the only writer. Unknown
    supplier ids are skipped. Returns how many suppliers were updated."""
    for value in figures.values():
        _check_figures(value.rate, value.median_minutes)
    if not figures:
        return 0
    now = now or timezone.now()
    taken_on = timezone.localdate(now)
    existing = sorted(SupplierProfile.objects.filter(pk__in=list(figures)).values_list("pk", flat=True))
    if not existing:
        return 0
    with transaction.atomic():
        SupplierProfile.objects.bulk_update(
            [
                SupplierProfile(
                    pk=pk,
                    response_rate=figures[pk].rate,
                    response_median_minutes=figures[pk].median_minutes,
                    response_metrics_at=now,
                )
                for pk in existing
            ],
            ["response_rate", "response_median_minutes", "response_metrics_at"],
            batch_size=len(existing),
        )
        SupplierMetricSnapshot.objects.bulk_create(
            [
                SupplierMetricSnapshot(
                    supplier_id=pk,
                    taken_on=taken_on,
                    response_rate=figures[pk].rate,
                    response_median_minutes=figures[pk].median_minutes,
                )
                for pk in existing
            ],
            update_conflicts=True,
            unique_fields=["supplier", "taken_on"],
            update_fields=["response_rate", "response_median_minutes"],
            batch_size=len(existing),
        )
    return len(existing)


def supplier_response_figures_set(
    *, supplier_id: int, rate: int | None, median_minutes: int | None, now: datetime | None = None
) -> bool:
    """Store one supplier's response rate (whole percent, 0 to 100) and median response time in
    minutes, None for "no figures yet", and keep the day's snapshot of them. Idempotent. Returns
    False when no such supplier exists. Recomputing many suppliers: `supplier_response_figures_set_many`."""
    _check_figures(rate, median_minutes)
    return bool(
        supplier_response_figures_set_many(
            figures={supplier_id: ResponseFigures(rate=rate, median_minutes=median_minutes)}, now=now
        )
    )


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
