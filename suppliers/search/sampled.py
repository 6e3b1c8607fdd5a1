"""A page of a search with words in a sort order, within a bound the matches themselves give.

A common word can be rare at one end of an order (backpacks among the cheapest products, bags
among the smallest MOQs), so neither walking the sort index (a wide row read per step, most not
matching) nor a fixed window of it (`browse.WINDOWS`: the 400,000 cheapest rows held 21,000
backpacks, each read to sort them) bounds what a page reads. The matches bound it instead:

- any `limit + 1` matches after the cursor are at or before the (limit + 1)-th of them in the
  order, so every row of the page is within that bound (a row comparison on the sort index's
  columns, `(moq, product_id) <= (50, 81234)`, which the index answers as one range even where
  thousands of rows share a value);
- a sample of SAMPLE matches within a bound (the first the GIN index finds, in table order) gives a
  tighter one: about limit / SAMPLE of the matches before it;
- a sample that holds fewer than SAMPLE rows holds every match within its bound: the page is read
  off it.

The first bound comes from the search's candidates when it has them (the newest matches), else from a
first sample. Each narrowing reads at most SAMPLE rows; after NARROWINGS the page is sorted within the
last bound (bitmaps of the words and of the range, then the few rows in both). A bound whose row has
no value (a product without a price: last in the order) leaves the page to the windows.

Figures: docs/search.md, "Sorted pages of common words".
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import Q, QuerySet

from suppliers.search.cursors import SortKey, in_key_order, keyset_rows
from suppliers.search.expressions import RowCompare
from suppliers.search.planner import candidate_plans

SAMPLE = 300
NARROWINGS = 5


def sampled_ids(
    rows: QuerySet[Any],
    keys: list[SortKey],
    *,
    start: list[Any] | None,
    limit: int,
    candidates: list[dict[str, Any]] | None,
    every_match: bool,
    indexed_bound: str | None = None,
) -> list[Any] | None:
    """The ids of the first `limit + 1` rows of `rows` after `start` (a cursor's values) in the order
    of `keys`, or None where a bound cannot be had (the windows answer).

    `candidates`: matches of the same search with every key's value (or None); `every_match`: they
    are all of its matches. `indexed_bound`: for a key no index holds (the price at a quantity), the
    indexed column that is at most it (the lowest price), bounded by the same value.
    """
    if start is not None and start[0] is None:
        return None
    after = rows if start is None else rows.filter(_beyond(keys, start))
    bound = None
    if candidates is not None and all(key.name in row for row in candidates for key in keys):
        pool = _after_start(candidates, keys, start)
        if every_match:
            return [row["pk"] for row in pool[: limit + 1]]
        bound = _bound(pool, keys, limit)
        if bound is None and len(pool) > limit:
            return None  # the (limit + 1)-th candidate has no value
    names = [key.name for key in keys]
    with candidate_plans(rows.model) as plans:
        plans.bitmaps_only()
        for _narrowing in range(NARROWINGS):
            window = after if bound is None else after.filter(_within(keys, bound, indexed_bound))
            sample = _ordered(list(window.order_by().values(*names)[:SAMPLE]), keys)
            if len(sample) < SAMPLE:  # every match within the bound (after the cursor)
                return [row["pk"] for row in sample[: limit + 1]]
            bound = _bound(sample, keys, limit)
            if bound is None:
                return None
        if bound is None:
            return None
        ordered = keyset_rows(
            after.filter(_within(keys, bound, indexed_bound)),
            sort="",
            keys=keys,
            cursor=None,
            limit=limit,
            walkable=False,
        )
        return list(ordered.values_list("pk", flat=True))


def _ordered(rows: list[dict[str, Any]], keys: list[SortKey]) -> list[dict[str, Any]]:
    wrapped = in_key_order(
        [SimpleNamespace(row=row, **{key.name: row[key.name] for key in keys}) for row in rows], keys
    )
    return [item.row for item in wrapped]


def _after_start(rows: list[dict[str, Any]], keys: list[SortKey], start: list[Any] | None) -> list[dict[str, Any]]:
    """`rows` after the cursor's values, in order (the cursor's own row excluded: the keys end with the id)."""
    if start is None:
        return _ordered(rows, keys)
    marker = {key.name: value for key, value in zip(keys, start, strict=True)}
    ordered = _ordered([*rows, marker], keys)  # a stable sort: the cursor's own row stays before the marker
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


def _within(keys: list[SortKey], bound: list[Any], indexed_bound: str | None) -> Q:
    """Rows at or before the bound's values in the order."""
    first = keys[0]
    if first.name in _COLUMNS:
        return Q(RowCompare([key.name for key in keys], ">=" if first.descending else "<=", bound))
    (value, last), second = bound, keys[1]
    condition = Q(**{f"{first.name}__lt": value}) | Q(**{first.name: value, f"{second.name}__lte": last})
    return condition & Q(**{f"{indexed_bound}__lte": value}) if indexed_bound else condition


def _beyond_by_parts(keys: list[SortKey], start: list[Any]) -> Q:
    (value, last), first, second = start, keys[0], keys[1]
    return Q(**{f"{first.name}__gt": value}) | Q(**{first.name: value, f"{second.name}__gt": last})


# The search table's columns a sort index holds (a row comparison on them is one index range).
_COLUMNS = {"created_at", "min_unit_price", "moq", "lead_time_days"}
