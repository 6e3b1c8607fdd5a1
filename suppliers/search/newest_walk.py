"""Candidates of common words: walk the newest rows of the search table, checking each, within a bound.

When the words and filters match a large share of the table, the GIN index would build a bitmap of
every match (130,000 rows for 包 at 1M products) to keep 300 of them; the newest rows, in creation
order in the table and its index `productsearch_newest`, hold the candidates after a few thousand.
By the planner's estimate of the share matched:

- WALK_SHARE or more: walk at most WALK_ROWS rows;
- PROBE_SHARE or more: walk PROBE_ROWS rows first, and on to WALK_ROWS when the share met there says
  the rest is within them (the planner multiplies the shares of words and filters that go together:
  包 in Bags is estimated at 2 % of the table for a true 14 %);
- below: no walk. A walk that meets fewer than the candidates wanted leaves the rest to the index.

A walk reads a window of the newest rows, bounded by keys: the rows between the `skip`-th and the
`rows`-th newest, whose keys two scalar subqueries read from `productsearch_newest` (an index-only
scan) in the same statement; with bitmap scans and sorts off (`planner.WALK_ONLY`) the planner walks
the index through the window and stops after the LIMIT, however few rows match.

Figures: see docs/search.md, "Figures" (`bench/search_bench.py --compare walk probe`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from suppliers.models import ProductSearchRow
from suppliers.search.planner import CandidatePlans

WALK_SHARE = 0.04
WALK_ROWS = 10_000
PROBE_SHARE = 0.0005
PROBE_ROWS = 3_000
_BEFORE_ANY = Value(datetime.min.replace(tzinfo=UTC))


def walk_newest(query: QuerySet[Any], *, share: float, limit: int, plans: CandidatePlans) -> tuple[list[dict], int]:
    """At most `limit` rows of `query` (on the search table) among its newest, newest first, and how
    many rows were walked (0: the share is too small for a walk)."""
    if share < PROBE_SHARE:
        return [], 0
    plans.walk_only()
    newest = query.order_by("-created_at", "-pk")
    walked = WALK_ROWS if share >= WALK_SHARE else PROBE_ROWS
    rows = list(newest.filter(_window(walked))[:limit])
    # The share the probe met says whether walking on to WALK_ROWS finds the rest.
    met = len(rows)
    if 0 < met < limit and walked < WALK_ROWS and limit * walked / met <= WALK_ROWS:
        rows += newest.filter(_window(WALK_ROWS, skip=walked))[: limit - met]
        walked = WALK_ROWS
    return rows, walked


def _window(rows: int, *, skip: int = 0) -> Q:
    """The search table's rows from the `skip`-th newest (0: the newest) to the `rows`-th, by their keys."""
    newest = ProductSearchRow.objects.order_by("-created_at", "-pk")
    oldest = newest[rows - 1 : rows]
    oldest_at = Coalesce(Subquery(oldest.values("created_at")), _BEFORE_ANY)  # (a table of fewer rows: all)
    window = Q(created_at__gte=oldest_at) & ~Q(created_at=oldest_at, pk__lt=Subquery(oldest.values("pk")))
    if skip:
        walked = newest[skip - 1 : skip]
        walked_at = Coalesce(Subquery(walked.values("created_at")), _BEFORE_ANY)  # (fewer rows: none)
        window &= Q(created_at__lte=walked_at) & ~Q(created_at=walked_at, pk__gte=Subquery(walked.values("pk")))
    return window
