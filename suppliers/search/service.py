"""Product and supplier search: the one interface pages and the API call.

`search_products` and `search_suppliers` take typed filters and answer a page of results, a cursor
for the next page and (for products) facet counts. Only published products of active suppliers,
and only active suppliers, are ever found.

A product search with words takes at most CANDIDATES matching products first (`search_table`, or
`product_candidates` for what the search table cannot answer), trying the levels of `words` strictest
first while fewer than FUZZY_BELOW match; relevance ranks the candidates and facets count them, so
nothing ranks or counts every match. The price and newest sorts page through the product table
(`cursors`), as does a search without words.

Prices: with a quantity, the price filter and the price sort use the unit price at that quantity
(`suppliers.pricing.unit_price_at_expression`), and only products that can be ordered in that
quantity (MOQ at most the quantity) are shown. Without a quantity they use the lowest ("from")
unit price, the price a result shows then. `max_price` is in `currency` (CNY by default): only
products priced in that currency are compared, since prices in other currencies are not converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from marketplace.models import Category, IndustrialBelt
from suppliers.models import Product, SupplierProfile
from suppliers.pricing import unit_price_at_expression
from suppliers.search.browse import browse_candidates, newest_page, searchable, table_page
from suppliers.search.cursors import DEFAULT_LIMIT, MAX_LIMIT, SortKey, keyset_page, page_size
from suppliers.search.facets import Facets, FacetValue, category_subtree, product_facets
from suppliers.search.pages import page_query, prepare, relevance_page
from suppliers.search.product_candidates import product_candidates
from suppliers.search.sampled import bound_tokens
from suppliers.search.search_table import NewestFirst, ProductFilters, search_table_candidates
from suppliers.search.segment import query_terms
from suppliers.search.supplier_search import MANUFACTURING, SupplierSearchResult, search_suppliers
from suppliers.search.words import (
    FUZZY_BELOW,
    SKU_BONUS,
    Level,
    product_text_search,
    uses_postgres_search,
)

# The interface: what pages, the API and other apps import from here.
__all__ = [
    "MAX_LIMIT",
    "SORTS",
    "FacetValue",
    "Facets",
    "ProductSearchResult",
    "SupplierSearchResult",
    "search_products",
    "search_suppliers",
]

SORTS = ("relevance", "price", "newest", "moq", "lead_time")
# Relevance ranks, and facets count, at most CANDIDATES matching products: never every match.
CANDIDATES = 300


@dataclass(frozen=True)
class ProductSearchResult:
    """A page of products. Each item has `supplier`, `belt`, `thumbnail_url`, `from_price` and,
    with a quantity, `price_at_quantity` loaded."""

    items: list[Product]
    next_cursor: str | None
    facets: Facets
    quantity: int | None
    sort: str
    fuzzy: bool = False
    # The query as searched when misspelt words were corrected ("plsuh toy" → "plush toy").
    corrected_query: str | None = None
    # Set on the last page of a relevance ranking that stopped at the candidates' cap: these were
    # the best CANDIDATES matches of more, and the other orders (newest, price...) page through all.
    # And on every page of titles like a misspelling sorted otherwise, with more such titles than
    # the candidates: the pages are sorted among the first CANDIDATES of them.
    best_of: int | None = None


def _sort_tokens(query: str, quantity: int | None, max_moq: int | None, max_lead_time: int | None) -> str | None:
    """The sort tokens every result has, where they narrow the words' rows (`sampled.bound_tokens`:
    the MOQ at most the quantity or maximum MOQ, the lead time at most the maximum): the search
    table's GIN index matches them with the words. Without words, only a bound so rare that a sort
    index's walk would read most of the index to find its rows (BROWSE_TOKENS_BELOW)."""
    if not uses_postgres_search():
        return None
    words = bool(query.strip())
    moqs = [bound for bound in (quantity, max_moq) if bound is not None]
    tokens = [
        bound_tokens("moq", min(moqs) if moqs else None, words=words),
        bound_tokens("lead_time_days", max_lead_time, words=words),
    ]
    found = [f"({each})" for each in tokens if each is not None]
    return " & ".join(found) if found else None


def _price_field(filters: ProductFilters) -> str:
    """The price the product table's filter and order use: at the quantity, or the lowest."""
    return "price_at_quantity" if filters.quantity is not None else "min_unit_price"


def _filtered_products(filters: ProductFilters) -> QuerySet[Product]:
    """The published products that pass the filters, on the product table."""
    queryset = Product.objects.published()
    if filters.category is not None:
        queryset = queryset.filter(category_id__in=filters.subtree)
    if filters.belt is not None:
        queryset = queryset.filter(belt_id=filters.belt.pk)
    if filters.province:
        queryset = queryset.filter(province=filters.province)
    if filters.max_moq is not None:
        queryset = queryset.filter(moq__lte=filters.max_moq)
    if filters.max_lead_time is not None:
        queryset = queryset.filter(lead_time_days__lte=filters.max_lead_time)
    if filters.verified_only:
        queryset = queryset.filter(supplier__verification_status=SupplierProfile.Verification.VERIFIED)
    if filters.manufacturers_only:
        queryset = queryset.filter(supplier__business_type__in=MANUFACTURING)
    if filters.sample_available:
        queryset = queryset.filter(sample_available=True)
    price_field = _price_field(filters)
    if filters.quantity is not None:
        queryset = queryset.annotate(price_at_quantity=unit_price_at_expression(filters.quantity))
        queryset = queryset.filter(moq__lte=filters.quantity)
        if filters.max_price is None:  # (a maximum price excludes products without a price at the quantity anyway)
            queryset = queryset.filter(price_at_quantity__isnull=False)
    if filters.max_price is not None:
        queryset = queryset.filter(**{f"{price_field}__lte": filters.max_price, "currency_id": filters.currency})
    return queryset


def search_products(
    *,
    query: str = "",
    category: Category | None = None,
    belt: IndustrialBelt | None = None,
    province: str | None = None,
    quantity: int | None = None,
    max_price: Decimal | None = None,
    currency: str = "CNY",
    max_moq: int | None = None,
    max_lead_time: int | None = None,
    verified_only: bool = False,
    manufacturers_only: bool = False,
    sample_available: bool = False,
    sort: str = "relevance",
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    with_facets: bool = True,
) -> ProductSearchResult:
    """Published products of active suppliers matching the query and every filter given.

    Raises InvalidInput for an unknown sort or a cursor that is malformed or from another sort.
    Makes a constant number of queries for a given search (see docs/search.md): the candidates
    (of any words, or with facets; settings, estimate, walks and index per matching level tried),
    one for an exact SKU, one for a category subtree, one for facets, the page (with supplier, belt
    and first image).
    """
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort order."), field="sort")
    limit = page_size(limit)
    # The subtree's ids as a list: a subquery makes the planner loop over the categories.
    subtree = category_subtree(category) if category is not None else ()
    filters = ProductFilters(
        category=category,
        subtree=subtree,
        belt=belt,
        province=province or None,
        quantity=quantity,
        max_price=max_price,
        currency=currency,
        max_moq=max_moq,
        max_lead_time=max_lead_time,
        verified_only=verified_only,
        manufacturers_only=manufacturers_only,
        sample_available=sample_available,
        sort_tokens=_sort_tokens(query, quantity, max_moq, max_lead_time),
    )
    # The product table's matches: only where the search table does not answer (a browse need not build it).
    queryset: QuerySet[Product] | None = None
    ranked = sort == "relevance" and bool(query.strip())
    best_of: int | None = None
    candidates: list[dict[str, Any]] | None = None
    words: Level | None = None
    if query.strip():
        # The newest order's first page may be read off the candidates' walk (`newest_page`).
        first_newest = limit + 1 if sort == "newest" and not cursor else 0
        queryset, words, candidates = _text_candidates(
            query, _filtered_products(filters), filters, first_newest=first_newest
        )
    elif with_facets:
        candidates = (
            browse_candidates(filters, limit=CANDIDATES)
            if uses_postgres_search()
            else product_candidates(_filtered_products(filters), words=None, limit=CANDIDATES)
        )
    facets = (
        product_facets(candidates, category, cap=CANDIDATES) if with_facets and candidates is not None else Facets()
    )

    if ranked and candidates is not None:
        # Relevance ranks the candidates only (at most CANDIDATES matches): ts_rank never runs over
        # every match of a common word.
        items, next_cursor = relevance_page(candidates, cursor=cursor, limit=limit, quantity=quantity)
        sort = "relevance"
        best_of = CANDIDATES if next_cursor is None and len(candidates) >= CANDIDATES else None
    else:
        sort = "newest" if sort == "relevance" else sort
        every_match = candidates is not None and len(candidates) < CANDIDATES
        newest = (
            newest_page(candidates, filters, cursor=cursor, limit=limit, every_match=every_match)
            if sort == "newest" and isinstance(candidates, NewestFirst)
            else None
        )
        if newest is not None:
            items, next_cursor = newest
        elif uses_postgres_search() and searchable(words):
            # Every other order walks an index of the search table (`browse`).
            items, next_cursor = table_page(
                words, filters, sort=sort, cursor=cursor, limit=limit, few_matches=every_match, candidates=candidates
            )
        else:
            queryset = _filtered_products(filters) if queryset is None else queryset
            if candidates is not None and words is not None and words.fuzzy:
                # Titles like the words (a misspelling's looser level): the page is read among the
                # candidates, not by testing each product, in the sort's order, for titles like the
                # words until it is full ("' OR 1=1 --" newest at 100 units: 2.9 s at 1M, where every
                # match is a candidate; "schoolbackpack" by price 1.0 s, where more titles are like it).
                # Where they are not every match, the result says it was sorted among them.
                queryset = queryset.filter(pk__in=[row["pk"] for row in candidates])
                best_of = None if every_match else CANDIDATES
            keys = _PRODUCT_TABLE_KEYS[sort] if sort != "price" else _price_keys(_price_field(filters))
            items, next_cursor = keyset_page(page_query(queryset), sort=sort, keys=keys, cursor=cursor, limit=limit)
    prepare(items, quantity)
    return ProductSearchResult(
        items=items,
        next_cursor=next_cursor,
        facets=facets,
        quantity=quantity,
        sort=sort,
        fuzzy=words is not None and (words.fuzzy or words.corrected is not None),
        corrected_query=words.corrected if words is not None else None,
        best_of=best_of,
    )


def _enough(level: Level, candidates: list[dict[str, Any]]) -> bool:
    """Whether the level found enough not to try a looser one: FUZZY_BELOW products, or any for the
    corrected words (the title match after them does not include them)."""
    return len(candidates) >= (1 if level.corrected is not None else FUZZY_BELOW)


# The other orders on the product table, where there is no search table (SQLite) or the words are
# a misspelling's trigrams.
_PRODUCT_TABLE_KEYS = {
    "newest": [SortKey("created_at", True, "datetime"), SortKey("id", True, "int")],
    "moq": [SortKey("moq", False, "int"), SortKey("id", False, "int")],
    "lead_time": [SortKey("lead_time_days", False, "int"), SortKey("id", False, "int")],
}


def _price_keys(price_field: str) -> list[SortKey]:
    # The lowest price may be missing (a product without tiers); the price at a quantity is then filtered out.
    nullable = price_field == "min_unit_price"
    return [SortKey(price_field, False, "decimal", nullable=nullable), SortKey("id", False, "int")]


def _text_candidates(
    query: str, queryset: QuerySet[Product], filters: ProductFilters, *, first_newest: int = 0
) -> tuple[QuerySet[Product], Level, list[dict[str, Any]]]:
    """The products matching the query's words: the product table's queryset (for the other sorts
    where the search table cannot answer), the level of the words that matched (fuzzy, corrected or
    neither) and its candidates.

    The levels of `words` are tried strictest first while fewer than FUZZY_BELOW products match. The
    product whose SKU the query is ranks first even when more than CANDIDATES newer ones match its
    words; a SKU with digits found exactly is the whole answer. `first_newest`: the rows of the
    newest order's first page (and one), which the candidates' walk looks for first (0: another order
    or page).

    The candidates are read for every search with words, a page without facets (the search page's
    "More products") too: whether a level found enough was counted on the product table there, and
    for words no product holds the planner guessed 1.4 % of the table and scanned all of it for
    three ("schoolbackpack": two such counts, 2.6 and 2.9 s at 1M, before the looser levels).
    """
    text = product_text_search(query, query_terms(query))
    matching = queryset.alias(sku_lower=Lower("sku"))

    def candidates_of(level: Level) -> list[dict[str, Any]]:
        if uses_postgres_search() and level.tsquery is not None and not level.fuzzy:
            return search_table_candidates(level, filters, limit=CANDIDATES, newest_page=first_newest)
        return product_candidates(matching, words=level, limit=CANDIDATES)

    level = text.first
    sku_rows: list[dict[str, Any]] = []
    if text.sku:
        sku_rows = product_candidates(matching.filter(sku_lower=text.sku), words=None, limit=CANDIDATES)
    exact_sku = bool(sku_rows) and any(char.isdigit() for char in text.sku or "")
    candidates = [] if exact_sku else candidates_of(level)
    looser_levels = text.looser_levels()
    while not sku_rows and not _enough(level, candidates):
        looser = next(looser_levels, None)
        if looser is None:
            break
        level = looser
        candidates = candidates_of(level)
    if sku_rows:
        relevance = {row["pk"]: row["relevance"] for row in candidates}
        skus = {row["pk"] for row in sku_rows}
        candidates = [row for row in candidates if row["pk"] not in skus]
        candidates += [{**row, "relevance": SKU_BONUS + relevance.get(row["pk"], 0.0)} for row in sku_rows]
    return matching.filter(level.condition), level, candidates
