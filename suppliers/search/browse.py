"""Pages of a product search in an order other than relevance, from the narrow search table
(PostgreSQL): browsing without words, and every sort of a search with words.

Each sort walks an index in its own order (migration 0012: newest, lowest price, MOQ, lead time on
the search table; the price tiers by price) and stops after the page, checking each row against the
words and filters (the filter tokens of the row's vector, its own columns); a cursor page starts
where the last one ended (`cursors`). Where the words or filters are rare, the planner finds their
few rows by the GIN index and sorts those instead. Either way no page reads or sorts every product.

The price at a quantity is not a column: the walk goes through the price tiers cheapest first, and
a tier counts when it is the one that applies at the quantity (the product's largest `min_quantity`
not above it, the one pricing rule of `suppliers.pricing`) and its product passes the search.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Value

from suppliers.models import PriceTier, Product, ProductSearchRow
from suppliers.pricing import unit_price_at_expression
from suppliers.search.cursors import SortKey, in_key_order, keyset_rows, page_and_cursor
from suppliers.search.expressions import TextMatches, TextMatchesExactly, lexeme
from suppliers.search.pages import page_query
from suppliers.search.search_table import ProductFilters
from suppliers.search.words import Level

SORT_KEYS = {
    "newest": [SortKey("created_at", True, "datetime"), SortKey("pk", True, "int")],
    "price": [SortKey("min_unit_price", False, "decimal", nullable=True), SortKey("pk", False, "int")],
    "moq": [SortKey("moq", False, "int"), SortKey("pk", False, "int")],
    "lead_time": [SortKey("lead_time_days", False, "int"), SortKey("pk", False, "int")],
}
PRICE_AT_QUANTITY_KEYS = [SortKey("unit_price", False, "decimal"), SortKey("product_id", False, "int")]
# The keys' names on the product, which the page is read from (the same values as the rows walked).
PRODUCT_ATTRIBUTES = {"pk": "pk", "unit_price": "price_at_quantity", "product_id": "pk"}


def searchable(words: Level | None) -> bool:
    """Whether the search table can answer these words (not a misspelling's trigram level)."""
    return words is None or (words.tsquery is not None and not words.fuzzy)


def _rows(words: Level | None, filters: ProductFilters, *, price_checked: bool = True) -> QuerySet[ProductSearchRow]:
    """The search table's rows that match the words and pass the filters.

    With a quantity, a row passes only with a price at that quantity (at most the maximum price);
    `price_checked=False` leaves that to the caller (the tier walk, whose tier is that price).
    """
    parts = [f"({words.indexed or words.tsquery})"] if words is not None else []
    parts += [lexeme(token) for token in filters.tokens()]
    rows = ProductSearchRow.objects.all()
    if parts:
        rows = rows.filter(TextMatches(" & ".join(parts)))
    if words is not None and not words.exact:
        rows = rows.filter(TextMatchesExactly(words.tsquery or ""))
    rows = rows.filter(filters.row_condition())
    if price_checked and filters.quantity is not None:
        rows = rows.alias(price_at_quantity=unit_price_at_expression(filters.quantity))
        if filters.max_price is not None:
            rows = rows.filter(price_at_quantity__lte=filters.max_price)
        else:
            rows = rows.filter(price_at_quantity__isnull=False)
    return rows


def table_page(
    words: Level | None, filters: ProductFilters, *, sort: str, cursor: str | None, limit: int
) -> tuple[list[Product], str | None]:
    """One page of products in the order of `sort` ("newest", "price", "moq", "lead_time") after
    `cursor`, and the next page's cursor (None on the last page).

    One statement: the page's ids, walked on the search table (or the tiers), are its subquery.
    """
    if sort == "price" and filters.quantity is not None:
        keys = PRICE_AT_QUANTITY_KEYS
        ids = keyset_rows(_applying_tiers(words, filters), sort=sort, keys=keys, cursor=cursor, limit=limit)
        ids = ids.values("product_id")
    else:
        keys = SORT_KEYS[sort]
        ids = keyset_rows(_rows(words, filters), sort=sort, keys=keys, cursor=cursor, limit=limit).values("pk")
    products = Product.objects.filter(pk__in=ids)
    if filters.quantity is not None:
        products = products.annotate(price_at_quantity=unit_price_at_expression(filters.quantity))
    rows = in_key_order(list(page_query(products)), keys, PRODUCT_ATTRIBUTES)

    def values(row: Product) -> list[Any]:
        return [getattr(row, PRODUCT_ATTRIBUTES.get(key.name, key.name)) for key in keys]

    return page_and_cursor(rows, sort=sort, limit=limit, values=values)


def _applying_tiers(words: Level | None, filters: ProductFilters) -> QuerySet[PriceTier]:
    """The tiers that give the price at the quantity of the products that pass the search."""
    quantity = filters.quantity
    applies = PriceTier.objects.filter(min_quantity__lte=quantity).exclude(
        Exists(
            PriceTier.objects.filter(
                product_id=OuterRef("product_id"), min_quantity__gt=OuterRef("min_quantity"), min_quantity__lte=quantity
            )
        )
    )
    if filters.max_price is not None:
        applies = applies.filter(unit_price__lte=filters.max_price)
    return applies.filter(Exists(_rows(words, filters, price_checked=False).filter(pk=OuterRef("product_id"))))


def browse_candidates(filters: ProductFilters, *, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` products that pass the filters (no words), for the facets of a browse."""
    rows = _rows(None, filters).annotate(relevance=Value(0.0)).values("pk", "belt_id", "category_id", "relevance")
    return [dict(row) for row in rows.order_by("-created_at", "-pk")[:limit]]
