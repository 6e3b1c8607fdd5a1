"""Keeping the search text of products and suppliers current.

Every write that changes words a buyer searches for calls `products_reindex` or `suppliers_reindex`
inside its own transaction, so the stored text never lags the data. `manage.py search_reindex`
rebuilds everything (after a change of the segmentation, or of category names).

On PostgreSQL the narrow search table (`suppliers_productsearch`, migration 0006) follows by itself:
its triggers refresh a product's row in the same transaction as any write of the product (the
UPDATE of `search_text` here among them), of its supplier's activity, verification or business type,
or of its category's place in the tree. Nothing here needs to call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db.models import Prefetch

from marketplace.models import Category, IndustrialBelt
from suppliers.models import Product, SupplierProfile
from suppliers.search.segment import segment

BULK_UPDATE_BATCH = 500


def _category_ids_with_ancestors(categories: Iterable[Category]) -> set[int]:
    return {int(part) for category in categories for part in category.path.split(".") if part}


def _category_names(category: Category | None, by_id: Mapping[int, Category]) -> list[str]:
    """The names, in both languages, of a category and of every category above it.

    So "bags" finds products filed under Bags › Backpacks, and "backpack" finds 双肩包.
    """
    if category is None:
        return []
    ids = [int(part) for part in category.path.split(".") if part] or [category.pk]
    names: list[str] = []
    for pk in ids:
        node = category if pk == category.pk else by_id.get(pk)
        if node is not None:
            names += [node.name_en, node.name_zh]
    return names


def _belt_names(belt: IndustrialBelt | None) -> list[str]:
    return [belt.name_en, belt.name_zh] if belt is not None else []


def product_index_text(product: Product, *, categories: Mapping[int, Category] | None = None) -> str:
    """The search text of a product: title, description, attributes, SKU, category and belt names.

    `categories` maps ids to the product's category's ancestors; without it they are loaded (one
    query). `product.category` and `product.belt` should be loaded with select_related.
    """
    if categories is None:
        ancestor_ids = _category_ids_with_ancestors([product.category])
        categories = Category.objects.in_bulk(ancestor_ids)
    attributes: Sequence[object] = product.attributes if isinstance(product.attributes, list) else []
    attribute_texts = [
        f"{pair.get('name', '')} {pair.get('value', '')}" for pair in attributes if isinstance(pair, dict)
    ]
    return segment(
        product.title,
        product.sku,
        *attribute_texts,
        *_category_names(product.category, categories),
        *_belt_names(product.belt),
        product.description,
    )


def products_reindex(*, product_ids: Iterable[int]) -> int:
    """Recompute and store the search text of these products. Call it in the transaction that changed them.

    Three queries whatever the number of products: the products (with category and belt), the
    categories above theirs, and one UPDATE per BULK_UPDATE_BATCH products.
    """
    ids = list(product_ids)
    if not ids:
        return 0
    products = list(
        Product.objects.filter(pk__in=ids)
        .select_related("category", "belt")
        .only(
            "pk",
            "title",
            "description",
            "sku",
            "attributes",
            "search_text",
            "category__path",
            "category__name_en",
            "category__name_zh",
            "belt__name_en",
            "belt__name_zh",
        )
    )
    categories = Category.objects.only("pk", "path", "name_en", "name_zh").in_bulk(
        _category_ids_with_ancestors(product.category for product in products)
    )
    changed = []
    for product in products:
        text = product_index_text(product, categories=categories)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=BULK_UPDATE_BATCH)
    return len(products)


def supplier_index_text(supplier: SupplierProfile, *, categories: Mapping[int, Category]) -> str:
    """A supplier's search text: names, descriptions, city, belt, and its main categories (with ancestors)."""
    category_names: list[str] = []
    for category in supplier.main_categories.all():
        category_names += _category_names(category, categories)
    return segment(
        supplier.name,
        supplier.name_zh,
        supplier.city,
        *_belt_names(supplier.belt),
        *dict.fromkeys(category_names),
        supplier.description_en,
        supplier.description_zh,
    )


def suppliers_reindex(*, supplier_ids: Iterable[int]) -> int:
    """Recompute and store the search text of these suppliers, in a constant number of queries."""
    ids = list(supplier_ids)
    if not ids:
        return 0
    suppliers = list(
        SupplierProfile.objects.filter(pk__in=ids)
        .select_related("belt")
        .prefetch_related(
            Prefetch("main_categories", queryset=Category.objects.only("pk", "path", "name_en", "name_zh"))
        )
    )
    categories = Category.objects.only("pk", "path", "name_en", "name_zh").in_bulk(
        _category_ids_with_ancestors(category for supplier in suppliers for category in supplier.main_categories.all())
    )
    changed = []
    for supplier in suppliers:
        text = supplier_index_text(supplier, categories=categories)
        if text != supplier.search_text:
            supplier.search_text = text
            changed.append(supplier)
    SupplierProfile.objects.bulk_update(changed, ["search_text"], batch_size=BULK_UPDATE_BATCH)
    return len(suppliers)
