"""Reads of catalog imports and exports, scoped to the supplier."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from suppliers.models import CatalogImport, Product, SupplierProfile


def catalog_imports_of(*, supplier: SupplierProfile) -> QuerySet[CatalogImport]:
    """The supplier's own imports, newest first (no errors JSON: a list does not need it)."""
    return CatalogImport.objects.filter(supplier=supplier).defer("errors").order_by("-created_at", "-id")


def catalog_import_of(*, supplier: SupplierProfile, pk: int) -> CatalogImport | None:
    """One of the supplier's own imports; None for another supplier's (the view answers 404)."""
    return CatalogImport.objects.filter(supplier=supplier, pk=pk).first()


def catalog_products_for_export(*, supplier: SupplierProfile) -> Iterator[Product]:
    """Every product of the supplier's own catalog, drafts and archived too, in SKU order, in chunks."""
    return (
        Product.objects.filter(supplier=supplier)
        .select_related("category")
        .prefetch_related("tiers")
        .order_by("sku")
        .iterator(chunk_size=1000)
    )
