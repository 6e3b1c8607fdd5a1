"""Candidates from the narrow search table (PostgreSQL; migration 0006, model `ProductSearchRow`).

One row per product a buyer can find, whose `search_vector` holds the product's words and a token per
filter value (`~b12` belt, `~c5` category and each ancestor, `~phebei` province, `~v` verified, `~m`
manufacturer, `~s` sample, `~CNY50` lowest price at most a bound, `~书包` two Chinese characters in a
row). A search's filters join its words in one tsquery, so the GIN index intersects them (a common
word with a belt reads the belt's entries and skips through the word's), and the product table is
never read.

Figures (`bench/search_bench.py --compare search-table pairs`, 300,000 products, 2 cores at load
5.6-6.2, `--repeat 3`; p95 without ÷ p95 with): candidates from the product table instead 1.58
(chinese-1), 1.88 (chinese-2), 1.45 (chinese-long), 1.61 (english), 0.95 (sku, which the exact SKU
answers); Chinese words by their phrase instead of the pair tokens 1.09 (chinese-2), 1.10
(chinese-long), p50 1.08 and 1.18. (At 1M, p95 21-37 ms per class where the product table took
28-93 ms: bench/README.md.) Leaving the Chinese words a longer query word implies out of the match
did not pay (1.01 for chinese-long) and is gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.lookups import LessThanOrEqual

from marketplace.models import Category, IndustrialBelt
from suppliers.models import ProductSearchRow
from suppliers.pricing import unit_price_at_expression
from suppliers.search.expressions import SortTokensMatch, TextMatches, TextMatchesExactly, TextRank, lexeme
from suppliers.search.kept import Kept
from suppliers.search.newest_walk import NewestEdges, walk_newest
from suppliers.search.planner import candidate_plans, estimated_rows
from suppliers.search.words import Level

# The search table's cumulative price tokens: '~CNY50' when the lowest unit price in CNY is at most
# 50. A maximum price names the smallest bound at or above it.
PRICE_BOUNDS = tuple(Decimal(f"{mantissa}e{exponent}") for exponent in range(-1, 5) for mantissa in (1, 2, 5))


@dataclass(frozen=True)
class ProductFilters:
    """The filters of a product search."""

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
    # The ids of the category and every category under it, read once by the service and checked as
    # a list on each row (a subquery made a walk probe the categories' table once per row it read).
    subtree: tuple[int, ...] = ()
    # The sort tokens every result has (`sampled.bound_tokens`: an MOQ at most the quantity or the
    # maximum MOQ, a lead time at most the maximum, where few rows pass), matched by the GIN index
    # with the words.
    sort_tokens: str | None = None

    def tokens(self, *, of_columns: bool = True) -> list[str]:
        """The filter tokens of the search table's vector every result must have: one more lexeme
        each in the tsquery, intersected by the GIN index. Without `of_columns`, only those of the
        filters the row has no column for (province, verified, manufacturers, samples)."""
        tokens = []
        if self.category is not None and of_columns:
            tokens.append(f"~c{self.category.pk}")  # the category and each of its ancestors have one
        if self.belt is not None and of_columns:
            tokens.append(f"~b{self.belt.pk}")
        if self.province:
            tokens.append(f"~p{self.province}")
        if self.verified_only:
            tokens.append("~v")
        if self.manufacturers_only:
            tokens.append("~m")
        if self.sample_available:
            tokens.append("~s")
        if self.max_price is not None and of_columns:
            bound = next((bound for bound in PRICE_BOUNDS if bound >= self.max_price), None)
            if bound is not None:  # the lowest price is at most the bound: a necessary condition
                tokens.append(f"~{self.currency}{plain_number(bound)}")
        return tokens

    def row_condition(self) -> Q:
        """The filters on the search table's own columns (no join, no price tier).

        Each is written as `column + 0 <= bound`, which no index answers: the columns are checked on
        the rows found otherwise (by the words' GIN index, or in the covering sort index a page
        walks), never by a bitmap of the sort indexes (migration 0012), which for a common bound
        (a price at most 50: 600,000 rows) would cost ten times what it saves.
        """
        condition = Q()
        if self.max_moq is not None:
            condition &= Q(_at_most("moq", self.max_moq))
        if self.max_lead_time is not None:
            condition &= Q(_at_most("lead_time_days", self.max_lead_time))
        if self.quantity is not None:
            condition &= Q(_at_most("moq", self.quantity))
        if self.max_price is not None:
            # The lowest price is at most the price at any quantity: a necessary condition, on the row.
            condition &= Q(currency_id=self.currency) & Q(_at_most("min_unit_price", self.max_price))
        return condition


def _at_most(column: str, bound: Any) -> LessThanOrEqual:
    return LessThanOrEqual(F(column) + Value(0), bound)


def plain_number(number: Decimal) -> str:
    """A decimal as PostgreSQL prints a numeric without trailing zeros: 0.1, 2, 50000."""
    return format(number.normalize(), "f")


class NewestFirst(list[dict[str, Any]]):
    """Candidates that are a search's newest matches, newest first, with none left out between them
    (the walk found them all among the newest rows, or a browse read them in that order): the
    newest order's pages among them are read off them (`browse.newest_page`).

    `newest`: how many of the first are (all, unless a walk met fewer than it wanted and the GIN
    index found the rest, in table order: then the walk's, every match of the rows it walked)."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), *, newest: int | None = None) -> None:
        super().__init__(rows)
        self.newest = len(self) if newest is None else min(newest, len(self))


def _walk_estimate(words_and_tokens: QuerySet[ProductSearchRow], matching: QuerySet[ProductSearchRow]) -> QuerySet[Any]:
    """What the share of the table the candidates' walk is decided on is estimated of: the words and
    filter tokens, not the row conditions (`matching`). The planner guesses a third for each of those
    (`moq + 0 <= 1000`, written so that no index answers it), so with a quantity and a maximum price
    it put 包 at 0.9 % of the table where about 6 % pass, and the candidates read the word's whole
    posting list (27–40 ms at 1M) instead of a few thousand of the newest rows. When the row
    conditions are in fact narrow, the walk meets fewer than it wants within its bound and the
    index finds the rest (`newest_walk`).
    """
    return words_and_tokens


# With a category or belt, an estimated share at least this (and below WALK_SHARE) probes the newest
# rows before the index: the estimate may be far too low (`newest_walk`).
PROBE_ABOVE = 0.002
# The same for several tokens that must all match (`_several_tokens`), whose shares multiplied are
# the further off: 毛绒玩具 estimated at 0.09 % matches 7 % of the table.
PROBE_SEVERAL_ABOVE = 0.0005
# The newest order's first page probes the newest rows from this share (any words, no filter
# needed): where the walk's rows hold the page, it is read off them (`browse.newest_page`), not
# looked for again in a sort index for the newest matches of every month (`sampled`).
PROBE_NEWEST_ABOVE = 0.002
# How long a process keeps the planner's estimate of a search's words and filter tokens (the share
# the walk is decided on): an EXPLAIN of its own each search (0.3-0.7 ms at 1M, and composing it as
# long), for a figure that moves with the table's statistics only. The same words come again as a
# buyer pages, sorts and filters, and a common word from many buyers.
ESTIMATE_SECONDS = 60.0
# By (database alias, tsquery of the words and filter tokens, sort tokens): the estimated rows, at
# most ESTIMATES_KEPT of them (the words are the clients': a process must not grow with them).
ESTIMATES_KEPT = 10_000
_estimates: Kept[tuple[str, str, str | None], float] = Kept(ESTIMATE_SECONDS, most=ESTIMATES_KEPT)


def _several_tokens(words: Level) -> bool:
    """Whether the words are several tokens that must all match (a longer Chinese word's character
    pairs, several words): the planner multiplies their shares as if independent (毛绒玩具: 883
    rows estimated, 71,637 at 1M)."""
    return not words.exact or "&" in (words.indexed or words.tsquery or "")


def search_table_candidates(
    words: Level, filters: ProductFilters, *, limit: int, newest_page: int = 0
) -> list[dict[str, Any]]:
    """At most `limit` searchable products matching the words and the filters: id, belt, category and
    relevance. The newest when the words and filters are common (`newest_walk`); otherwise, and for
    the rest when a walk met too few, the first the GIN index finds, in table order, never sorting
    every match. The price at a quantity is looked up in the tiers only for rows that passed the rest.
    """
    if words.tsquery is None:
        raise ValueError("The search table answers only a query with words.")
    tsquery = " & ".join([f"({words.indexed or words.tsquery})", *(lexeme(token) for token in filters.tokens())])
    estimate = ProductSearchRow.objects.filter(TextMatches(tsquery))
    if filters.sort_tokens is not None:
        estimate = estimate.filter(SortTokensMatch(filters.sort_tokens))
    matching = estimate.filter(filters.row_condition())
    if not words.exact:
        # Character pairs find a longer word's rows and a few more: the word's own phrase checks each.
        matching = matching.filter(TextMatchesExactly(words.tsquery))
    if filters.quantity is not None:
        matching = matching.annotate(price_at_quantity=unit_price_at_expression(filters.quantity))
        if filters.max_price is not None:
            matching = matching.filter(price_at_quantity__lte=filters.max_price)
        else:
            matching = matching.filter(price_at_quantity__isnull=False)
    # With the sort columns: the other orders' pages are bounded by the candidates' values (`sampled`).
    sorts = ["created_at", "min_unit_price", "moq", "lead_time_days"]
    if filters.quantity is not None:
        sorts.append("price_at_quantity")
    query = matching.annotate(relevance=TextRank(words.tsquery)).values(
        "pk", "belt_id", "category_id", "relevance", *sorts
    )
    edges = NewestEdges()
    with candidate_plans(ProductSearchRow, edges.reads()) as plans:
        edges.read(plans)
        estimated = _estimates.read(
            (edges.using, tsquery, filters.sort_tokens), lambda: estimated_rows(_walk_estimate(estimate, matching))
        )
        share = estimated / plans.table_rows
        narrowed = filters.category is not None or filters.belt is not None
        probe = (
            (narrowed and share >= PROBE_ABOVE)
            or (_several_tokens(words) and share >= PROBE_SEVERAL_ABOVE)
            or (newest_page > 0 and share >= PROBE_NEWEST_ABOVE)
        )
        rows, walked = walk_newest(
            query, share=share, limit=limit, plans=plans, edges=edges, probe=probe, page=newest_page
        )
        if walked and len(rows) >= limit:  # the newest `limit` rows of the walk's window: the newest matches
            return NewestFirst(rows[:limit])
        # Fewer matches among the newest than the estimate promised (or no walk): the GIN index finds
        # the rest. (Even when the walk may have seen the whole table: statistics can be out of date.)
        # The walk's rows stay first: every match among the rows it walked, the newest matches.
        if walked:
            plans.index_scans_back()
        known = {row["pk"] for row in rows}
        months = edges.months_after(walked, met=rows, wanted=limit - len(rows)) if walked and newest_page else None
        if months is not None:
            # The newest order's: the next newest matches, from the months' tokens with the words.
            window = query.filter(SortTokensMatch(months)).order_by("-created_at", "-pk")[:limit]
            rows += [row for row in window if row["pk"] not in known][: limit - len(rows)]
            if len(rows) >= limit:
                return NewestFirst(rows)
            known = {row["pk"] for row in rows}
        newest = len(rows)
        rows += [row for row in query.order_by()[:limit] if row["pk"] not in known]
    return NewestFirst(rows[:limit], newest=newest) if walked else rows[:limit]
