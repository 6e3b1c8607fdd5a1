"""The matching facts of a supplier's catalog: per category and unit, its published products summed up.

`SupplierCategoryFacts` holds one row per (supplier, category, unit) with published products: how
many, the lowest MOQ, the fastest lead time and the largest monthly capacity of one product; and
one row of no products (unit "") per category where the supplier has a product line or a main
category but publishes nothing, so that every candidate of a category — whatever makes it one —
is a facts row there (the ranked candidate query reads this table alone). The rows are derived from
the catalog by `catalog_facts_rows` (grouped queries, the same for a refresh of one supplier and a
rebuild of all); `buyers.services.matching` writes them. Matching then reads an RFQ's candidates
from this table (about 81,000 rows for 1,000,000 products) instead of aggregating the products of
the category subtree for every RFQ.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Max, Min
from django.utils import timezone

from buyers.models import SupplierCategoryFacts
from suppliers.models import Product, ProductLineCapacity, SupplierProfile

# The unit of a row of no products (a category named by a product line or a main category only).
NO_PRODUCTS_UNIT = ""


def catalog_facts_rows(*, supplier_ids: Collection[int]) -> list[SupplierCategoryFacts]:
    """The facts rows of these suppliers as their published products, product lines and main
    categories make them now (unsaved)."""
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
    rows = [SupplierCategoryFacts(**group, refreshed_at=now) for group in groups]
    published = {(row.supplier_id, row.category_id) for row in rows}
    lines = ProductLineCapacity.objects.filter(supplier_id__in=list(supplier_ids)).values_list(
        "supplier_id", "category_id"
    )
    main_categories = SupplierProfile.main_categories.through.objects.filter(
        supplierprofile_id__in=list(supplier_ids)
    ).values_list("supplierprofile_id", "category_id")
    named = sorted({*lines, *main_categories} - published)
    rows += [
        SupplierCategoryFacts(
            supplier_id=supplier_id, category_id=category_id, unit=NO_PRODUCTS_UNIT, products=0, refreshed_at=now
        )
        for supplier_id, category_id in named
    ]
    return rows
