"""The matching facts of a supplier's catalog: per category and unit, its published products summed up.

`SupplierCategoryFacts` holds one row per (supplier, category, unit) with published products: how
many, the lowest MOQ, the fastest lead time and the largest monthly capacity of one product. The
rows are derived from the product table by `catalog_facts_rows` (one grouped query, the same for
a refresh of one supplier and a rebuild of all); `buyers.services.matching` writes them. Matching
then reads an RFQ's candidates from this table (about 81,000 rows for 1,000,000 products) instead
of aggregating the products of the category subtree for every RFQ.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Max, Min
from django.utils import timezone

from buyers.models import SupplierCategoryFacts
from suppliers.models import Product


def catalog_facts_rows(*, supplier_ids: Collection[int]) -> list[SupplierCategoryFacts]:
    """The facts rows of these suppliers as their published products make them now (unsaved)."""
    now = timezone.now()
    groups = (
        Product.objects.filter(status=Product.Status.PUBLISHED, supplier_id__in=list(supplier_ids))
        .values("supplier_id", "category_id", "unit")
        .annotate(
            products=Count("*"),
            lowest_moq=Min("moq"),
            fastest_lead_time=Min("lead_time_days"),
            largest_capacity=Max("monthly_capacity"),
        )
        .order_by()
    )
    return [SupplierCategoryFacts(**group, refreshed_at=now) for group in groups]
