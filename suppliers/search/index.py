"""Keeping the search text of products and suppliers current.

Every write that changes words a buyer searches for calls `products_reindex` or `suppliers_reindex`
inside its own transaction, so the stored text never lags the data. A product's text holds the
machine translations of its title and description once they are stored (asked for in every site
language when it is written, `product_translations_request`), so "backpack" finds a product
written only as 书包; when the worker stores one, `products_reindex_translated` indexes the
published products written in that text again (suppliers/receivers.py).

When what this module stores changes (the segmentation, what a text holds), bump
`PRODUCT_INDEX_VERSION` / `SUPPLIER_INDEX_VERSION`: after the upgrade, Celery beat rebuilds every
row in the background (`marketplace.stored_indexes`, registered in SuppliersConfig.ready()).
`manage.py search_reindex` rebuilds everything at once, by hand (after a change of category names).

On PostgreSQL the narrow search table (`suppliers_productsearch`, migration 0006) follows by itself:
its triggers refresh a product's row in the same transaction as any write of the product (the
UPDATE of `search_text` here among them), of its supplier's activity, verification or business type,
or of its category's place in the tree. Nothing here needs to call it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import MD5

from marketplace.models import Category, IndustrialBelt
from marketplace.selectors.translations import translated_texts
from marketplace.services.translation_requests import translations_request_everywhere
from marketplace.stored_indexes import StoredIndex
from suppliers.models import Product, SupplierProfile
from suppliers.search.segment import segment
from suppliers.signals import catalog_changed_on_commit

BULK_UPDATE_BATCH = 500
# The versions of what `product_index_text` and `supplier_index_text` store. 2: traditional Chinese
# folded into simplified; a product's text holds its title's and description's translations.
PRODUCT_INDEX_VERSION = 2
SUPPLIER_INDEX_VERSION = 2


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


def product_index_text(
    product: Product,
    *,
    categories: Mapping[int, Category] | None = None,
    translations: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The search text of a product: title, description (each followed by its stored machine
    translations), attributes, SKU, category and belt names.

    `categories` maps ids to the product's category's ancestors, `translations` originals to their
    translations (`translated_texts`); without them they are loaded (one query each).
    `product.category` and `product.belt` should be loaded with select_related.
    """
    if categories is None:
        ancestor_ids = _category_ids_with_ancestors([product.category])
        categories = Category.objects.in_bulk(ancestor_ids)
    if translations is None:
        translations = translated_texts([product.title, product.description])
    attributes: Sequence[object] = product.attributes if isinstance(product.attributes, list) else []
    attribute_texts = [
        f"{pair.get('name', '')} {pair.get('value', '')}" for pair in attributes if isinstance(pair, dict)
    ]
    return segment(
        product.title,
        *translations.get(product.title.strip(), ()),
        product.sku,
        *attribute_texts,
        *_category_names(product.category, categories),
        *_belt_names(product.belt),
        product.description,
        *translations.get(product.description.strip(), ()),
    )


def products_reindex(*, product_ids: Iterable[int]) -> int:
    """Recompute and store the search text of these products. Call it in the transaction that changed them.

    Four queries whatever the number of products: the products (with category and belt), the
    categories above theirs, the stored translations of their titles and descriptions (none
    without a translation provider), and one UPDATE per BULK_UPDATE_BATCH products.
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
    translations = translated_texts(text for product in products for text in (product.title, product.description))
    changed = []
    for product in products:
        text = product_index_text(product, categories=categories, translations=translations)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=BULK_UPDATE_BATCH)
    return len(products)


def product_translations_request(products: Iterable[Product]) -> int:
    """Ask for the titles and descriptions of these products in every site language (inside the
    caller's transaction; made by a worker after it commits; nothing without a provider)."""
    return translations_request_everywhere(
        texts=[text for product in products for text in (product.title, product.description)]
    )


def _published_written_in(texts: Iterable[str]) -> list[tuple[int, int]]:
    """(id, supplier id) of the published products whose title or description is one of `texts`,
    found through the indexes on their MD5 (`product_title_md5`, `product_description_md5`)."""
    originals = {text.strip() for text in texts if text and text.strip()}
    hashes = [hashlib.md5(text.encode(), usedforsecurity=False).hexdigest() for text in originals]
    if not hashes:
        return []
    return list(
        Product.objects.annotate(title_md5=MD5("title"), description_md5=MD5("description"))
        .filter(Q(title_md5__in=hashes) | Q(description_md5__in=hashes), status=Product.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "supplier_id")
    )


def products_reindex_translated(*, texts: Iterable[str]) -> int:
    """A worker stored translations of `texts`: index again the published products written in
    them, BULK_UPDATE_BATCH per transaction, and announce `catalog_changed` for their suppliers
    (their matching facts hold the products' words, and they may now fit RFQs written in another
    language). Drafts get the translations when they are published (`products_set_status` reindexes
    them). Returns how many products were indexed again."""
    found = _published_written_in(texts)
    for start in range(0, len(found), BULK_UPDATE_BATCH):
        batch = found[start : start + BULK_UPDATE_BATCH]
        with transaction.atomic():
            products_reindex(product_ids=[pk for pk, _supplier in batch])
            for supplier_id in sorted({supplier for _pk, supplier in batch}):
                catalog_changed_on_commit(supplier_id=supplier_id)
    return len(found)


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


def _product_ids_after(after_id: int, limit: int) -> list[int]:
    return list(Product.objects.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:limit])


def _products_rebuild(product_ids: list[int]) -> int:
    """The upgrade's rebuild of some products: their translations asked for in every site language
    (the texts written before products were translated), their search text recomputed."""
    product_translations_request(Product.objects.filter(pk__in=product_ids).only("title", "description"))
    return products_reindex(product_ids=product_ids)


def _supplier_ids_after(after_id: int, limit: int) -> list[int]:
    return list(SupplierProfile.objects.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:limit])


def _suppliers_rebuild(supplier_ids: list[int]) -> int:
    return suppliers_reindex(supplier_ids=supplier_ids)


# Rebuilt by Celery beat after an upgrade that bumped a version (registered in SuppliersConfig.ready()).
STORED_INDEXES = [
    StoredIndex(
        name="product_search_text",
        version=PRODUCT_INDEX_VERSION,
        ids_after=_product_ids_after,
        rebuild=_products_rebuild,
        batch_size=BULK_UPDATE_BATCH,  # the rows stay locked for the batch's transaction: a few seconds at most
    ),
    StoredIndex(
        name="supplier_search_text",
        version=SUPPLIER_INDEX_VERSION,
        ids_after=_supplier_ids_after,
        rebuild=_suppliers_rebuild,
    ),
]
