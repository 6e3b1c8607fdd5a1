"""Planner settings for the statements that take a search's candidates, and the planner's estimate.

With a LIMIT, the planner bets on finding matches early in a sequential scan, or hashes or sorts every
match of a word it underestimates; JIT compiles a plan that runs for milliseconds. STREAMING_OFF turns
those off for the candidate statements only (`set_config(..., true)`, in a transaction; put back
after them inside an outer transaction, otherwise the COMMIT ends them), so the rows stream from an
index and the statement stops at the LIMIT. WALK_ONLY leaves one plan for a walk through the newest
rows (see `newest_walk`).

Figures (`bench/search_bench.py --compare streaming walk-only`, 300,000 products, 2 cores at load
5.5-6.5; whole searches, p95 without the settings ÷ p95 with them): STREAMING_OFF 1.06-1.11 for
chinese-1, chinese-2 and english (`--repeat 5 --classes ...`), 0.92-1.19 over all five classes
(`--repeat 3`); 3.2-4.2 when walks were more frequent (the former probe, which then took
sequential scans). WALK_ONLY 0.98-1.15 and 0.92-1.18 the same ways; 1.42 for chinese-long and
english with the probe. They apply to the candidate statements only, on PostgreSQL. Full output:
docs/search.md, "Figures".
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import QuerySet

STREAMING_OFF = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin", "jit")
WALK_ONLY = ("enable_bitmapscan", "enable_sort")
# For a sample of the matches within a range of a sort index (`sampled`): the GIN index's bitmap and
# the range's, intersected, never a walk of the range that reads every row in it.
BITMAPS_ONLY = ("enable_indexscan", "enable_indexonlyscan")
# The same for rows priced in the tiers at a quantity: index scans stay on for the tiers' subquery
# (`CandidatePlans.bitmaps_only(priced=True)`).
PRICED_BITMAPS_ONLY = ("enable_indexonlyscan",)
BITMAP_WORK_MEM = "32MB"
# No parallel workers for statements of tens of milliseconds: starting two cost 10 ms of a 36 ms sort.
NO_PARALLEL = "max_parallel_workers_per_gather"


def _set_off(names: tuple[str, ...]) -> str:
    return "SELECT " + ", ".join(["set_config(%s, 'off', true)"] * len(names))


def _set_back(names: tuple[str, ...]) -> str:
    return "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names))


@dataclass(frozen=True)
class RowRead:
    """A statement of at most one row read beside the settings, in their statement (a LATERAL
    subquery): what a search needs once in a while costs no statement of its own."""

    sql: str
    params: tuple[Any, ...]
    columns: int


class CandidatePlans:
    """The settings of one candidate transaction: the table's estimated size, a walk's settings and
    the rows of the `RowRead`s asked for (None for one that found no row)."""

    def __init__(
        self, cursor: Any, table_rows: float, before: dict[str, str], rows: list[tuple[Any, ...] | None]
    ) -> None:
        self.cursor = cursor
        self.table_rows = table_rows
        self._before = before
        self.rows = rows

    def walk_only(self) -> None:
        self.cursor.execute(_set_off(WALK_ONLY), list(WALK_ONLY))

    def index_scans_back(self) -> None:
        self._put_back(WALK_ONLY)

    def bitmaps_only(self, *, priced: bool = False) -> None:
        """Bitmaps of the indexes only, kept exact (a range of a few hundred thousand rows: ~10 MB; in
        the default 4 MB its pages turn lossy and every match on them is read).

        `priced`: the rows are priced in the tiers at a quantity, a subquery per row that with index
        scans off read each product's tiers by a bitmap and a sort (10 µs a row: 20 of the 41 ms of
        保温杯's sample of 2,000 rows at 1,000 units at 1M) instead of walking its index backwards
        to the first (5 µs). Index scans stay on for it (PRICED_BITMAPS_ONLY); the rows themselves
        are still found by the GIN index's bitmap (the bench's plans at 1M, docs/search.md)."""
        names = PRICED_BITMAPS_ONLY if priced else BITMAPS_ONLY
        self.cursor.execute(
            _set_off(names) + ", set_config('work_mem', %s, true), set_config(%s, '0', true)",
            [*names, BITMAP_WORK_MEM, NO_PARALLEL],
        )

    def _put_back(self, names: tuple[str, ...]) -> None:
        if names:
            self.cursor.execute(_set_back(names), [value for name in names for value in (name, self._before[name])])


@contextmanager
def candidate_plans(model: type[models.Model], row_reads: Sequence[RowRead] = ()) -> Iterator[CandidatePlans]:
    """One transaction with STREAMING_OFF set, and the table's size (`reltuples`) read in the same statement,
    on the database that reads `model` (a read replica on the pages that allow one, docs/replicas.md);
    the `row_reads` in that statement too (`plans.rows`)."""
    using = router.db_for_read(model)
    connection = connections[using]
    outer = connection.in_atomic_block
    names = (*STREAMING_OFF, *WALK_ONLY, *BITMAPS_ONLY, "work_mem", NO_PARALLEL)
    reads = ", ".join(["current_setting(%s)"] * len(names))
    sets = "".join([", set_config(%s, 'off', true)"] * len(STREAMING_OFF))
    found = "".join(f", read{index}.*, read{index} IS NULL" for index, _read in enumerate(row_reads))
    joins = "".join(f" LEFT JOIN LATERAL ({read.sql}) AS read{index} ON true" for index, read in enumerate(row_reads))
    sql = (
        f"SELECT (SELECT reltuples FROM pg_class WHERE oid = %s::regclass), {reads}{sets}{found}"  # noqa: S608 - placeholders
        f" FROM (SELECT 1) AS settings{joins}"
    )
    params = [model._meta.db_table, *names, *STREAMING_OFF, *(param for read in row_reads for param in read.params)]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        reltuples, *values = cursor.fetchone()
        before = dict(zip(names, values[: len(names)], strict=True))
        rows, at = [], len(names) + len(STREAMING_OFF)
        for read in row_reads:
            row, missing = tuple(values[at : at + read.columns]), values[at + read.columns]
            rows.append(None if missing else row)
            at += read.columns + 1
        # (reltuples is -1 before the first ANALYZE)
        plans = CandidatePlans(cursor, max(float(reltuples or 1), 1.0), before, rows)
        yield plans
        # Put back at once: inside an outer transaction a local setting would last until it ends.
        if outer:
            plans._put_back(names)


def estimated_rows(queryset: QuerySet[Any]) -> float:
    """The planner's estimate of the rows a query answers (an EXPLAIN: nothing is run)."""
    explained = queryset.order_by().values("pk").explain(format="json")
    if not explained:  # a condition that can match nothing (the query had no words): no SQL is run
        return 0.0
    return float(json.loads(explained)[0]["Plan"]["Plan Rows"])


def estimated_share(queryset: QuerySet[Any]) -> float:
    """The planner's estimate of the share of its table a query answers (one EXPLAIN of it beside the
    whole table: nothing is run)."""
    everything = queryset.model._default_manager.using(queryset.db).order_by().values("pk")
    explained = queryset.order_by().values("pk").union(everything, all=True).explain(format="json")
    parts = json.loads(explained)[0]["Plan"]["Plans"]
    return float(parts[0]["Plan Rows"]) / max(float(parts[1]["Plan Rows"]), 1.0)
