"""Keeping the search text of products and suppliers current. (Stub: the search work replaces it.)"""

from __future__ import annotations

from collections.abc import Iterable

from suppliers.models import Product, SupplierProfile


def product_index_text(product: Product) -> str:
    parts = [product.title, product.description, product.sku]
    parts += [f"{pair.get('name', '')} {pair.get('value', '')}" for pair in product.attributes or []]
    return " ".join(part for part in parts if part).lower()


def products_reindex(*, product_ids: Iterable[int]) -> int:
    """Recompute the search text of these products. Call it in the transaction that changed them."""
    count = 0
    for product in Product.objects.filter(pk__in=list(product_ids)):
        Product.objects.filter(pk=product.pk).update(search_text=product_index_text(product))
        count += 1
    return count


def suppliers_reindex(*, supplier_ids: Iterable[int]) -> int:
    count = 0
    for supplier in SupplierProfile.objects.filter(pk__in=list(supplier_ids)):
        text = " ".join(
            filter(None, [supplier.name, supplier.name_zh, supplier.description_en, supplier.description_zh])
        )
        SupplierProfile.objects.filter(pk=supplier.pk).update(search_text=text.lower())
        count += 1
    return count
