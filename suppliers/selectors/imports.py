"""Reads of catalog imports and exports, scoped to the supplier."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from suppliers.models import CatalogImport, Product, SupplierProfile


def catalog_imports_of(*, supplier: SupplierProfile) -> QuerySet[CatalogImport]:
    """The supplier's own imports, newest first (no errors JSON: a list does not need it)."""
    return CatalogImport.objects.filter(supplier=supplier).defer("errors").order_by("-created_at", "-id")


def catalog_import_of(*, supplier: SupplierProfile, pk: int) -> CatalogImport:
    """One of the supplier's own imports; NotFound for another supplier's."""
    catalog_import = CatalogImport.objects.filter(supplier=supplier, pk=pk).first()
    if catalog_import is None:
        raise NotFound(_("No such import of your catalog."))
    return catalog_import


def catalog_products_for_export(*, supplier: SupplierProfile) -> Iterator[Product]:
    """Every product of the supplier's own catalog, drafts and archived too, in SKU order, in chunks."""
    return (
        Product.objects.filter(supplier=supplier)
        .select_related("category")
        .prefetch_related("tiers")
        .order_by("sku")
        .iterator(chunk_size=1000)
    )
