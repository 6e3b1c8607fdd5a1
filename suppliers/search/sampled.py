"""A page of a search with words in a sort order, within a bound the matches themselves give.

A common word can be rare at one end of an order (backpacks among the cheapest products, bags
among the smallest MOQs), so neither walking the sort index (a wide row read per step, most not
matching) nor a fixed window of it (`browse.WINDOWS`: the 400,000 cheapest rows held 21,000
backpacks, each read to sort them) bounds what a page reads. The matches bound it instead:

- any `limit + 1` matches after the cursor are at or before the (limit + 1)-th of them in the
  order, so every row of the page is within that bound (a row comparison on the sort index's
  columns, `(moq, product_id) <= (50, 81234)`, which the index answers as one range even where
  thousands of rows share a value);
- the search table's GIN index also holds sort tokens (migration 0016: `u50` lowest price at most
  50, `q200` MOQ at most 200, `l15` lead time at most 15 days), so the words and a token are
  intersected in one index scan — a few milliseconds, where a B-tree range of the 326,000 rows
  under an MOQ of 300 took 55 ms as a bitmap. Below the least value the pool of known matches
  holds, the token of the bound just under it says whether any match lies there (`_descend`: none
  below the first backpacks' price; where some do, a sample of them is the pool);
- every match up to the token above the bound, when fewer than WIDE_SAMPLE, holds the page; else
  their (limit + 1)-th is a bound about limit / WIDE_SAMPLE of the way through them, and a lower
  token is tried, then the page is sorted within the bound (bitmaps of the words, the token and the
  range, then the few rows in all);
- newest first, the index's month tokens (`n202612`, the month a row was created in, UTC) give
  every match of the cursor's month, then of it and the two before, when they hold a page and are
  fewer than WIDE_SAMPLE (`_newest_by_months`; a sample in table order would be the oldest matches,
  since rows are added in order); denser words are left to the walk through the newest rows;
- past the last token (a price above 1,000,000), a sample of SAMPLE matches within a bound (the
  first the GIN index finds, in table order) gives a tighter one, about limit / SAMPLE of the
  matches before it, and a sample that holds fewer than SAMPLE rows holds every match within its
  bound: the page is read off it.

- by MOQ, a few round values that many rows share (an MOQ of 100: 107,000 rows at 1M), the page
  usually starts within one value: every match before the pool's least value comes from the
  sort token just under it (and the range of values between), and the rest of the page is that
  value's matches walked in id order on the sort index (`_tie_walk`), where a bound found within
  the value's token read every match of it to check the bound's id (包 by MOQ: 8,380 rows, 23 ms).

The first pool is the search's candidates when it has them (the newest matches), else a first
sample. The candidates are a sample of every match, so they also say where a page lies
(`_estimated`): with the planner's estimate of the matches, the value about two pages of matches in,
whose token one GIN scan reads whole — most pages of a common word in one statement where the
descent and the narrowing took three or four (each decoding the word's whole posting list again).
A bound found within a token is checked on the token's rows rather than read as a range of the sort
index (`RowCompare(filtered=True)`): a few thousand rows, where the range held 93,000.

When the candidates are every match, the page is read off them. A bound whose row has no value (a
product without a price: last in the order) leaves the page to the windows.

Figures: docs/search.md, "Sorted pages of common words".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connections, router
from django.db.models import BooleanField, Case, Expression, F, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from marketplace.input_values import MAX_ID
from suppliers.models import PriceTier, ProductSearchRow
from suppliers.search.cursors import SortKey, keyset_rows, nulls_last
from suppliers.search.expressions import RowCompare, SortTokensMatch, lexeme
from suppliers.search.kept import Kept
from suppliers.search.newest_walk import months_back
from suppliers.search.planner import CandidatePlans, candidate_plans, estimated_rows, estimated_share
from suppliers.search.search_table import plain_number

SAMPLE = 300
# Orders of whole numbers many rows share, whose page may be walked within one value (`_tie_walk`),
# and the rows of that value walked at most. MOQs come in a few round values (100, 200, 500...);
# lead times spread over every day, thinner per value: walked the same way, words by lead time at 1M
# took longer (p95 41 → 61-86 ms, alternated), MOQ much less (61-66 → 35-46 ms, then 31).
TIED = ("moq",)
TIE_WALK_ROWS = 2_000
WIDE_SAMPLE = 1000
# By the price at a quantity, a token's rows are sampled this many times wider: each row of the page's
# bounded statement is priced again in the tiers, so reading every match of a token at once (where
# there are fewer than twice WIDE_SAMPLE) pays more than a tighter bound. Alternated with 1 in one
# process at 1M (2026-12-07, p50 ms, five rounds each): at 1,000 units 包 99.4 → 87.9, 书包 103.0 →
# 87.3, backpack 95.3 → 79.5, 保温杯 142.4 → 152.4; 包 at most 50 CNY 114.3 → 90.8; 包 at 100
# units 157.8 → 129.5; 保温杯 at 100 and 书包 at 300 ±1. Without a quantity (by price, MOQ, lead
# time) a wider sample was no better.
PRICED_SAMPLE_FACTOR = 2
NARROWINGS = 5
# Newest first: the months of tokens tried, the cursor's (or the newest row's) and those before it.
MONTHS = (1, 3)
DESCENTS = 3
# The candidates' estimate (`_estimated`): the token expected to hold this many pages, and how many
# tokens up it may go when they hold fewer.
ESTIMATE_FACTOR = 2
TOKEN_STEPS = 3

# The sort tokens of the search table's GIN index: a row holds the cumulative token of every coarse
# bound at or above its value (migration 0016: `u5`, 1-2-5 a decade) and the bucket token of the
# finer bound just at or above it (migration 0018: `bu6`). The finer bounds, as that migration lists
# them; every coarse bound is one of them.
_COARSE = (1, 2, 5)
TOKEN_BOUNDS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "min_unit_price": (
        "u",
        (
            *(
                Decimal(f"{m}e{e}")
                for e in range(-2, 6)
                for m in ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8")
            ),
            Decimal(1_000_000),
        ),
    ),
    "moq": (
        "q",
        (1, 2, 3, 4, 5, 6, 8, *(int(m * 10**e) for e in range(1, 6) for m in (1, 1.5, 2, 3, 4, 5, 6, 8)), 1_000_000),
    ),
    "lead_time_days": (
        "l",
        (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15, 18, 20, 25, 30, 35, 40, 45, 60, 75, 90, 120, 150, 180, 270, 365),
    ),
}
# The coarse bounds, which have cumulative tokens (migration 0016's lists).
COARSE_BOUNDS: dict[str, frozenset[Any]] = {
    "min_unit_price": frozenset([*(Decimal(f"{m}e{e}") for e in range(-2, 6) for m in _COARSE), Decimal(1_000_000)]),
    "moq": frozenset([*(m * 10**e for e in range(6) for m in _COARSE), 1_000_000]),
    "lead_time_days": frozenset((1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 365)),
}


def sampled_ids(
    rows: QuerySet[Any],
    keys: list[SortKey],
    *,
    start: list[Any] | None,
    limit: int,
    candidates: list[dict[str, Any]] | None,
    every_match: bool,
    indexed_bound: str | None = None,
    checked_last: tuple[QuerySet[Any], Expression] | None = None,
) -> list[Any] | None:
    """The ids of the first `limit + 1` rows of `rows` after `start` (a cursor's values) in the order
    of `keys`, or None where a bound cannot be had (the windows answer).

    `candidates`: matches of the same search with every key's value (or None); `every_match`: they
    are all of its matches. `indexed_bound`: for a key no index holds (the price at a quantity), the
    indexed column that is at most it (the lowest price), bounded by the same value. `checked_last`:
    `rows` without a costly test of each row (the words' phrase), and that test — where a bound is
    checked on a token's rows, the bound is tested first and the phrase only on the rows within it.
    """
    if start is not None and start[0] is None:
        return None
    after = rows if start is None else rows.filter(_beyond(keys, start))
    unchecked = None
    if checked_last is not None:
        unchecked = checked_last[0] if start is None else checked_last[0].filter(_beyond(keys, start))
    column = indexed_bound or keys[0].name  # the column of the sort index (and of the sort tokens)
    names = list(dict.fromkeys([*(key.name for key in keys), column]))
    pool = None
    if candidates is not None and all(name in row for row in candidates for name in names):
        pool = _after_start(candidates, keys, start)
        if every_match:
            return [row["pk"] for row in pool[: limit + 1]]
    wide = WIDE_SAMPLE * (PRICED_SAMPLE_FACTOR if indexed_bound is not None else 1)
    with candidate_plans(rows.model) as plans:
        if column in TIED and column == keys[0].name and pool:
            tied = _tie_walk(after, keys, names, pool, start=start, limit=limit, plans=plans)
            if tied is not None:
                return tied
        plans.bitmaps_only(priced=indexed_bound is not None)
        if column == "created_at":
            return _newest_by_months(after, keys, names, start, limit)
        if pool is None:
            pool = _sample(after, names, keys)
            if len(pool) < SAMPLE:  # every match after the cursor
                return [row["pk"] for row in pool[: limit + 1]]
        token: Any = None
        tokened = after
        bound = None
        if column in TOKEN_BOUNDS and candidates is not None:
            estimate = _estimated(
                rows, after, pool, candidates, column=column, names=names, keys=keys, limit=limit, wide=wide
            )
            if estimate.page is not None:
                return estimate.page
            if estimate.tokened is not None:  # (never `or`: a queryset's truth value reads every row)
                token, tokened, bound = estimate.token, estimate.tokened, estimate.bound
        if token is None:
            floor = start[0] if start is not None and column == keys[0].name else None
            lower, pool, page = _descend(after, keys, names, pool, column=column, floor=floor, limit=limit)
            if page is not None:
                return page
            if lower is not None:
                after = after.filter(**{f"{column}__gt": lower})
                unchecked = None if unchecked is None else unchecked.filter(**{f"{column}__gt": lower})
            bound = _bound(pool, keys, limit)
        if column in TOKEN_BOUNDS:
            # Every match up to the sort token above the bound, from the GIN index alone (no range
            # bitmap), when they are few: the page is among them. Else their (limit + 1)-th is a
            # bound about limit / WIDE_SAMPLE of the way through them, and a lower token may hold it.
            for _narrowing in range(NARROWINGS):
                above = next((each for each in TOKEN_BOUNDS[column][1] if bound is not None and each >= bound[0]), None)
                if above is None or (token is not None and above >= token):
                    break
                token, tokened = above, after.filter(_token_match(column, above))
                count, sample = _sample_head(tokened, names, keys, size=wide, head=limit + 1)
                if count < wide:
                    return [row["pk"] for row in sample]
                bound = _bound(sample, keys, limit)
            if token is not None:
                # The token bounds the rows: the range is checked on them, not read from its index.
                if unchecked is not None and checked_last is not None:  # the phrase after the bound
                    tokened, check = unchecked.filter(_token_match(column, token)), checked_last[1]
                    return _sorted_within(tokened, keys, bound, indexed_bound, limit, filtered=True, check=check)
                return _sorted_within(tokened, keys, bound, indexed_bound, limit, filtered=True)
        for _narrowing in range(NARROWINGS):
            if bound is None:
                return None  # the (limit + 1)-th has no value (a product without a price)
            window = after.filter(_within(keys, bound, indexed_bound))
            count, sample = _sample_head(window, names, keys, head=limit + 1)
            if count < SAMPLE:  # every match within the bound (after the cursor)
                return [row["pk"] for row in sample]
            bound = _bound(sample, keys, limit)
        return _sorted_within(after, keys, bound, indexed_bound, limit)


def _tie_walk(
    after: QuerySet[Any],
    keys: list[SortKey],
    names: list[str],
    pool: list[dict[str, Any]],
    *,
    start: list[Any] | None,
    limit: int,
    plans: CandidatePlans,
) -> list[Any] | None:
    """The page where it starts within one value many rows share (an MOQ of 100: 107,000 rows at 1M),
    or None (the bounds answer).

    The pool's least value is at or after the page's first. Every match before it comes from the
    sort token of the bound just under it (one GIN scan) and, where the table has values between
    that bound and the value, from their range of the sort index (when they are fewer than
    WIDE_SAMPLE); the rest of the page
    is the value's own matches in id order, walked on the sort index from the value's first row (or
    the cursor's), at most TIE_WALK_ROWS rows of it. Where a bound found within a token would read
    every match of the value to check the bound's id (包 by MOQ: 8,380 rows, 23 ms), this walks a
    few hundred.
    """
    column = keys[0].name
    values = [row[column] for row in pool if row[column] is not None]
    if not values:
        return None
    value = min(values)
    table = after.model.objects
    below = [bound for bound in TOKEN_BOUNDS[column][1] if bound < value]
    lower: list[dict[str, Any]] = []
    if start is None or start[0] < value:
        parts = [after.filter(_token_match(column, below[-1]))] if below else []
        between = {f"{column}__lt": value, **({f"{column}__gt": below[-1]} if below else {})}
        if table.filter(**between).exists():  # values between the bound and the value: their own range
            parts.append(after.filter(**between))
        for part in parts:
            count, sample = _sample_head(part, names, keys, size=WIDE_SAMPLE, head=limit + 1)
            if count >= WIDE_SAMPLE:
                return None
            lower += sample  # (the first limit + 1 of each part hold the first limit + 1 of all)
        lower = ordered_rows(lower, keys)
        if len(lower) > limit:
            return [row["pk"] for row in lower[: limit + 1]]
    edge = table.filter(**{column: value})
    if start is not None and start[0] == value:
        edge = edge.filter(pk__gt=start[1])
    last = Subquery(edge.order_by("pk").values("pk")[TIE_WALK_ROWS - 1 : TIE_WALK_ROWS])
    window = after.filter(**{column: value}).filter(pk__lte=Coalesce(last, Value(MAX_ID)))
    need = limit + 1 - len(lower)
    plans.walk_only()
    found = list(window.order_by("pk").values_list("pk", flat=True)[:need])
    plans.index_scans_back()
    if len(found) < need:  # the value's matches end within the walk, or are sparse in it
        return None
    return [row["pk"] for row in lower] + found


@dataclass(frozen=True)
class _Estimate:
    """What the token the candidates point at gave: the page, or a bound within a token (or nothing)."""

    page: list[Any] | None = None
    token: Any = None
    tokened: QuerySet[Any] | None = None
    bound: list[Any] | None = None


def _estimated(
    rows: QuerySet[Any],
    after: QuerySet[Any],
    pool: list[dict[str, Any]],
    candidates: list[dict[str, Any]],
    *,
    column: str,
    names: list[str],
    keys: list[SortKey],
    limit: int,
    wide: int,
) -> _Estimate:
    """The page from the sort token the candidates say holds about ESTIMATE_FACTOR pages of matches.

    The candidates (the newest matches) are a sample of every match: where the planner estimates N
    matches and the candidates after the cursor number C, the k-th least value among them is about
    k × N / C matches in — so the token at or above the value of rank ESTIMATE_FACTOR × (limit + 1) ×
    C / N holds a page or two, and one GIN scan reads every match up to it (fewer than `wide`,
    WIDE_SAMPLE or its priced multiple: the page is among them, exactly). Too few (the estimate was
    high): the next token up, at most TOKEN_STEPS of them. `wide` or more: their (limit + 1)-th is a
    bound within the token.
    """
    values = sorted(row[column] for row in pool if row[column] is not None)
    if not values:
        return _Estimate()
    matches = estimated_rows(rows) * len(pool) / max(len(candidates), 1)
    rank = min(len(values), max(1, math.ceil(ESTIMATE_FACTOR * (limit + 1) * len(values) / max(matches, 1.0))))
    bounds = TOKEN_BOUNDS[column][1]
    first = next((index for index, each in enumerate(bounds) if each >= values[rank - 1]), None)
    if first is None:
        return _Estimate()
    for token in bounds[first : first + TOKEN_STEPS]:
        tokened = after.filter(_token_match(column, token))
        count, sample = _sample_head(tokened, names, keys, size=wide, head=limit + 1)
        if count >= wide:
            return _Estimate(token=token, tokened=tokened, bound=_bound(sample, keys, limit))
        if count > limit and _value_at_most(sample[limit], keys[0], token):
            return _Estimate(page=[row["pk"] for row in sample])
    return _Estimate()


# A bound on the MOQ (a quantity's, or a maximum MOQ) or the lead time whose sort token fewer than
# this share of the search table holds is matched by that token in the GIN index, with the words
# (`bound_tokens`).
BOUND_TOKENS_BELOW = 0.5
# Without words, the bound's token alone finds the rows, a bitmap of every row holding it sorted
# afterwards, where a sort index's walk would check each row's column until the page is full: only
# a bound so rare that the walk may read most of the index for it (a lead time of at most 3 days,
# which no product of the 1M catalog has: the walk read all 940,847 rows, 90-190 ms a statement).
BROWSE_TOKENS_BELOW = 0.002
# How long a process keeps the planner's estimate of each such token's share.
SHARES_SECONDS = 300.0
# By (database alias, column, token bound): the planner's estimate of the share at most that bound.
_shares: Kept[tuple[str, str, Any], float] = Kept(SHARES_SECONDS)


def bound_tokens(column: str, bound: Any, *, words: bool = True) -> str | None:
    """The sort tokens (a tsquery) of a value of `column` ("moq" or "lead_time_days") at most the
    least token bound at or above `bound` — a condition every row with a value at most `bound` meets,
    whose value is still checked — where the planner estimates that fewer than BOUND_TOKENS_BELOW of
    the table meet it (BROWSE_TOKENS_BELOW without `words`); else None (or without a bound, or past
    the last token bound).

    Words with a quantity the MOQs of most products exceed, or a short lead time, found their rows by
    the words' GIN index and dropped them one by one: 包 by price at 100 units (MOQ at most 100: 18 %
    of the catalog at 1M) read 102,626 rows of its price tokens to keep 383, in each of three
    statements (0.6-1.2 s a search); 包 within 7 days (1.7 %) read every row of 包 to find none (0.4
    s). The token intersects them in the index. A common bound (1,000 units: 85 %) is left to the
    rows: its token's long posting list would cost the GIN scan more than the check saves.
    """
    if bound is None:
        return None
    above = next((each for each in TOKEN_BOUNDS[column][1] if each >= bound), None)
    if above is None:
        return None
    using = router.db_for_read(ProductSearchRow)
    share = _shares.read(
        (using, column, above),
        lambda: estimated_share(ProductSearchRow.objects.using(using).filter(**{f"{column}__lte": above})),
    )
    return _token_query(column, above) if share < (BOUND_TOKENS_BELOW if words else BROWSE_TOKENS_BELOW) else None


def _token_match(column: str, bound: Any) -> SortTokensMatch:
    """Rows whose value of `column` is at most `bound` (one of its TOKEN_BOUNDS), by their sort tokens."""
    return SortTokensMatch(_token_query(column, bound))


def _token_query(column: str, bound: Any) -> str:
    """The sort tokens (a tsquery) of the rows whose value of `column` is at most `bound` (one of its
    TOKEN_BOUNDS): the cumulative token of the largest coarse bound at most `bound`, and the bucket tokens of the
    finer bounds above it up to `bound` (`'u5' | 'bu6'`: every row at most 6)."""
    prefix, bounds = TOKEN_BOUNDS[column]
    coarse = [each for each in bounds if each in COARSE_BOUNDS[column] and each <= bound]
    start = coarse[-1] if coarse else None
    tokens = [lexeme(f"{prefix}{plain_number(Decimal(start))}")] if start is not None else []
    tokens += [
        lexeme(f"b{prefix}{plain_number(Decimal(each))}")
        for each in bounds
        if (start is None or each > start) and each <= bound
    ]
    return " | ".join(tokens)


def _sorted_within(
    rows: QuerySet[Any],
    keys: list[SortKey],
    bound: list[Any] | None,
    indexed_bound: str | None,
    limit: int,
    *,
    filtered: bool = False,
    check: Expression | None = None,
) -> list[Any] | None:
    """The first `limit + 1` ids of `rows` within the bound, sorted (bitmaps of the indexes, then the
    rows in both; `filtered`: the bound checked on the rows the other conditions find; `check`: a
    test of the rows, made only on those within the bound); None without a bound."""
    if bound is None:
        return None
    within: Any = _within(keys, bound, indexed_bound, filtered=filtered)
    if check is not None:  # (PostgreSQL orders a row's tests by their cost: the cheaper phrase first)
        within = Case(When(within, then=check), default=Value(False), output_field=BooleanField())
    window = rows.filter(within)
    ordered = keyset_rows(window, sort="", keys=keys, cursor=None, limit=limit, walkable=False)
    return list(ordered.values_list("pk", flat=True))


def _newest_by_months(
    after: QuerySet[Any], keys: list[SortKey], names: list[str], start: list[Any] | None, limit: int
) -> list[Any] | None:
    """Newest first: every match created in the month of the cursor (or of the newest row), then in
    it and the months before, from the GIN index's month tokens (`n202612`), when they hold a page
    and fewer than WIDE_SAMPLE (more: the walk through the newest rows finds the page sooner)."""
    if start is not None:
        newest = start[0]
    else:
        newest = after.model.objects.order_by("-created_at").values_list("created_at", flat=True).first()
        if newest is None:
            return []
    try:
        months = months_back(newest, max(MONTHS))
    except (OverflowError, ValueError):  # a cursor at the ends of time (year 1 east of UTC): the windows answer
        return None
    for count in MONTHS:
        tokens = " | ".join(lexeme(month) for month in months[:count])
        matches, sample = _sample_head(
            after.filter(SortTokensMatch(tokens)), names, keys, size=WIDE_SAMPLE, head=limit + 1
        )
        if matches >= WIDE_SAMPLE:
            return None
        if matches > limit:
            return [row["pk"] for row in sample]
    return None


def _sample(rows: QuerySet[Any], names: list[str], keys: list[SortKey], *, size: int = 0) -> list[dict[str, Any]]:
    """At most `size` (SAMPLE) rows, the first the indexes' bitmaps give (table order), in the keys' order."""
    return _sample_head(rows, names, keys, size=size)[1]


def _sample_head(
    rows: QuerySet[Any], names: list[str], keys: list[SortKey], *, size: int = 0, head: int | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows the sample of `size` (SAMPLE) holds (`_sample`), and its first `head` (all) in the
    keys' order: the first `limit + 1` is all a bound or a page reads of a wide sample.

    PostgreSQL sorts the sample and counts it (`SELECT ... FROM (sample) ORDER BY ... LIMIT head`,
    with `count(*) OVER ()`): the rows beyond the head are never sent, made into dicts and sorted in
    Python (2,000 priced rows a sample at 1M). Alternated with the whole sample sorted in Python, in one
    process at 1M (2026-12-07, six rounds, p50 ms): at 1,000 units 保温杯 114.0 → 84.8, 包 71.0 → 54.6,
    书包 66.1 → 56.1, backpack 64.6 → 52.9; 包 at 100 units 110.7 → 92.1; by MOQ 包 33.0 → 28.8, 保温杯
    43.5 → 34.9; 书包 by lead time 55.1 → 41.6; by the lowest price backpack 58.9 → 52.2, 包 28.6 → 24.6.
    """
    if head is not None and keys[0].name == PRICE and not keys[0].descending and PRICE in rows.query.annotations:
        priced = _priced_head(rows, names, keys, size=size, head=head)
        if priced is not None:
            return priced
    sample = rows.order_by().values(*names)[: size or SAMPLE]
    sql, params = sample.query.get_compiler(sample.db).as_sql()
    connection = connections[sample.db]
    quote = connection.ops.quote_name
    order = ", ".join(f"{quote(key.name)} {'DESC' if key.descending else 'ASC'} NULLS LAST" for key in keys)
    limit = "" if head is None else f" LIMIT {int(head)}"
    # The ORM's own statement, quoted key names and a number: nothing a client wrote is in the text.
    statement = f"SELECT sample.*, count(*) OVER () FROM ({sql}) AS sample ORDER BY {order}{limit}"  # noqa: S608
    return _counted(connection, statement, params)


def _counted(connection: Any, statement: str, params: Any) -> tuple[int, list[dict[str, Any]]]:
    """A sample's count (the statement's last column, `count(*) OVER ()` or the like) and its rows as
    dicts of the other columns."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()
        columns = [column.name for column in cursor.description][:-1]
    # Django's own conversions of these values (Decimal(), int()) give what psycopg returned.
    return (found[0][-1] if found else 0), [dict(zip(columns, row, strict=False)) for row in found]


# The price at a quantity (an annotation of the rows, `unit_price_at_expression`), and how many rows
# of a sample `_priced_head` prices first, those of the lowest prices.
PRICE = "price_at_quantity"
PRICED_FIRST = 100


def _priced_head(
    rows: QuerySet[Any], names: list[str], keys: list[SortKey], *, size: int, head: int
) -> tuple[int, list[dict[str, Any]]] | None:
    """`_sample_head` by the price at a quantity, pricing only the rows that may be in the head; None
    where the rows' conditions price each row anyway (a cursor or a maximum price at the quantity).

    The price at a quantity is never below the lowest price (`min_unit_price`). So the PRICED_FIRST
    rows of the lowest prices (at least `head`) are priced first, and their `head`-th price at the
    quantity bounds the head: a row whose lowest price is above it cannot be in it, and only the
    others are priced. Each price is a walk of the tiers' index (about 10 µs a row): 保温杯 at 1,000
    units priced the 2,000 and 1,489 rows of its two samples at 1M, now 100 and 537. Alternated with
    every row priced, in one process at 1M (2026-12-07, six rounds, p50 ms, load 1.8-3.5): 保温杯 at
    1,000 units 101.4 → 80.1, 包 64.9 → 61.1, backpack 58.7 → 56.2, 书包 ±1; 包 at 100 units 99.7 →
    86.6, backpack 28.0 → 23.3.
    """
    unpriced = [name for name in names if name != PRICE]
    if "min_unit_price" not in unpriced or "pk" not in unpriced:
        return None
    sample = rows.order_by().values(*unpriced)[: size or SAMPLE]
    compiler = sample.query.get_compiler(sample.db)
    sql, params = compiler.as_sql()
    price, price_params = compiler.compile(rows.query.annotations[PRICE])
    if PriceTier._meta.db_table in sql:  # the conditions price each row: no row is spared
        return None
    connection = connections[sample.db]
    quote = connection.ops.quote_name
    # The price's expression names the rows' table and primary key column: the sample is named so.
    table, pk = quote(rows.model._meta.db_table), quote(rows.model._meta.pk.column)
    columns = ", ".join(f"{table}.{quote(name)}" for name in unpriced)
    order = ", ".join(f"{quote(key.name)} {'DESC' if key.descending else 'ASC'} NULLS LAST" for key in keys)
    lowest, first = quote("min_unit_price"), quote("pk")
    # The ORM's statement and expression, the models' own names and numbers: no text a client wrote.
    statement = (
        f"WITH sample AS MATERIALIZED (SELECT drawn.*, drawn.{first} AS {pk} FROM ({sql}) AS drawn), "  # noqa: S608
        # (priced after the LIMIT: a price in the sort's own list is looked up for every row)
        f"lowest AS MATERIALIZED (SELECT {columns}, {price} AS {quote(PRICE)} FROM (SELECT * FROM sample "
        f"ORDER BY {lowest} ASC NULLS LAST, {first} ASC LIMIT {max(int(PRICED_FIRST), int(head))}) AS {table}), "
        f"bound AS (SELECT {quote(PRICE)} FROM lowest WHERE {quote(PRICE)} IS NOT NULL "
        f"ORDER BY {quote(PRICE)}, {first} OFFSET {int(head) - 1} LIMIT 1) "
        f"SELECT found.*, (SELECT count(*) FROM sample) FROM (SELECT * FROM lowest UNION ALL "
        f"SELECT {columns}, {price} FROM sample AS {table} WHERE {table}.{first} NOT IN (SELECT {first} FROM lowest) "
        f"AND ({table}.{lowest} <= (SELECT {quote(PRICE)} FROM bound) OR NOT EXISTS (SELECT FROM bound))"
        f") AS found ORDER BY {order} LIMIT {int(head)}"
    )
    return _counted(connection, statement, (*params, *price_params, *price_params))


def _descend(
    after: QuerySet[Any],
    keys: list[SortKey],
    names: list[str],
    pool: list[dict[str, Any]],
    *,
    column: str,
    floor: Any,
    limit: int,
) -> tuple[Any, list[dict[str, Any]], list[Any] | None]:
    """Where the page's range starts: the largest sort-token bound below the pool's least value at or
    below which no match lies (None: not found, or no tokens for this order), the pool (matches
    below it when some were found there), and the page's ids when every match below a bound is
    known and the page lies among them.

    One GIN scan asks whether any match holds the token (a word rare at the cheap end: nothing below
    the first backpacks' price); where some do, a sample of them is the pool, and the search goes
    down again, at most DESCENTS times.
    """
    if column not in TOKEN_BOUNDS:
        return None, pool, None
    bounds = TOKEN_BOUNDS[column][1]
    for _descent in range(DESCENTS):
        values = [row[column] for row in pool if row[column] is not None]
        below = [bound for bound in bounds if values and bound < min(values) and (floor is None or bound >= floor)]
        if not below:
            return None, pool, None
        bound = below[-1]
        sample = _sample(after.filter(_token_match(column, bound)), names, keys)
        if not sample:
            return bound, pool, None
        if len(sample) < SAMPLE:  # every match at or below the bound
            if len(sample) > limit and _value_at_most(sample[limit], keys[0], bound):
                return None, pool, [row["pk"] for row in sample[: limit + 1]]
            known = {row["pk"] for row in sample}
            return None, ordered_rows(sample + [row for row in pool if row["pk"] not in known], keys), None
        pool = sample
    return None, pool, None


def _value_at_most(row: dict[str, Any], key: SortKey, bound: Any) -> bool:
    """The row's first key is at most the bound: every row after it is beyond the bound too."""
    value = row[key.name]
    return value is not None and value <= bound


def ordered_rows(rows: list[dict[str, Any]], keys: list[SortKey]) -> list[dict[str, Any]]:
    """`rows` in the keys' order, as `cursors.in_key_order` sorts objects (nulls last), on the dicts
    themselves: a sample of 1,000 rows wrapped in objects cost a few milliseconds a search."""
    ordered = list(rows)
    for key in reversed(keys):  # stable sorts, least significant key first
        ordered.sort(key=nulls_last(itemgetter(key.name), key), reverse=key.descending)
    return ordered


def _after_start(rows: list[dict[str, Any]], keys: list[SortKey], start: list[Any] | None) -> list[dict[str, Any]]:
    """`rows` after the cursor's values, in order (the cursor's own row excluded: the keys end with the id)."""
    if start is None:
        return ordered_rows(rows, keys)
    marker = {key.name: value for key, value in zip(keys, start, strict=True)}
    ordered = ordered_rows([*rows, marker], keys)  # a stable sort: the cursor's own row stays before the marker
    return ordered[next(i for i, row in enumerate(ordered) if row is marker) + 1 :]


def _bound(ordered: list[dict[str, Any]], keys: list[SortKey], limit: int) -> list[Any] | None:
    """The values of the (limit + 1)-th row, when it has them (None: too few rows, or no value)."""
    if len(ordered) <= limit:
        return None
    values = [ordered[limit][key.name] for key in keys]
    return None if any(value is None for value in values) else values


def _beyond(keys: list[SortKey], start: list[Any]) -> Q:
    """Rows after the cursor's values (which have a first value): a row comparison, or one without a value."""
    first = keys[0]
    if first.name not in _COLUMNS:
        return _beyond_by_parts(keys, start)
    condition = Q(RowCompare([key.name for key in keys], "<" if first.descending else ">", start))
    return condition | Q(**{f"{first.name}__isnull": True}) if first.nullable else condition


def _within(keys: list[SortKey], bound: list[Any], indexed_bound: str | None, *, filtered: bool = False) -> Q:
    """Rows at or before the bound's values in the order (`filtered`: a condition no index answers)."""
    first = keys[0]
    if first.name in _COLUMNS:
        operator = ">=" if first.descending else "<="
        return Q(RowCompare([key.name for key in keys], operator, bound, filtered=filtered))
    (value, last), second = bound, keys[1]
    condition = Q(**{f"{first.name}__lt": value}) | Q(**{first.name: value, f"{second.name}__lte": last})
    if indexed_bound is None:
        return condition
    # The indexed column is at most the value (the lowest price, at most the price at the quantity):
    # a range of its index, or (`filtered`) checked on each row before the price at the quantity.
    at_most = LessThanOrEqual(F(indexed_bound) + Value(0), value) if filtered else Q(**{f"{indexed_bound}__lte": value})
    return Q(at_most) & condition


def _beyond_by_parts(keys: list[SortKey], start: list[Any]) -> Q:
    (value, last), first, second = start, keys[0], keys[1]
    return Q(**{f"{first.name}__gt": value}) | Q(**{first.name: value, f"{second.name}__gt": last})


# The search table's columns a sort index holds (a row comparison on them is one index range).
_COLUMNS = {"created_at", "min_unit_price", "moq", "lead_time_days"}
