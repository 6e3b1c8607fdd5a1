"""The page of a product search: its rows read from the product table with supplier and first image
in one query, its belts named from the process's names, and its prices as shown."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from marketplace.rows import RowReader, fields_of, select_columns
from suppliers.models import Product, ProductImage, SupplierProfile
from suppliers.pricing import unit_price_at_expression
from suppliers.search.cursors import SortKey, decode_cursor, encode_cursor
from suppliers.search.facets import belt_refs

RELEVANCE_KEYS = [SortKey("relevance", True, "float"), SortKey("id", True, "int")]
# What a result never shows, left out of the page's rows (read when used, as any deferred field).
PRODUCT_DEFERRED = ("description", "search_text", "attributes")
SUPPLIER_DEFERRED = ("description_en", "description_zh", "search_text", "export_markets")


def _first_picture() -> Subquery:
    """The product's first image's thumbnail, or that image where it has none (its file's name)."""
    first = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    picture = Coalesce(NullIf("thumbnail", Value("")), "image", output_field=CharField())
    return Subquery(first.annotate(picture=picture).values("picture")[:1])


def page_query(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """The page's products with their supplier and first image, in one query (their belts are named
    by `prepare`: no join of the belts, which the planner hashed whole for twenty rows)."""
    return (
        queryset.select_related("supplier")
        .defer(*PRODUCT_DEFERRED, *(f"supplier__{name}" for name in SUPPLIER_DEFERRED))
        .annotate(first_picture=_first_picture())
    )


@functools.cache
def _page_statement(using: str, *, priced: bool) -> tuple[str, tuple[Any, ...]]:
    """PostgreSQL: `page_query`'s statement for products by id (`= ANY` of one array, so that the
    text is the same for any page), as plain SQL built once per process from the models' columns
    and the ORM's own expressions: composing the ORM's query took longer than running it (1.1 ms
    against 0.8 for a page of 21). Returns it with its first parameters (the picture's); then come
    the quantity (when `priced`) and the ids."""
    product, supplier = Product._meta.db_table, SupplierProfile._meta.db_table
    query = Product.objects.all().query
    compiler = query.get_compiler(using=using)
    picture, picture_params = compiler.compile(_first_picture().resolve_expression(query))
    price = "NULL"
    if priced:
        price, params = compiler.compile(unit_price_at_expression(0).resolve_expression(query))
        if len(params) != 1:  # (the quantity, and nothing else, is the expression's parameter)
            raise RuntimeError("The price at a quantity's expression changed: update _page_statement.")
    sql = (
        f"SELECT {select_columns(fields_of(Product, deferred=PRODUCT_DEFERRED), product)}, "  # noqa: S608 - ours
        f"{select_columns(fields_of(SupplierProfile, deferred=SUPPLIER_DEFERRED), 'supplier')}, "
        f"{picture}, {price} "
        f'FROM {product} JOIN {supplier} supplier ON supplier."id" = {product}."supplier_id" '
        f'WHERE {product}."id" = ANY (%s)'
    )  # (the models' own tables and columns, the ORM's own expressions: no outside text)
    return sql, tuple(picture_params)


@functools.cache
def _page_readers(using: str) -> tuple[RowReader, RowReader]:
    """The readers of `_page_statement`'s product and supplier columns, made once per process."""
    connection = connections[using]
    return (
        RowReader(Product, fields_of(Product, deferred=PRODUCT_DEFERRED), connection),
        RowReader(SupplierProfile, fields_of(SupplierProfile, deferred=SUPPLIER_DEFERRED), connection),
    )


def products_by_id(ids: list[int], quantity: int | None) -> list[Product]:
    """The products of `ids` (in no order) as `page_query` reads them: supplier, first picture and,
    with a quantity, the price at it; in one statement."""
    using = router.db_for_read(Product)
    connection = connections[using]
    if connection.vendor != "postgresql":
        rows = Product.objects.filter(pk__in=ids)
        if quantity is not None:
            rows = rows.annotate(price_at_quantity=unit_price_at_expression(quantity))
        return list(page_query(rows))
    sql, first_params = _page_statement(using, priced=quantity is not None)
    products_read, suppliers_read = _page_readers(using)
    params = [*first_params, *([quantity] if quantity is not None else []), list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    supplier_field = Product._meta.get_field("supplier")
    count = products_read.width
    end = count + suppliers_read.width
    products = []
    for row in found:
        item: Product = products_read.instance(row[:count], connection)
        supplier_field.set_cached_value(item, suppliers_read.instance(row[count:end], connection))
        item.first_picture = row[end]  # type: ignore[attr-defined]  # as `page_query` annotates it
        if quantity is not None:
            item.price_at_quantity = row[end + 1]  # type: ignore[attr-defined]
        products.append(item)
    return products


def relevance_page(
    candidates: list[dict[str, Any]], *, cursor: str | None, limit: int, quantity: int | None
) -> tuple[list[Product], str | None]:
    """One page of the candidates, best first (relevance, then newest id), after the cursor: they are
    ranked here, by the rank each came with, and only the page is read from the product table."""
    ranking = sorted(((row["relevance"], row["pk"]) for row in candidates), reverse=True)
    if cursor:
        after = tuple(decode_cursor(cursor, "relevance", RELEVANCE_KEYS))
        ranking = [key for key in ranking if key < after]
    page_keys = ranking[: limit + 1]
    relevance = {pk: rank for rank, pk in page_keys[:limit]}
    items = products_in_order(list(relevance), quantity)
    for item in items:
        item.relevance = relevance[item.pk]  # type: ignore[attr-defined]  # shown by the page and the API
    next_cursor = encode_cursor("relevance", list(page_keys[limit - 1])) if len(page_keys) > limit else None
    return items, next_cursor


def products_in_order(ids: list[int], quantity: int | None) -> list[Product]:
    """The page's products in the order of `ids`, with supplier, belt, first image and, with a
    quantity, the price at it, in one query (a product gone meanwhile is left out)."""
    found = {product.pk: product for product in products_by_id(ids, quantity)}
    return [found[pk] for pk in ids if pk in found]


def prepare(items: list[Product], quantity: int | None) -> None:
    """Each item's belt (named: id, slug and names, which the page and the API show), thumbnail and
    prices as shown."""
    belts = belt_refs({item.belt_id for item in items if item.belt_id is not None})
    belt_field = Product._meta.get_field("belt")
    for item in items:
        if item.belt_id in belts:  # (else read when shown, as any relation)
            belt_field.set_cached_value(item, belts[item.belt_id])
        item.thumbnail_url = _thumbnail_url(item)  # type: ignore[attr-defined]  # what the page and the API show
        item.from_price = _shown(item.min_unit_price)  # type: ignore[attr-defined]
        item.price_at_quantity = _shown(item.price_at_quantity) if quantity is not None else None  # type: ignore[attr-defined]


def _shown(price: Decimal | None) -> Decimal | None:
    """A price as people write it: two decimals, more only when they matter (0.0125)."""
    if price is None:
        return None
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price.normalize()


def _thumbnail_url(product: Product) -> str:
    name = getattr(product, "first_picture", "")
    return ProductImage._meta.get_field("thumbnail").storage.url(name) if name else ""
