"""Product and supplier search: the one interface pages and the API call.

`search_products` and `search_suppliers` take typed filters and answer a page of results, a cursor
for the next page and (for products) facet counts. Only published products of active suppliers,
and only active suppliers, are ever found.

On PostgreSQL the words of the query (segmented like the stored text, see `segment.py`) must all
match the full-text index of the stored `search_vector`. A search first takes its candidates, the
first CANDIDATES matching products (streaming from an index, never sorting every match), from the
narrow search table of migration 0006, whose vector also holds the filters as tokens;
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
from marketplace.input_values import MAX_ID
from marketplace.models import Category, IndustrialBelt
from suppliers.catalog_rules import SKU_PATTERN
from suppliers.models import Product, ProductImage, ProductSearchRow, SupplierProfile
from suppliers.pricing import unit_price_at_expression
from suppliers.search.expressions import (
    TextMatches,
    TextMatchesExactly,
    TextRank,
    WordSimilar,
    lexeme,
    pairs_are_exact,
    similarity_sum,
    tsquery_text,
)
from suppliers.search.segment import QueryTerm, latin_words, query_terms

SORTS = ("relevance", "price", "newest")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
FUZZY_BELOW = 3
# Relevance ranks, and facets count, at most CANDIDATES matching products: never every match.
CANDIDATES = 300
# A query matching this share of the catalog or more takes the newest candidates (see `_candidates`).
COMMON_SHARE = 0.10
# Walking the search table's newest rows costs several times more per row than the GIN index does
# per match: it pays when the words and filters match WALK_SHARE of the table or more. It reads at
# most WALK_ROWS rows; when the planner's estimate is only above PROBE_SHARE (words and filters that
# go together, 包 in Bags, are estimated as if they did not) it reads PROBE_ROWS rows first. Either
# way, when fewer than CANDIDATES are among them, the GIN index finds the rest.
WALK_SHARE = 0.04
WALK_ROWS = 10_000
PROBE_SHARE = 0.0005
PROBE_ROWS = 3_000
# Planner settings turned off for the statements that take the candidates (see `_candidates` and
# `_search_table_candidates`), with the table's estimated size; then put back.
_STREAMING_OFF = (
    "SELECT (SELECT reltuples FROM pg_class WHERE oid = %s::regclass), "
    "current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true), "
    "current_setting('enable_hashjoin'), set_config('enable_hashjoin', 'off', true), "
    "current_setting('enable_mergejoin'), set_config('enable_mergejoin', 'off', true), "
    "current_setting('jit'), set_config('jit', 'off', true), "
    "current_setting('enable_bitmapscan'), current_setting('enable_sort')"
)
_STREAMING_BACK = (
    "SELECT set_config('enable_seqscan', %s, true), set_config('enable_hashjoin', %s, true), "
    "set_config('enable_mergejoin', %s, true), set_config('jit', %s, true), "
    "set_config('enable_bitmapscan', %s, true), set_config('enable_sort', %s, true)"
)
# Walking the search table's newest index is the only plan left (see `_search_table_candidates`).
_WALK_ONLY = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)"
_INDEX_SCANS_BACK = "SELECT set_config('enable_bitmapscan', %s, true), set_config('enable_sort', %s, true)"
# The search table's cumulative price tokens (migration 0006): '~CNY50' when the lowest unit price
# in CNY is at most 50. A maximum price names the smallest bound at or above it.
PRICE_BOUNDS = tuple(Decimal(f"{mantissa}e{exponent}") for exponent in range(-1, 5) for mantissa in (1, 2, 5))
# Added to the relevance of the product whose SKU the query is: it ranks first.
SKU_BONUS = 10.0
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
    # The words as a tsquery (PostgreSQL, when the query has words): what the search table matches,
    # and what it ranks by (every word of the query).
    tsquery: str | None = None
    ranked: str | None = None
    # The search table's index form of `tsquery` (Chinese character pairs, see `tsquery_text`), and
    # whether it finds exactly the same rows.
    indexed: str | None = None
    exact: bool = True


@dataclass(frozen=True)
class _TextSearch:
    """The ways a query matches, strictest first: whole words; then, while fewer than FUZZY_BELOW
    products match, latin words as prefixes ("waterpr"), then also titles with close words ("backpak")."""

    levels: list[_Level]
    sku: str | None = None


def _unimplied(terms: list[QueryTerm]) -> list[QueryTerm]:
    """The terms without the Chinese words inside a longer Chinese term of the query.

    A Chinese term matches as its word or its characters in a row, and the stored text holds the
    characters of every Chinese run in a row: whatever matches 毛绒玩具 matches 毛绒, 玩具 and 毛.
    """
    longer = [term.word for term in terms if term.chinese]
    return [
        term for term in terms if not (term.chinese and any(term.word in word and term.word != word for word in longer))
    ]


def _product_text_search(query: str, terms: list[QueryTerm]) -> _TextSearch:
    sku = query.strip().lower() if _looks_like_sku(query) else None
    if not uses_postgres_search():
        condition = text_filter_fallback(terms) if terms else Q(pk__in=[])
        if sku:
            condition |= Q(sku__iexact=sku)
        return _TextSearch([_Level(condition, Value(0.0))])
    if not terms and not sku:
        return _TextSearch([_Level(Q(pk__in=[]), Value(0.0))])

    def level(
        tsquery: str,
        ranked: str,
        indexed: str,
        *,
        extra: Q | None = None,
        extra_rank: Any = None,
        fuzzy: bool = False,
    ) -> _Level:
        condition = Q(TextMatches(tsquery)) if terms else Q(pk__in=[])
        rank: Any = TextRank(ranked) if terms else Value(0.0)
        if sku:
            condition |= Q(sku_lower=sku)
            rank = rank + Case(When(sku_lower=sku, then=Value(SKU_BONUS)), default=Value(0.0))
        if extra is not None:
            condition |= extra
            rank = rank + extra_rank
        if not terms:
            return _Level(condition, rank, fuzzy)
        return _Level(condition, rank, fuzzy, tsquery, ranked, indexed, pairs_are_exact(needed))

    # Matching needs only the words no other one implies (毛绒玩具 implies 毛绒 and 玩具): the same
    # rows, and the planner's estimate of the rows is not the product of words that always go together.
    needed = _unimplied(terms)
    whole_words = tsquery_text(needed)
    ranked_words = tsquery_text(terms)
    indexed_words = tsquery_text(needed, pairs=True)
    levels = [level(whole_words, ranked_words, indexed_words)]
    if any(not term.chinese for term in terms):
        prefixes = f"({whole_words}) | ({tsquery_text(needed, prefixes=True)})"
        ranked_prefixes = f"({ranked_words}) | ({tsquery_text(terms, prefixes=True)})"
        indexed_prefixes = f"({indexed_words}) | ({tsquery_text(needed, prefixes=True, pairs=True)})"
        levels.append(level(prefixes, ranked_prefixes, indexed_prefixes))
        words = latin_words(query)
        if words:
            close = Q()
            for word in words:
                close &= Q(WordSimilar(word, "title"))
            levels.append(
                level(
                    prefixes,
                    ranked_prefixes,
                    indexed_prefixes,
                    extra=close,
                    extra_rank=similarity_sum(words, "title"),
                    fuzzy=True,
                )
            )
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


# A price in a cursor with more digits than this was not written by `_encode_cursor` (prices are
# numeric(14, 4)); the database would refuse it.
MAX_CURSOR_DIGITS = 20


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
            elif key.kind == "int" and isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID:
                parsed.append(value)
            elif key.kind == "decimal" and isinstance(value, str):
                number = Decimal(value)
                if not number.is_finite() or abs(number.adjusted()) > MAX_CURSOR_DIGITS:
                    raise invalid
                parsed.append(number)
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


@dataclass(frozen=True)
class _Filters:
    """The filters of a product search, as the search table applies them (see `_search_table_candidates`)."""

    category: Category | None = None
    belt: IndustrialBelt | None = None
    province: str | None = None
    quantity: int | None = None
    max_price: Decimal | None = None
    currency: str = "CNY"
    max_moq: int | None = None
    max_lead_time: int | None = None
    verified_only: bool = False
    manufacturers_only: bool = False
    sample_available: bool = False

    def tokens(self) -> list[str]:
        """The filter tokens of the search table's vector every result must have (migration 0006):
        one more lexeme each in the tsquery, intersected by the GIN index."""
        tokens = []
        if self.category is not None:
            tokens.append(f"~c{self.category.pk}")  # the category and each of its ancestors have one
        if self.belt is not None:
            tokens.append(f"~b{self.belt.pk}")
        if self.province:
            tokens.append(f"~p{self.province}")
        if self.verified_only:
            tokens.append("~v")
        if self.manufacturers_only:
            tokens.append("~m")
        if self.sample_available:
            tokens.append("~s")
        if self.max_price is not None:
            bound = next((bound for bound in PRICE_BOUNDS if bound >= self.max_price), None)
            if bound is not None:  # the lowest price is at most the bound: a necessary condition
                tokens.append(f"~{self.currency}{_plain(bound)}")
        return tokens

    def row_condition(self) -> Q:
        """The filters on the search table's own columns (no join, no price tier)."""
        condition = Q()
        if self.max_moq is not None:
            condition &= Q(moq__lte=self.max_moq)
        if self.max_lead_time is not None:
            condition &= Q(lead_time_days__lte=self.max_lead_time)
        if self.quantity is not None:
            condition &= Q(moq__lte=self.quantity)
        if self.max_price is not None:
            # The lowest price is at most the price at any quantity: a necessary condition, on the row.
            condition &= Q(currency_id=self.currency, min_unit_price__lte=self.max_price)
        return condition


def _plain(number: Decimal) -> str:
    """A decimal as PostgreSQL prints a numeric without trailing zeros: 0.1, 2, 50000."""
    return format(number.normalize(), "f")


def _search_table_candidates(words: _Level, filters: _Filters) -> list[dict[str, Any]]:
    """At most CANDIDATES searchable products matching the words and the filters, from the narrow
    search table (PostgreSQL; migration 0006): id, belt, category and relevance. The product table
    is never read.

    The filters that are tokens of the table's vector join the words in one tsquery, so the GIN
    index intersects them (a common word with a belt reads the belt's entries and skips through the
    word's); Chinese words are matched there by their character pairs. Then, by the share of the
    table the planner estimates to match (a one-table EXPLAIN, against the table's `reltuples`):

    - WALK_SHARE or more: the newest, walking `productsearch_newest` and checking each row, over at
      most WALK_ROWS rows (they lie in creation order, so they are few pages);
    - PROBE_SHARE or more: the same over PROBE_ROWS rows first, and on to WALK_ROWS when the share
      met there says the rest is within them (the planner multiplies the shares of words and filters
      that go together: 包 in Bags is estimated at 2 % of the table for a true 14 %);
    - otherwise, and when a walk met fewer than CANDIDATES, the first the GIN index finds, in table
      order, never sorting every match.

    Sequential scans, hash and merge joins and JIT are off for these statements (`_STREAMING_OFF`).
    """
    assert words.tsquery is not None  # every level of the search table has one
    tokens = filters.tokens()
    tsquery = " & ".join([f"({words.indexed or words.tsquery})", *(lexeme(token) for token in tokens)])
    matching = ProductSearchRow.objects.filter(TextMatches(tsquery)).filter(filters.row_condition())
    estimate = matching
    if not words.exact:
        # Character pairs find a longer word's rows and a few more: the word's own phrase checks each.
        matching = matching.filter(TextMatchesExactly(words.tsquery))
    if filters.quantity is not None:
        # The exact price at the quantity, looked up in the tiers only for rows that passed the rest.
        matching = matching.annotate(price_at_quantity=unit_price_at_expression(filters.quantity))
        if filters.max_price is not None:
            matching = matching.filter(price_at_quantity__lte=filters.max_price)
        else:
            matching = matching.filter(price_at_quantity__isnull=False)
    query = matching.annotate(relevance=TextRank(words.ranked or words.tsquery)).values(
        "pk", "belt_id", "category_id", "relevance"
    )
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_STREAMING_OFF, [ProductSearchRow._meta.db_table])
        (reltuples, *settings) = cursor.fetchone()
        before = [*settings[:8:2], *settings[8:]]
        share = _estimated_rows(estimate) / max(float(reltuples or 1), 1.0)
        rows: list[dict[str, Any]] = []
        newest = query.order_by("-created_at", "-pk")[:CANDIDATES]
        walked = 0
        if share >= PROBE_SHARE:
            cursor.execute(_WALK_ONLY)
            walked = WALK_ROWS if share >= WALK_SHARE else PROBE_ROWS
            rows = _walk_newest(cursor, newest, rows=walked)
            # The share the probe met says whether walking on to WALK_ROWS finds the rest.
            met = len(rows)
            if 0 < met < CANDIDATES and walked < WALK_ROWS and CANDIDATES * walked / met <= WALK_ROWS:
                rows += _walk_newest(cursor, newest[: CANDIDATES - met], rows=WALK_ROWS, skip=walked)
                walked = WALK_ROWS
        # Fewer matches among the newest than the estimate promised (or no walk): the GIN index finds
        # the rest. (Even when the walk may have seen the whole table: statistics can be out of date.)
        if len(rows) < CANDIDATES and walked:
            cursor.execute(_INDEX_SCANS_BACK, before[4:])
        if len(rows) < CANDIDATES:
            known = {row["pk"] for row in rows}
            rows += [row for row in query.order_by()[:CANDIDATES] if row["pk"] not in known]  # type: ignore[misc]
            rows = rows[:CANDIDATES]
        if outer:
            cursor.execute(_STREAMING_BACK, before)
    return rows


def _walk_newest(cursor: Any, query: QuerySet[Any], *, rows: int, skip: int = 0) -> list[dict[str, Any]]:
    """The query's rows among the `rows` newest of the search table (but the `skip` newest), newest first.

    The planner, its estimate of a word within a filter low, would rather sort every match: bitmap
    scans and sorts are off (`_WALK_ONLY`, before), so it walks `productsearch_newest`; and the walk
    stops after `rows` rows whatever it finds, so a word and a filter that seldom meet cost a
    bounded time.
    """
    sql, params = query.query.sql_with_params()
    table = connection.ops.quote_name(ProductSearchRow._meta.db_table)
    window = f"LIMIT {int(rows - skip)} OFFSET {int(skip)}"
    newest = f"(SELECT * FROM {table} ORDER BY created_at DESC, product_id DESC {window}) {table}"  # noqa: S608 - our table, constants
    cursor.execute(sql.replace(f" FROM {table} ", f" FROM {newest} ", 1), params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _candidates(matching: QuerySet[Product], *, words: _Level | None, filtered: bool = False) -> list[dict[str, Any]]:
    """At most CANDIDATES products of `matching` (the filters) that match `words`, from the product
    table: id, belt and category ids, relevance. For searches the search table cannot answer (no
    query words; the trigram level of misspelt words; SQLite). Never a scan of the table, a count or
    a sort of every match:

    - without words, the newest (the planner walks `product_published_newest`, created_at DESC,
      id DESC, partial on published, or starts from a filter's index);
    - when the words alone match a large share of the catalog (COMMON_SHARE or more, as 包 does)
      and there is no other filter, the newest too: PostgreSQL walks the newest index, checking
      each row's stored vector, and stops after a few thousand rows;
    - otherwise the first CANDIDATES that the indexes find, in table order, without sorting.

    With words, sequential scans, hash and merge joins and JIT are off for this one statement
    (`_STREAMING_OFF`): with a LIMIT the planner would otherwise bet on finding matches early in the
    table, or sort or hash every match of a phrase it underestimates.
    """
    fields = ("pk", "belt_id", "category_id", "relevance")  # no join to the small tables: the rows stream
    if words is None or not uses_postgres_search():
        condition, rank = (words.condition, words.rank) if words is not None else (Q(), Value(0.0))
        ordered = matching.filter(condition).annotate(relevance=rank).values(*fields).order_by("-created_at", "-id")
        return list(ordered[:CANDIDATES])
    # Outside a transaction the settings end with this one's COMMIT: no statement puts them back.
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_STREAMING_OFF, [Product._meta.db_table])
        (reltuples, *settings) = cursor.fetchone()
        table_rows = max(float(reltuples or 1), 1.0)  # (-1 before the first ANALYZE)
        before = [*settings[:8:2], *settings[8:]]
        # The share of the catalog the words match, without the other filters (a one-table EXPLAIN).
        words_only = Product.objects.filter(status=Product.Status.PUBLISHED).alias(sku_lower=Lower("sku"))
        query = matching.filter(words.condition).annotate(relevance=words.rank).values(*fields)
        # (Misspelt words match few products by then: no estimate needed, the index finds them.)
        share = 0.0 if filtered or words.fuzzy else _estimated_rows(words_only.filter(words.condition)) / table_rows
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


def _placeholders(values: list[Any]) -> str:
    """An SQL list of one placeholder per value: "(%s, %s)", or "(NULL)", which matches nothing."""
    return "(" + ", ".join(["%s"] * len(values)) + ")" if values else "(NULL)"


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
    belt_ids = [pk for pk, _n in top_belts]
    category_ids = list(category_counts)
    # Plain SQL that SQLite (the demo) runs too: IN lists of placeholders, substr().
    belts_in, categories_in = _placeholders(belt_ids), _placeholders(category_ids)
    sql = (
        "SELECT 'b', id, NULL, name_en, name_zh FROM marketplace_industrialbelt WHERE id IN " + belts_in + " "  # noqa: S608 - placeholders
        "UNION ALL SELECT 'c', branch.id, counted.id, branch.name_en, branch.name_zh "
        "FROM marketplace_category counted "
        "JOIN marketplace_category branch ON branch.path = substr(counted.path, 1, %s) "
        "WHERE counted.id IN " + categories_in + " AND length(branch.path) = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*belt_ids, prefix_length, *category_ids, prefix_length])
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
    (with facets, or for relevance; three to eight statements per matching level tried, settings,
    estimate, walks and index), one for an exact SKU, one for a category subtree, one for facets,
    the page (with supplier, belt and first image).
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

    filters = _Filters(
        category=category,
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
    )
    filtered = filters != _Filters(currency=currency)
    terms = query_terms(query)
    text = _product_text_search(query, terms) if query.strip() else None
    ranked = sort == "relevance" and text is not None
    candidates: list[dict[str, Any]] | None = None
    fuzzy = False

    def text_candidates(level: _Level) -> list[dict[str, Any]]:
        if uses_postgres_search() and level.tsquery is not None and not level.fuzzy:
            return _search_table_candidates(level, filters)
        return _candidates(matching, words=level, filtered=filtered)

    if text is not None:
        matching = queryset.alias(sku_lower=Lower("sku"))
        level = text.levels[0]
        queryset = matching.filter(level.condition)
        sku_rows: list[dict[str, Any]] = []
        if with_facets or ranked:
            if text.sku:
                # The product with this SKU ranks first even when more than CANDIDATES newer ones match its words.
                sku_rows = _candidates(matching.filter(sku_lower=text.sku), words=None)
            # A SKU with digits found exactly: its words find nothing else worth ranking.
            exact_sku = bool(sku_rows) and any(char.isdigit() for char in text.sku or "")
            candidates = [] if exact_sku else text_candidates(level)
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
            candidates = text_candidates(level) if candidates is not None else None
        fuzzy = level.fuzzy
        if candidates is not None and sku_rows:
            relevance = {row["pk"]: row["relevance"] for row in candidates}
            candidates = [row for row in candidates if row["pk"] not in {sku["pk"] for sku in sku_rows}]
            candidates += [{**row, "relevance": SKU_BONUS + relevance.get(row["pk"], 0.0)} for row in sku_rows]
    elif with_facets:
        candidates = _candidates(queryset, words=None)
    facets = _product_facets(candidates, category) if with_facets and candidates is not None else Facets()

    if sort == "price":
        keys = [_Key(price_field, False, "decimal"), _Key("id", False, "int")]
    elif ranked and candidates is not None:
        # Relevance ranks the candidates only (at most CANDIDATES matches), by the rank each came
        # with: ts_rank never runs over every match of a common word. Only the page is read from
        # the product table, with its supplier, belt and image.
        return _relevance_page(candidates, cursor=cursor, limit=limit, quantity=quantity, facets=facets, fuzzy=fuzzy)
    else:
        sort = "newest"
        keys = [_Key("created_at", True, "datetime"), _Key("id", True, "int")]
    items, next_cursor = _page(_page_query(queryset), sort=sort, keys=keys, cursor=cursor, limit=limit)
    _prepare(items, quantity)
    return ProductSearchResult(
        items=items,
        next_cursor=next_cursor,
        facets=facets,
        quantity=quantity,
        sort=sort,
        fuzzy=fuzzy,
    )


_RELEVANCE_KEYS = [_Key("relevance", True, "float"), _Key("id", True, "int")]


def _relevance_page(
    candidates: list[dict[str, Any]],
    *,
    cursor: str | None,
    limit: int,
    quantity: int | None,
    facets: Facets,
    fuzzy: bool,
) -> ProductSearchResult:
    """One page of the candidates, best first (relevance, then newest id), after the cursor."""
    ranking = sorted(((row["relevance"], row["pk"]) for row in candidates), reverse=True)
    if cursor:
        after = tuple(_decode_cursor(cursor, "relevance", _RELEVANCE_KEYS))
        ranking = [key for key in ranking if key < after]
    page_keys = ranking[: limit + 1]
    relevance = {pk: rank for rank, pk in page_keys[:limit]}
    rows = Product.objects.filter(pk__in=list(relevance))
    if quantity is not None:
        rows = rows.annotate(price_at_quantity=unit_price_at_expression(quantity))
    found = {product.pk: product for product in _page_query(rows)}
    items = [found[pk] for _rank, pk in page_keys[:limit] if pk in found]
    for item in items:
        item.relevance = relevance[item.pk]  # type: ignore[attr-defined]  # shown by the page and the API
    _prepare(items, quantity)
    next_cursor = None
    if len(page_keys) > limit:
        next_cursor = _encode_cursor("relevance", list(page_keys[limit - 1]))
    return ProductSearchResult(
        items=items, next_cursor=next_cursor, facets=facets, quantity=quantity, sort="relevance", fuzzy=fuzzy
    )


def _page_query(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """The page's products with their supplier, belt and first image, in one query."""
    return _with_first_image(
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


def _prepare(items: list[Product], quantity: int | None) -> None:
    for item in items:
        # What the page and the API show of each product, set on the instances they render.
        item.thumbnail_url = _thumbnail_url(item)  # type: ignore[attr-defined]
        item.from_price = _shown(item.min_unit_price)  # type: ignore[attr-defined]
        item.price_at_quantity = _shown(item.price_at_quantity) if quantity is not None else None  # type: ignore[attr-defined]


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
