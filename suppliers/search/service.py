"""Product and supplier search: the one interface pages and the API call.

`search_products` and `search_suppliers` take typed filters and answer a page of results, a cursor
for the next page and (for products) facet counts. Only published products of active suppliers,
and only active suppliers, are ever found.

On PostgreSQL the words of the query (segmented like the stored text, see `segment.py`) must all
match the full-text index of the stored `search_vector`. A search first takes its candidates, the
first CANDIDATES matching products (streaming from an index, never sorting every match);
relevance (`ts_rank`) ranks them and facets count them, so nothing ranks or counts every match.
When that finds fewer than FUZZY_BELOW results, latin words are also matched by trigram word
similarity on the title (or supplier name), which forgives misspellings ("backpak"). A query that
looks like a SKU also matches `lower(sku)` exactly. On any other database (the SQLite demo)
`text_filter_fallback` stands in: every query word must be contained in the search text, with the
same meaning for Chinese words and latin prefixes.

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
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Lower
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
# Relevance ranks, and facets count, at most CANDIDATES matching products: never every match.
CANDIDATES = 300
# A query matching this share of the catalog or more takes the newest candidates (see `_candidates`).
COMMON_SHARE = 0.10
# Planner settings turned off for the one statement that takes the candidates (see `_candidates`),
# with the table's estimated size; then put back.
_STREAMING_OFF = (
    "SELECT (SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = 'suppliers_product'::regclass), "
    "current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true), "
    "current_setting('enable_hashjoin'), set_config('enable_hashjoin', 'off', true), "
    "current_setting('enable_mergejoin'), set_config('enable_mergejoin', 'off', true), "
    "current_setting('jit'), set_config('jit', 'off', true)"
)
_STREAMING_BACK = (
    "SELECT set_config('enable_seqscan', %s, true), set_config('enable_hashjoin', %s, true), "
    "set_config('enable_mergejoin', %s, true), set_config('jit', %s, true)"
)
FACET_SAMPLE = CANDIDATES  # the former name, for callers that show "more than N"
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
    # True when CANDIDATES or more products match: the counts are of CANDIDATES of them.
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
class _Level:
    """One way of matching the query's words: a condition and its rank."""

    condition: Q
    rank: Any
    fuzzy: bool = False


@dataclass(frozen=True)
class _TextSearch:
    """The ways a query matches, strictest first: whole words; then, while fewer than FUZZY_BELOW
    products match, latin words as prefixes ("waterpr"), then also titles with close words ("backpak")."""

    levels: list[_Level]
    sku: str | None = None


def _product_text_search(query: str, terms: list[QueryTerm]) -> _TextSearch:
    sku = query.strip().lower() if _looks_like_sku(query) else None
    if not uses_postgres_search():
        condition = text_filter_fallback(terms) if terms else Q(pk__in=[])
        if sku:
            condition |= Q(sku__iexact=sku)
        return _TextSearch([_Level(condition, Value(0.0))])
    if not terms and not sku:
        return _TextSearch([_Level(Q(pk__in=[]), Value(0.0))])

    def level(tsquery: str, *, extra: Q | None = None, extra_rank: Any = None, fuzzy: bool = False) -> _Level:
        condition = Q(TextMatches(tsquery)) if terms else Q(pk__in=[])
        rank: Any = TextRank(tsquery) if terms else Value(0.0)
        if sku:
            condition |= Q(sku_lower=sku)
            rank = rank + Case(When(sku_lower=sku, then=Value(10.0)), default=Value(0.0))
        if extra is not None:
            condition |= extra
            rank = rank + extra_rank
        return _Level(condition, rank, fuzzy)

    whole_words = tsquery_text(terms)
    levels = [level(whole_words)]
    if any(not term.chinese for term in terms):
        prefixes = f"({whole_words}) | ({tsquery_text(terms, prefixes=True)})"
        levels.append(level(prefixes))
        words = latin_words(query)
        if words:
            close = Q()
            for word in words:
                close &= Q(WordSimilar(word, "title"))
            levels.append(level(prefixes, extra=close, extra_rank=similarity_sum(words, "title"), fuzzy=True))
    return _TextSearch(levels, sku=sku)


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


def _candidates(matching: QuerySet[Product], *, words: _Level | None, filtered: bool = False) -> list[dict[str, Any]]:
    """At most CANDIDATES products of `matching` (the filters) that match `words`: id, belt and
    category ids. Never a scan of the table, a count or a sort of every match:

    - without words, the newest (the planner walks `product_published_newest`, created_at DESC,
      id DESC, partial on published, or starts from a filter's index);
    - when the words alone match a large share of the catalog (COMMON_SHARE or more, as 包 does)
      and there is no other filter, the newest too: PostgreSQL walks the newest index, checking
      each row's stored vector, and stops after a few thousand rows;
    - otherwise the first CANDIDATES that the GIN index of the stored vector (with the filters'
      indexes) finds, in table order: walking newest-first would read CANDIDATES / share rows and
      sorting would read every match (filters such as a belt correlate with the words, so the
      planner's estimates of how many rows a sort would take are far too low).

    With words, sequential scans, hash and merge joins (and JIT compilation, which costs more than such
    a statement) are off for this one statement (`_STREAMING_OFF`):
    with a LIMIT the planner would otherwise bet on finding matches early in the table, or, its
    estimate of a phrase being low, sort or hash every match before joining the small tables; with
    nested loops the rows stream and the statement stops at CANDIDATES.
    """
    fields = ("pk", "belt_id", "category_id")  # no join to the small tables: the rows stream
    if words is None or not uses_postgres_search():
        condition = words.condition if words is not None else Q()
        return list(matching.filter(condition).values(*fields).order_by("-created_at", "-id")[:CANDIDATES])
    # Outside a transaction the settings end with this one's COMMIT: no statement puts them back.
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_STREAMING_OFF)
        (table_rows, *settings) = cursor.fetchone()
        before = settings[::2]
        # The share of the catalog the words match, without the other filters (a one-table EXPLAIN).
        words_only = Product.objects.filter(status=Product.Status.PUBLISHED).alias(sku_lower=Lower("sku"))
        query = matching.filter(words.condition).values(*fields)
        share = 0.0 if filtered else _estimated_rows(words_only.filter(words.condition)) / float(table_rows or 1)
        query = query.order_by("-created_at", "-id") if not filtered and share >= COMMON_SHARE else query.order_by()
        rows = list(query[:CANDIDATES])
        # Put back at once: inside an outer transaction a local setting would last until it ends.
        if outer:
            cursor.execute(_STREAMING_BACK, before)
    return rows


def _estimated_rows(queryset: QuerySet[Any]) -> float:
    """The planner's estimate of the rows a query answers (an EXPLAIN: nothing is run)."""
    explained = queryset.order_by().values("pk").explain(format="json")
    if not explained:  # a condition that can match nothing (the query had no words): no SQL is run
        return 0.0
    return float(json.loads(explained)[0]["Plan"]["Plan Rows"])


def _product_facets(candidates: list[dict[str, Any]], category: Category | None) -> Facets:
    """Counts per category (top level, or the children of the filtered one) and per belt, over the
    candidates (at most CANDIDATES matches): `approximate` when there may be more.

    One small query: the belts counted, and each candidate category with its branch at the level shown.
    """
    belt_counts = Counter(row["belt_id"] for row in candidates if row["belt_id"] is not None)
    top_belts = sorted(belt_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    category_counts = Counter(row["category_id"] for row in candidates)
    total = len(candidates)
    if not top_belts and not category_counts:
        return Facets(total=total, approximate=total >= CANDIDATES)
    prefix_length = (len(category.path) if category else 0) + _PATH_SEGMENT
    sql = (
        "SELECT 'b', id, NULL, name_en, name_zh FROM marketplace_industrialbelt WHERE id = ANY(%s) "
        "UNION ALL SELECT 'c', branch.id, counted.id, branch.name_en, branch.name_zh "
        "FROM marketplace_category counted JOIN marketplace_category branch ON branch.path = left(counted.path, %s) "
        "WHERE counted.id = ANY(%s) AND length(branch.path) = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[pk for pk, _n in top_belts], prefix_length, list(category_counts), prefix_length])
        rows = cursor.fetchall()
    names: dict[int, str] = {}
    branch_counts: Counter[int] = Counter()
    branch_names: dict[int, str] = {}
    for kind, pk, counted, name_en, name_zh in rows:
        label = IndustrialBelt(name_en=name_en, name_zh=name_zh).name
        if kind == "b":
            names[pk] = label
        else:
            branch_names[pk] = label
            branch_counts[pk] += category_counts[counted]
    belts = [FacetValue(pk=pk, label=names[pk], count=count) for pk, count in top_belts if pk in names]
    branches = sorted(branch_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    categories = [FacetValue(pk=pk, label=branch_names[pk], count=count) for pk, count in branches]
    return Facets(categories=categories, belts=belts, total=total, approximate=total >= CANDIDATES)


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
    Makes a constant number of queries for a given search (see docs/search.md): the candidates
    (with facets, or for relevance; four statements per matching level tried, one fewer outside a
    transaction), one for an exact SKU, one for a category subtree, one for facets, the page (with
    supplier, belt and first image).
    """
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort order."), field="sort")
    limit = _limit(limit)
    queryset = Product.objects.published()
    if category is not None:
        # The subtree's ids as a list: a subquery here makes the planner loop over the categories.
        subtree = list(Category.objects.subtree_of(category).values_list("pk", flat=True))
        queryset = queryset.filter(category_id__in=subtree)
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
        queryset = queryset.annotate(price_at_quantity=unit_price_at_expression(quantity)).filter(moq__lte=quantity)
        if max_price is None:  # (a maximum price excludes products without a price at the quantity anyway)
            queryset = queryset.filter(price_at_quantity__isnull=False)
    if max_price is not None:
        queryset = queryset.filter(**{f"{price_field}__lte": max_price, "currency_id": currency})

    filtered = bool(category or belt or province or quantity or max_price is not None or max_moq or max_lead_time) or (
        verified_only or manufacturers_only or sample_available
    )
    terms = query_terms(query)
    text = _product_text_search(query, terms) if query.strip() else None
    ranked = sort == "relevance" and text is not None
    candidates: list[dict[str, Any]] | None = None
    fuzzy = False
    if text is not None:
        matching = queryset.alias(sku_lower=Lower("sku"))
        level = text.levels[0]
        queryset = matching.filter(level.condition)
        sku_rows: list[dict[str, Any]] = []
        if with_facets or ranked:
            if text.sku:
                # The product with this SKU ranks first even when more than CANDIDATES newer ones match its words.
                sku_rows = _candidates(matching.filter(sku_lower=text.sku), words=None)
            if sku_rows and any(char.isdigit() for char in text.sku or ""):
                candidates = []  # a SKU with digits found exactly: its words find nothing else worth ranking
            else:
                candidates = _candidates(matching, words=level, filtered=filtered)
        for looser in text.levels[1:]:
            # Fewer than FUZZY_BELOW products match (and it is no SKU found exactly): match more loosely.
            if sku_rows:
                break
            if candidates is not None:
                if len(candidates) >= FUZZY_BELOW:
                    break
            elif queryset.order_by().values("pk")[:FUZZY_BELOW].count() >= FUZZY_BELOW:
                break
            level = looser
            queryset = matching.filter(level.condition)
            candidates = _candidates(matching, words=level, filtered=filtered) if candidates is not None else None
        fuzzy = level.fuzzy
        if candidates is not None:
            known = {row["pk"] for row in candidates}
            candidates += [row for row in sku_rows if row["pk"] not in known]
    elif with_facets:
        candidates = _candidates(queryset, words=None)
    facets = _product_facets(candidates, category) if with_facets and candidates is not None else Facets()

    if sort == "price":
        keys = [_Key(price_field, False, "decimal"), _Key("id", False, "int")]
    elif ranked and text is not None and candidates is not None:
        # Relevance ranks the candidates only (at most CANDIDATES matches): ts_rank never runs over
        # every match of a common word. An inner query ranks them by primary key and keeps one page;
        # only that page is joined to its supplier, belt and image.
        keys = [_Key("relevance", True, "float"), _Key("id", True, "int")]
        rank = level.rank
        ranking = (
            Product.objects.filter(pk__in=[row["pk"] for row in candidates])
            .alias(sku_lower=Lower("sku"))
            .annotate(relevance=rank)
        )
        if cursor:
            ranking = ranking.filter(_after(keys, _decode_cursor(cursor, sort, keys)))
            cursor = None
        ranking = ranking.order_by(*_ordering(keys)).values("pk")[: limit + 1]
        queryset = Product.objects.filter(pk__in=ranking).alias(sku_lower=Lower("sku")).annotate(relevance=rank)
        if quantity is not None:
            queryset = queryset.annotate(price_at_quantity=unit_price_at_expression(quantity))
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
        fuzzy=fuzzy,
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
