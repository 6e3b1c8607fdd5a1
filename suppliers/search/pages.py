"""The page of a product search: its rows read from the product table with supplier and first image
in one query, its belts named from the process's names, and its prices as shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from suppliers.models import Product, ProductImage
from suppliers.pricing import unit_price_at_expression
from suppliers.search.cursors import SortKey, decode_cursor, encode_cursor
from suppliers.search.facets import belt_refs

RELEVANCE_KEYS = [SortKey("relevance", True, "float"), SortKey("id", True, "int")]


def page_query(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """The page's products with their supplier and first image, in one query (their belts are named
    by `prepare`: no join of the belts, which the planner hashed whole for twenty rows)."""
    first = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    return (
        queryset.select_related("supplier")
        .defer(
            "description",
            "search_text",
            "attributes",
            "supplier__description_en",
            "supplier__description_zh",
            "supplier__search_text",
            "supplier__export_markets",
        )
        .annotate(
            first_thumbnail=Subquery(first.values("thumbnail")[:1]), first_image=Subquery(first.values("image")[:1])
        )
    )


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
    rows = Product.objects.filter(pk__in=ids)
    if quantity is not None:
        rows = rows.annotate(price_at_quantity=unit_price_at_expression(quantity))
    found = {product.pk: product for product in page_query(rows)}
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
    name = getattr(product, "first_thumbnail", "") or getattr(product, "first_image", "")
    return ProductImage._meta.get_field("thumbnail").storage.url(name) if name else ""
