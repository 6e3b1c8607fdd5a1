"""Candidates of common words: walk the newest rows of the search table, checking each, within a bound.

When the words and filters match WALK_SHARE of the search table or more (the planner's estimate,
`planner.estimated_rows`), the GIN index would build a bitmap of every match (38,000 rows for 包 at
300,000 products, 130,000 at 1M) to keep 300 of them, while the newest rows, in creation order in
the table and its index `productsearch_newest`, hold them after a few thousand. So the walk reads
at most WALK_ROWS of the newest rows, newest first; one that meets fewer than the candidates wanted
leaves the rest to the index.

The window is bounded by keys: rows at or after the WALK_ROWS-th newest, whose key the process keeps
for a minute (`NewestEdges`). With bitmap scans and sorts off (`planner.WALK_ONLY`) the planner
walks the index through the window and stops at the LIMIT.

Figures (`bench/search_bench.py --compare walk`, 300,000 products, 2 cores at load 5.5-6.5): p95
without the walk ÷ with it 1.10 (chinese-1), 1.13 (chinese-2), 1.00 (english) at `--repeat 5
--classes chinese-1 chinese-2 english`; 0.97-1.08 over all five classes at `--repeat 3`. The GIN
bitmap it avoids grows with the table (at 1M the common words match three times as many rows) while
the walk is bounded, so it pays more at scale. A probe of PROBE_ROWS (3,000) from a share of 0.05 %
did not pay (p95 0.79-0.98 times as long without it, `--compare probe` at commit bf9a803) and is gone.

With a category or a belt, the estimate can be far too low: the planner multiplies the words' share
by the category's as if they were independent, where the words mostly lie in their own category (包
in bags at 1M: 18,608 estimated, 132,395 real), and the GIN index then built a bitmap of all of them.
So an estimate between `search_table.PROBE_ABOVE` (0.2 %) and WALK_SHARE with a category or belt
probes the PROBE_ROWS (1,000) newest rows first (~1 ms), and walks on only where they hold enough
matches to promise the candidates within WALK_ROWS, from the row after the probe's window (its rows
are not read twice). A promise within half of WALK_ROWS (the rule until 2026-12-07) sent 毛绒玩具 at
most 50 CNY at 1,000 units (44 matches among the 1,000 newest, 440 promised) to the GIN index, which
built a bitmap of its 71,637 rows (44 ms) to keep 300; the walk on finds them in 15 ms (the whole
search 53.5 → 34.9 ms p50; chinese-long p95 44.9 → 35.5, the other word classes ±1).

Eleven word-and-category pairs at 1M, p50 of the whole search, alternated twice: 包 in bags
30.6/42.0 → 20.8/12.8 ms, plush toy in toys 34/33 → 15/16, 桶 in plastics 29/28 → 17/20, backpack
in bags 29/31 → 24/17; where the probe meets too few (包 or 手套 in toys, 车, 杯, 笔 in their
categories) 1-6 ms more. Several tokens that must all match (a longer Chinese word's pairs, several
words) are multiplied the same way (毛绒玩具: 883 rows estimated, 71,637 real), so they probe from
an estimate of 0.05 % (`search_table.PROBE_SEVERAL_ABOVE`): p50 at 1M, 毛绒玩具 34.1 → 15.3 ms,
plush toy 31.2 → 12.7; the nine other such queries of the bench ±0-3 ms (a failed probe).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import router
from django.db.models import Q, QuerySet

from suppliers.models import ProductSearchRow
from suppliers.search.expressions import RowCompare, lexeme
from suppliers.search.kept import Kept
from suppliers.search.planner import CandidatePlans, RowRead

WALK_SHARE = 0.04
WALK_ROWS = 10_000
PROBE_ROWS = 1_000
# How long a process keeps the edges of the newest rows' windows (`NewestEdges`).
EDGE_SECONDS = 60.0
# The newest order's candidates that a walk met too few of are read on from the months before its
# window (`NewestEdges.months_after`) when the matches it met promise the rest, twice over, within
# this many months of tokens; else the GIN index finds them in table order.
WINDOW_MONTHS = 3
WINDOW_MARGIN = 2

Edge = tuple[datetime, int]  # a row's key in the newest order: (created_at, id)
# By (database alias, rows): the key of that newest row, None in a table of fewer rows.
_edges: Kept[tuple[str, int], Edge | None] = Kept(EDGE_SECONDS)


class NewestEdges:
    """The keys of the search table's PROBE_ROWS-th and WALK_ROWS-th newest rows, the edges of the
    windows a walk reads, as this process read them at most EDGE_SECONDS ago. Older ones are read
    again in the candidates' settings statement (`reads`, `planner.RowRead`): no statement of their
    own. Each walk's statement read them itself before (2026-12-07), a scalar subquery for the time
    and another for the id, each an index-only scan of 10,000 entries of `productsearch_newest`: 5 of
    the 7 ms of 包's walk at 1M.

    An edge read a minute ago lies before the rows added since: the window holds them too (a walk
    stops at its LIMIT; the bound on what it reads grows by the rows added in that minute), and rows
    removed since leave it a little shorter. The probe and the walk on from it use the same edge, so
    no row is read twice or skipped between them."""

    def __init__(self) -> None:
        self.using = router.db_for_read(ProductSearchRow)
        self.stale = [rows for rows in dict.fromkeys((PROBE_ROWS, WALK_ROWS)) if not _edges.fresh((self.using, rows))]

    def reads(self) -> list[RowRead]:
        """The statements of the edges to read again (none when this process knows them)."""
        reads = []
        for rows in self.stale:
            newest = ProductSearchRow.objects.using(self.using).order_by("-created_at", "-pk")
            edge = newest.values_list("created_at", "pk")[rows - 1 : rows]
            sql, params = edge.query.get_compiler(self.using).as_sql()
            reads.append(RowRead(sql, tuple(params), columns=2))
        return reads

    def read(self, plans: CandidatePlans) -> None:
        """Keep the edges the settings statement read (`plans.rows`, in the order of `reads`)."""
        for rows, row in zip(self.stale, plans.rows, strict=True):
            _edges.keep((self.using, rows), None if row is None else (row[0], row[1]))
        self.stale = []

    def within(self, rows: int) -> Q:
        """The search table's `rows` newest rows, by their keys: at or after the `rows`-th newest (a
        table of fewer rows: all of them)."""
        edge = self._edge(rows)
        return Q() if edge is None else Q(RowCompare(["created_at", "pk"], ">=", list(edge)))

    def older(self, rows: int) -> Q:
        """The search table's rows after its `rows` newest (those `within(rows)` leaves out)."""
        edge = self._edge(rows)
        return Q(pk__in=[]) if edge is None else Q(RowCompare(["created_at", "pk"], "<", list(edge)))

    def months_after(self, rows: int, *, met: list[dict[str, Any]], wanted: int) -> str | None:
        """The month tokens (a tsquery, `'n202612' | 'n202611'`) of the months from the last row a
        walk `met` (newest first, every match after it among them) back to where the rows older than
        the `rows` newest it walked are expected to hold `wanted` more matches twice over
        (WINDOW_MARGIN), as many as it met among those `rows`, at the rate the WALK_ROWS newest were
        added; None beyond WINDOW_MONTHS months (or a table of fewer rows, or none met).

        The newest order's first page of 书包 at 1M met 28 matches among the 1,000 newest rows: the
        GIN index built a bitmap of all its 33,057 matches to read 272 more in table order (8-10 ms);
        its matches in the two months before are 1,663 (3-5 ms), and are the newest."""
        edge, newest, oldest = self._edge(rows), self._edge(PROBE_ROWS), self._edge(WALK_ROWS)
        if edge is None or newest is None or oldest is None or not met:
            return None
        seconds = max((newest[0] - oldest[0]).total_seconds(), 1.0) / (WALK_ROWS - PROBE_ROWS)
        older = WINDOW_MARGIN * wanted * rows / len(met)  # the rows before the edge expected to hold them
        try:
            start = (edge[0] - timedelta(seconds=seconds * older)).astimezone(UTC)
        except OverflowError:
            return None
        end = met[-1]["created_at"].astimezone(UTC)
        count = (end.year - start.year) * 12 + end.month - start.month + 1
        if count > WINDOW_MONTHS:
            return None
        return " | ".join(lexeme(month) for month in months_back(end, count))

    def _edge(self, rows: int) -> Edge | None:
        if rows not in {PROBE_ROWS, WALK_ROWS} or self.stale:
            raise ValueError("The edges are read for the probe's and the walk's windows, before a walk.")
        return _edges.get((self.using, rows))


def walk_newest(
    query: QuerySet[Any],
    *,
    share: float,
    limit: int,
    plans: CandidatePlans,
    edges: NewestEdges,
    probe: bool = False,
    page: int = 0,
) -> tuple[list[dict], int]:
    """At most `limit` rows of `query` (on the search table) among the WALK_ROWS newest, newest first,
    and how many of the newest rows it walked: every match among them is in the rows (0: no walk,
    when the share is below WALK_SHARE; PROBE_ROWS when the probe met too few to walk on).

    `probe`: the estimate may be far too low (words and a category or belt that go together, which
    the planner takes as independent: 包 in bags, a seventh of the real share), so the PROBE_ROWS
    newest rows are walked first; the walk goes on only where the matches among them promise the
    `limit` within WALK_ROWS. `page`: the rows the newest order's first page needs (with one more);
    where the probe promises those within WALK_ROWS but not the `limit`, it walks on for them only.
    `edges`: the windows' edges, read (`NewestEdges.read`)."""
    if probe and share < WALK_SHARE:
        plans.walk_only()
        ordered = query.order_by("-created_at", "-pk")
        probed = list(ordered.filter(edges.within(PROBE_ROWS))[:limit])
        if len(probed) >= limit:
            return probed, PROBE_ROWS
        wanted = limit if len(probed) * WALK_ROWS >= limit * PROBE_ROWS else min(page, limit)
        if len(probed) >= wanted or len(probed) * WALK_ROWS < wanted * PROBE_ROWS:
            return probed, PROBE_ROWS  # too few to walk on: the index finds the rest
        # On from where the probe stopped (its rows are not read twice).
        rest = ordered.filter(edges.within(WALK_ROWS), edges.older(PROBE_ROWS))
        return probed + list(rest[: wanted - len(probed)]), WALK_ROWS
    if share < WALK_SHARE:
        return [], 0
    plans.walk_only()
    return list(query.order_by("-created_at", "-pk").filter(edges.within(WALK_ROWS))[:limit]), WALK_ROWS


def months_back(moment: datetime, count: int) -> list[str]:
    """The month tokens of `moment` (UTC) and of the `count - 1` months before it."""
    at = moment.astimezone(UTC)
    year, month = at.year, at.month
    tokens = []
    for _month in range(count):
        tokens.append(f"n{year * 100 + month}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tokens
