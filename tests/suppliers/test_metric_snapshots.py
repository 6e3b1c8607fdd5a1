"""Each recompute of the response figures keeps one snapshot per supplier and day (the staff
dashboard compares them to spot falling response rates), written in bulk whatever the batch."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from buyers.services.responses import supplier_response_metrics_recompute
from marketplace.errors import InvalidInput
from suppliers.models import SupplierMetricSnapshot
from suppliers.services.metrics import (
    ResponseFigures,
    supplier_response_figures_set,
    supplier_response_figures_set_many,
)
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import SupplierProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 3, 2, 12, 0))


def snapshots() -> list[tuple[int, object, int | None, int | None]]:
    return list(
        SupplierMetricSnapshot.objects.order_by("supplier_id", "taken_on").values_list(
            "supplier_id", "taken_on", "response_rate", "response_median_minutes"
        )
    )


def test_setting_many_suppliers_figures_writes_their_profiles_and_one_snapshot_each() -> None:
    first, second = SupplierProfileFactory(), SupplierProfileFactory()

    updated = supplier_response_figures_set_many(
        figures={first.pk: ResponseFigures(90, 45), second.pk: ResponseFigures(None, None)}, now=NOW
    )

    assert updated == 2
    first.refresh_from_db()
    assert (first.response_rate, first.response_median_minutes, first.response_metrics_at) == (90, 45, NOW)
    day = timezone.localdate(NOW)
    assert snapshots() == [(first.pk, day, 90, 45), (second.pk, day, None, None)]


def test_a_second_recompute_the_same_day_updates_the_days_snapshot_and_the_next_day_adds_one() -> None:
    supplier = SupplierProfileFactory()
    supplier_response_figures_set_many(figures={supplier.pk: ResponseFigures(90, 45)}, now=NOW)
    supplier_response_figures_set_many(figures={supplier.pk: ResponseFigures(70, 80)}, now=NOW + timedelta(hours=1))
    supplier_response_figures_set_many(figures={supplier.pk: ResponseFigures(60, 95)}, now=NOW + timedelta(days=1))

    day = timezone.localdate(NOW)
    assert snapshots() == [(supplier.pk, day, 70, 80), (supplier.pk, day + timedelta(days=1), 60, 95)]


def test_the_bulk_write_makes_the_same_queries_for_two_suppliers_or_forty() -> None:
    few = {SupplierProfileFactory().pk: ResponseFigures(80, 30) for _ in range(2)}
    many = {SupplierProfileFactory().pk: ResponseFigures(80, 30) for _ in range(40)}

    small = count_queries(lambda: supplier_response_figures_set_many(figures=few, now=NOW))
    large = count_queries(lambda: supplier_response_figures_set_many(figures=many, now=NOW))

    assert small == large
    assert SupplierMetricSnapshot.objects.count() == 42


def test_unknown_suppliers_are_skipped_and_bad_figures_refused() -> None:
    supplier = SupplierProfileFactory()
    assert supplier_response_figures_set_many(figures={supplier.pk + 999: ResponseFigures(50, 5)}, now=NOW) == 0
    assert not supplier_response_figures_set(supplier_id=supplier.pk + 999, rate=50, median_minutes=5, now=NOW)
    assert snapshots() == []
    with pytest.raises(InvalidInput):
        supplier_response_figures_set_many(figures={supplier.pk: ResponseFigures(101, 5)}, now=NOW)
    assert snapshots() == []


def test_the_periodic_recompute_leaves_a_snapshot_of_each_supplier_it_updated() -> None:
    answering, silent = SupplierProfileFactory(), SupplierProfileFactory()
    for supplier, answer in ((answering, timedelta(hours=1)), (silent, None)):
        at = NOW - timedelta(days=3)
        MatchFactory(
            rfq=SourcingRequestFactory(),
            supplier=supplier,
            notified_at=at,
            responded_at=at + answer if answer else None,
        )

    assert supplier_response_metrics_recompute(now=NOW) == 2

    day = timezone.localdate(NOW)
    assert snapshots() == [(answering.pk, day, 100, 60), (silent.pk, day, 0, None)]
