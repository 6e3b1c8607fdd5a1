"""Product and supplier search: the one interface pages and the API call.

`search_products` and `search_suppliers` take typed filters and answer a page of results, a cursor
for the next page and (for products) facet counts. Only published products of active suppliers,
and only active suppliers, are ever found.

On PostgreSQL the words of the query (segmented like the stored text, see `segment.py`) must all
match the full-text index; ranking is `ts_rank`. When that finds fewer than FUZZY_BELOW results,
latin words are also matched by trigram word similarity on the title (or supplier name), which
forgives misspellings ("backpak"). A query that looks like a SKU also matches `lower(sku)` exactly.
On any other database (the SQLite demo) `text_filter_fallback` stands in: every query word must
be contained in the search text, with the same meaning for Chinese words and latin prefixes.

Prices: with a quantity, the price filter and the price sort use the unit price at that quantity
(`suppliers.pricing.unit_price_at_expression`), and only products that can be ordered in that
quantity (MOQ at most the quantity) are shown. Without a quantity they use the lowest ("from")
unit price, the price a result shows then. `max_price` is in `currency` (CNY by default): only
products priced in that currency are compared, since prices in other currencies are not converted.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length, Lower, Substr
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from marketplace.models import Category, IndustrialBelt
from suppliers.catalog_rules import SKU_PATTERN
from suppliers.models import Product, ProductImage, SupplierProfile
from suppliers.pricing import unit_price_at_expression
from suppliers.search.expressions import TextMatches, TextRank, WordSimilar, similarity_sum, tsquery_text
from suppliers.search.segment import QueryTerm, latin_words, query_terms

SORTS = ("relevance", "price", "newest")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
FUZZY_BELOW = 3
FACET_SAMPLE = 10_000
FACET_LIMIT = 12
_PATH_SEGMENT = Category.PATH_STEP + 1
_MANUFACTURING = [SupplierProfile.BusinessType.MANUFACTURER, SupplierProfile.BusinessType.BOTH]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: a category or belt, and how many results have it."""

    pk: int | None
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    categories: list[FacetValue] = field(default_factory=list)
    belts: list[FacetValue] = field(default_factory=list)
    total: int = 0
    # True when more than FACET_SAMPLE products match: the counts are of the first FACET_SAMPLE.
    approximate: bool = False


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


@dataclass(frozen=True)
class SupplierSearchResult:
    items: list[SupplierProfile]
    next_cursor: str | None


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


# --- Text matching ------------------------------------------------------------------------------


def text_filter_fallback(terms: list[QueryTerm], column: str = "search_text") -> Q:
    """The plain text match for databases without full-text search: every term contained in the text.

    Equivalent to the tsquery: the stored text is space-separated tokens, a Chinese run's characters
    consecutive, so "书 包" in the text is the phrase '书' <-> '包', and " backp" a word beginning so.
    """
    condition = Q()
    for term in terms:
        if term.chinese:
            term_q = _token_contained(column, term.word)
            if len(term.word) > 1:
                term_q |= _token_contained(column, " ".join(term.characters))
        else:
            term_q = Q(**{f"{column}__startswith": term.word}) | Q(**{f"{column}__contains": f" {term.word}"})
        condition &= term_q
    return condition


def _token_contained(column: str, tokens: str) -> Q:
    """The tokens occur as whole tokens in the space-separated text."""
    return (
        Q(**{column: tokens})
        | Q(**{f"{column}__startswith": f"{tokens} "})
        | Q(**{f"{column}__endswith": f" {tokens}"})
        | Q(**{f"{column}__contains": f" {tokens} "})
    )


def _looks_like_sku(query: str) -> bool:
    return bool(SKU_PATTERN.fullmatch(query.strip()))


@dataclass(frozen=True)
class _TextSearch:
    """What a query adds to a queryset: a condition, and a rank to sort by relevance."""

    condition: Q
    rank: Any
    fuzzy: bool


def _product_text_search(queryset: QuerySet[Product], query: str, terms: list[QueryTerm]) -> _TextSearch:
    sku = query.strip().lower() if _looks_like_sku(query) else None
    if not uses_postgres_search():
        condition = text_filter_fallback(terms) if terms else Q(pk__in=[])
        if sku:
            condition |= Q(sku__iexact=sku)
        return _TextSearch(condition, Value(0.0), fuzzy=False)
    if not terms and not sku:
        return _TextSearch(Q(pk__in=[]), Value(0.0), fuzzy=False)
    tsquery = tsquery_text(terms)
    condition = Q(TextMatches(tsquery)) if terms else Q(pk__in=[])
    rank: Any = TextRank(tsquery) if terms else Value(0.0)
    if sku:
        condition |= Q(sku_lower=sku)
        rank = rank + Case(When(sku_lower=sku, then=Value(10.0)), default=Value(0.0))
    fuzzy = False
    words = latin_words(query)
    if words:
        found = queryset.alias(sku_lower=Lower("sku")).filter(condition).order_by().values("pk")[:FUZZY_BELOW]
        if found.count() < FUZZY_BELOW:
            fuzzy_condition = Q()
            for word in words:
                fuzzy_condition &= Q(WordSimilar(word, "title"))
            condition |= fuzzy_condition
            rank = rank + similarity_sum(words, "title")
            fuzzy = True
    return _TextSearch(condition, rank, fuzzy)


# --- Cursors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    """One column of a sort: an annotation or field name, its direction and the type of its values."""

    name: str
    descending: bool
    kind: str  # "float", "decimal", "datetime", "int", "str"


def _encode_cursor(sort: str, values: list[Any]) -> str:
    plain = [str(value) if isinstance(value, Decimal) else value for value in values]
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in plain]
    raw = json.dumps([sort, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, keys: list[_Key]) -> list[Any]:
    invalid = InvalidInput(_("This page link is out of date; the first page is shown."), field="cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error) as error:
        raise invalid from error
    if cursor_sort != sort or not isinstance(values, list) or len(values) != len(keys):
        raise invalid
    parsed: list[Any] = []
    try:
        for key, value in zip(keys, values, strict=True):
            if value is None:
                parsed.append(None)
            elif key.kind == "float" and isinstance(value, int | float):
                parsed.append(float(value))
            elif key.kind == "int" and isinstance(value, int):
                parsed.append(value)
            elif key.kind == "decimal" and isinstance(value, str):
                parsed.append(Decimal(value))
            elif key.kind == "datetime" and isinstance(value, str):
                parsed.append(datetime.fromisoformat(value))
            elif key.kind == "str" and isinstance(value, str):
                parsed.append(value)
            else:
                raise invalid
    except (ValueError, InvalidOperation) as error:
        raise invalid from error
    return parsed


def _after(keys: list[_Key], values: list[Any]) -> Q:
    """Rows after the cursor in the sort order (nulls last in every direction)."""

    def beyond(key: _Key, value: Any) -> Q:
        if value is None:
            return Q(pk__in=[])
        return Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value}) | Q(**{f"{key.name}__isnull": True})

    def equal(key: _Key, value: Any) -> Q:
        return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})

    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= prefix & beyond(key, value)
        prefix &= equal(key, value)
    return condition


def _ordering(keys: list[_Key]) -> list[Any]:
    return [F(key.name).desc(nulls_last=True) if key.descending else F(key.name).asc(nulls_last=True) for key in keys]


def _page(
    queryset: QuerySet[Any], *, sort: str, keys: list[_Key], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    if cursor:
        queryset = queryset.filter(_after(keys, _decode_cursor(cursor, sort, keys)))
    rows = list(queryset.order_by(*_ordering(keys))[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode_cursor(sort, [getattr(last, key.name) for key in keys])


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


# --- Products -----------------------------------------------------------------------------------


def _product_facets(matching: QuerySet[Product], category: Category | None) -> Facets:
    """Counts per category (top level, or the children of the filtered one) and per belt.

    Over at most FACET_SAMPLE matching products, so no count ever runs over the whole table:
    three queries (belts with names, category prefixes, their categories).
    """
    sample = Product.objects.filter(pk__in=matching.order_by().values("pk")[:FACET_SAMPLE])
    belt_rows = list(
        sample.values("belt_id", "belt__name_en", "belt__name_zh").annotate(n=Count("pk")).order_by("-n", "belt_id")
    )
    total = sum(row["n"] for row in belt_rows)
    belts = [
        FacetValue(
            pk=row["belt_id"],
            label=IndustrialBelt(name_en=row["belt__name_en"], name_zh=row["belt__name_zh"]).name,
            count=row["n"],
        )
        for row in belt_rows
        if row["belt_id"] is not None
    ][:FACET_LIMIT]

    prefix_length = (len(category.path) if category else 0) + _PATH_SEGMENT
    category_rows = list(
        sample.annotate(branch=Substr("category__path", 1, prefix_length))
        .filter(branch__regex=r"\.$")
        .alias(branch_length=Length("branch"))
        .filter(branch_length=prefix_length)
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by("-n", "branch")[:FACET_LIMIT]
    )
    by_path = {node.path: node for node in Category.objects.filter(path__in=[row["branch"] for row in category_rows])}
    categories = [
        FacetValue(pk=by_path[row["branch"]].pk, label=by_path[row["branch"]].name, count=row["n"])
        for row in category_rows
        if row["branch"] in by_path
    ]
    return Facets(categories=categories, belts=belts, total=total, approximate=total >= FACET_SAMPLE)


def _with_first_image(queryset: QuerySet[Product]) -> QuerySet[Product]:
    first = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    return queryset.annotate(
        first_thumbnail=Subquery(first.values("thumbnail")[:1]), first_image=Subquery(first.values("image")[:1])
    )


def _shown(price: Decimal | None) -> Decimal | None:
    """A price as people write it: two decimals, more only when they matter (0.0125)."""
    if price is None:
        return None
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price.normalize()


def _thumbnail_url(product: Product) -> str:
    name = getattr(product, "first_thumbnail", "") or getattr(product, "first_image", "")
    return ProductImage._meta.get_field("thumbnail").storage.url(name) if name else ""


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
    Makes a constant number of queries: the page (with supplier, belt and first image), three for
    the facets, and one more for a latin text query (whether to add fuzzy matches).
    """
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort order."), field="sort")
    limit = _limit(limit)
    queryset = Product.objects.published()
    if category is not None:
        queryset = queryset.filter(category_id__in=Category.objects.subtree_of(category).values("pk"))
    if belt is not None:
        queryset = queryset.filter(belt_id=belt.pk)
    if province:
        queryset = queryset.filter(province=province)
    if max_moq is not None:
        queryset = queryset.filter(moq__lte=max_moq)
    if max_lead_time is not None:
        queryset = queryset.filter(lead_time_days__lte=max_lead_time)
    if verified_only:
        queryset = queryset.filter(supplier__verification_status=SupplierProfile.Verification.VERIFIED)
    if manufacturers_only:
        queryset = queryset.filter(supplier__business_type__in=_MANUFACTURING)
    if sample_available:
        queryset = queryset.filter(sample_available=True)
    price_field = "min_unit_price"
    if quantity is not None:
        price_field = "price_at_quantity"
        queryset = queryset.annotate(price_at_quantity=unit_price_at_expression(quantity)).filter(
            moq__lte=quantity, price_at_quantity__isnull=False
        )
    if max_price is not None:
        queryset = queryset.filter(**{f"{price_field}__lte": max_price, "currency_id": currency})

    terms = query_terms(query)
    text = _product_text_search(queryset, query, terms) if query.strip() else None
    if text is not None:
        queryset = queryset.alias(sku_lower=Lower("sku")).filter(text.condition)
    facets = _product_facets(queryset, category) if with_facets else Facets()

    if sort == "price":
        keys = [_Key(price_field, False, "decimal"), _Key("id", False, "int")]
    elif sort == "relevance" and text is not None:
        queryset = queryset.annotate(relevance=text.rank)
        keys = [_Key("relevance", True, "float"), _Key("id", True, "int")]
    else:
        sort = "newest"
        keys = [_Key("created_at", True, "datetime"), _Key("id", True, "int")]
    page = _with_first_image(
        queryset.select_related("supplier", "belt").defer(
            "description",
            "search_text",
            "attributes",
            "supplier__description_en",
            "supplier__description_zh",
            "supplier__search_text",
            "supplier__export_markets",
            "belt__description_en",
            "belt__description_zh",
        )
    )
    items, next_cursor = _page(page, sort=sort, keys=keys, cursor=cursor, limit=limit)
    for item in items:
        item.thumbnail_url = _thumbnail_url(item)
        item.from_price = _shown(item.min_unit_price)
        item.price_at_quantity = _shown(item.price_at_quantity) if quantity is not None else None
    return ProductSearchResult(
        items=items,
        next_cursor=next_cursor,
        facets=facets,
        quantity=quantity,
        sort=sort,
        fuzzy=bool(text and text.fuzzy),
    )


# --- Suppliers ----------------------------------------------------------------------------------


def search_suppliers(
    *,
    query: str = "",
    belt: IndustrialBelt | None = None,
    province: str | None = None,
    category: Category | None = None,
    verified_only: bool = False,
    manufacturers_only: bool = False,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SupplierSearchResult:
    """Active suppliers matching the query (names, descriptions, city, belt, main categories) and filters.

    With a query: best match first; without: verified suppliers first, then by name. Two queries
    at most (a fuzzy check for latin words, the page), with belt loaded.
    """
    limit = _limit(limit)
    queryset = SupplierProfile.objects.listed()
    if belt is not None:
        queryset = queryset.filter(belt_id=belt.pk)
    if province:
        queryset = queryset.filter(province=province)
    if category is not None:
        through = SupplierProfile.main_categories.through
        queryset = queryset.filter(
            Exists(through.objects.filter(supplierprofile_id=OuterRef("pk"), category__path__startswith=category.path))
        )
    if verified_only:
        queryset = queryset.filter(verification_status=SupplierProfile.Verification.VERIFIED)
    if manufacturers_only:
        queryset = queryset.filter(business_type__in=_MANUFACTURING)

    terms = query_terms(query)
    rank: Any = None
    if query.strip():
        if not uses_postgres_search():
            queryset = queryset.filter(text_filter_fallback(terms) if terms else Q(pk__in=[]))
        elif terms:
            tsquery = tsquery_text(terms)
            condition = Q(TextMatches(tsquery))
            rank = TextRank(tsquery)
            words = latin_words(query)
            if words and queryset.filter(condition).order_by().values("pk")[:FUZZY_BELOW].count() < FUZZY_BELOW:
                fuzzy = Q()
                for word in words:
                    fuzzy &= Q(WordSimilar(word, "name"))
                condition |= fuzzy
                rank = rank + similarity_sum(words, "name")
            queryset = queryset.filter(condition)
        else:
            queryset = queryset.none()

    queryset = queryset.select_related("belt").defer("search_text", "belt__description_en", "belt__description_zh")
    if rank is not None:
        queryset = queryset.annotate(relevance=rank)
        sort, keys = "relevance", [_Key("relevance", True, "float"), _Key("id", True, "int")]
    else:
        queryset = queryset.annotate(
            verified_first=Case(
                When(verification_status=SupplierProfile.Verification.VERIFIED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        sort = "name"
        keys = [_Key("verified_first", True, "int"), _Key("name", False, "str"), _Key("id", False, "int")]
    items, next_cursor = _page(queryset, sort=sort, keys=keys, cursor=cursor, limit=limit)
    return SupplierSearchResult(items=items, next_cursor=next_cursor)
