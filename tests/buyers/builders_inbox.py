"""Builders for the supplier's side of RFQs: suppliers that work in a category."""

from __future__ import annotations

from marketplace.models import Category
from suppliers.models import SupplierProfile


def works_in(supplier: SupplierProfile, *categories: Category) -> SupplierProfile:
    """Give the supplier these main categories (what puts public RFQs on its board)."""
    supplier.main_categories.add(*categories)
    return supplier
