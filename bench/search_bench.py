"""Time the product search service on a generated catalog, per query class, and check its plans.

    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench10k \\
        --save var/bench/10k.json
    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench1m \\
        --baseline var/bench/10k.json

Runs a fixed query set through `suppliers.search.service.search_products` (exactly what the search
page and the API call, facets included): one-character, two-character and longer Chinese terms,
English words and SKUs, each without filters and with each of category, belt, price at a
quantity, verified suppliers, and all of them at once. Prints p50 and p95 per class (and split
into unfiltered and filtered). Then runs EXPLAIN (without ANALYZE) on every SQL statement each
search made and fails when a plan has a sequential scan of the product table or of the search table.

Targets (issue 3): p95 under 50 ms for every class at 1,000,000 products, and p95 at 1,000,000 at
most three times p95 at 10,000 (`--baseline` checks the ratio against a saved run).

`--compare TRICK ...` also runs every search with each named trick of the search service switched
off (see TRICKS), interleaved with the service as it is: for each search, each repeat runs every
variant once, in an order that rotates, so each variant meets the same load. It prints p50 and p95
per class for each variant and the load average (1 minute) over the run: the figures a trick's
module cites. `--classes` limits the run to some query classes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0
SEQ_SCAN = re.compile(r"Seq Scan on suppliers_product(search)?\b")  # the product table or the search table

# Query classes: each query with the category and belt that suit it (slugs), for the filtered runs.
QUERIES: dict[str, list[tuple[str, str, str]]] = {
    "chinese-1": [
        ("包", "bags-luggage", "baigou-bags"),
        ("桶", "plastics-household", "taizhou-plastics"),
        ("鞋", "apparel", "jimo-apparel"),
        ("笔", "stationery", "yiwu-small-commodities"),
        ("杯", "plastics-household", "yongkang-hardware"),
        ("车", "toys", "chenghai-toys"),
    ],
    "chinese-2": [
        ("书包", "bags-luggage", "baigou-bags"),
        ("玩具", "toys", "chenghai-toys"),
        ("手套", "gloves-ppe", "zibo-gloves"),
        ("水杯", "plastics-household", "taizhou-plastics"),
        ("扳手", "hardware", "yongkang-hardware"),
        ("面料", "textiles", "shengze-textiles"),
    ],
    "chinese-long": [
        ("透明书包", "bags-luggage", "baigou-bags"),
        ("垃圾分类垃圾桶", "plastics-household", "taizhou-plastics"),
        ("儿童羽绒服", "childrens-clothing", "zhili-childrens-clothing"),
        ("毛绒玩具", "toys", "chenghai-toys"),
        ("丁腈手套", "gloves-ppe", "zibo-gloves"),
        ("不锈钢保温杯", "hardware", "yongkang-hardware"),
    ],
    "english": [
        ("backpack", "bags-luggage", "baigou-bags"),
        ("sorting bin", "plastics-household", "taizhou-plastics"),
        ("transparent school backpack", "bags-luggage", "baigou-bags"),
        ("plush toy", "toys", "chenghai-toys"),
        ("nitrile gloves", "gloves-ppe", "zibo-gloves"),
        ("stainless steel", "hardware", "yongkang-hardware"),
    ],
    # Filled from the database: SKUs of products spread over the table, and one that does not exist.
    "sku": [],
}
VARIANTS = ("none", "category", "belt", "price", "verified", "all")
QUANTITY = 1000
MAX_PRICE = Decimal("50")


def _no_streaming() -> contextlib.AbstractContextManager[Any]:
    return mock.patch("suppliers.search.planner.STREAMING_OFF", ())


def _no_walk_only() -> contextlib.AbstractContextManager[Any]:
    return mock.patch("suppliers.search.planner.WALK_ONLY", ())


def _no_walk() -> contextlib.AbstractContextManager[Any]:
    stack = contextlib.ExitStack()
    stack.enter_context(mock.patch("suppliers.search.newest_walk.WALK_SHARE", math.inf))
    # Without a walk nothing needs the planner's estimate: no EXPLAIN either.
    stack.enter_context(mock.patch("suppliers.search.search_table.estimated_rows", return_value=0.0))
    return stack


def _no_pairs() -> contextlib.AbstractContextManager[Any]:
    from suppliers.search import service

    original = service.search_table_candidates

    def without_pairs(words: Any, filters: Any, *, limit: int) -> Any:
        return original(dataclasses.replace(words, indexed=None, exact=True), filters, limit=limit)

    return mock.patch("suppliers.search.service.search_table_candidates", without_pairs)


def _no_search_table() -> contextlib.AbstractContextManager[Any]:
    # Every level's candidates from the product table (its stored vector and GIN index), as before 0006.
    return mock.patch("suppliers.search.service.uses_postgres_search", return_value=False)


# Each trick of the search service, and how the benchmark switches it off (`--compare`).
TRICKS = {
    "streaming": (_no_streaming, "seqscan, hash and merge joins, JIT on for candidates (planner.STREAMING_OFF)"),
    "walk": (_no_walk, "never walk the newest rows: always the GIN index, no estimate (newest_walk)"),
    "walk-only": (_no_walk_only, "bitmap scans and sorts left on during a walk (planner.WALK_ONLY)"),
    "pairs": (_no_pairs, "Chinese words matched by their phrase, not the ~pair tokens (search_table)"),
    "search-table": (_no_search_table, "candidates from the product table, not the search table"),
}
BASE = "as-is"


@dataclass
class Case:
    klass: str
    query: str
    variant: str
    filters: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.klass} {self.query!r} [{self.variant}]"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each search (default %(default)s)")
    parser.add_argument("--save", type=Path, help="write the results as JSON, to compare a larger run with")
    parser.add_argument("--baseline", type=Path, help="a saved smaller run: check p95 grows at most 3×")
    parser.add_argument("--no-facets", action="store_true", help="search without facet counts")
    parser.add_argument(
        "--compare",
        nargs="+",
        default=[],
        choices=sorted(TRICKS),
        metavar="TRICK",
        help="also run with each of these tricks switched off, interleaved: " + ", ".join(sorted(TRICKS)),
    )
    parser.add_argument("--classes", nargs="+", choices=sorted(QUERIES), help="only these query classes")
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give a PostgreSQL --database-url (or set DATABASE_URL)")
    return arguments


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
    os.environ.setdefault("SECRET_KEY", "bench-search-only")  # never serves a request
    import django

    django.setup()


def _sku_queries() -> list[tuple[str, str, str]]:
    from suppliers.models import Product

    last = Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    skus = []
    for fraction in (0.01, 0.25, 0.5, 0.75, 0.99):
        row = (
            Product.objects.published()
            .filter(pk__gte=int(last * fraction))
            .order_by("pk")
            .values_list("sku", flat=True)
            .first()
        )
        if row:
            skus.append((row, "bags-luggage", "baigou-bags"))
    skus.append(("NO-SUCH-SKU-0001", "bags-luggage", "baigou-bags"))
    return skus


def _cases() -> list[Case]:
    from marketplace.models import Category, IndustrialBelt

    categories = {category.slug: category for category in Category.objects.all()}
    belts = {belt.slug: belt for belt in IndustrialBelt.objects.filter(slug__in=_belt_slugs())}
    QUERIES["sku"] = _sku_queries()
    cases = []
    for klass, queries in QUERIES.items():
        for query, category_slug, belt_slug in queries:
            category, belt = categories.get(category_slug), belts.get(belt_slug)
            price = {"quantity": QUANTITY, "max_price": MAX_PRICE}
            options = {
                "none": {},
                "category": {"category": category},
                "belt": {"belt": belt},
                "price": price,
                "verified": {"verified_only": True},
                "all": {"category": category, "belt": belt, **price, "verified_only": True},
            }
            for variant in VARIANTS:
                cases.append(Case(klass, query, variant, options[variant]))
    return cases


def _belt_slugs() -> set[str]:
    return {belt for queries in QUERIES.values() for _query, _category, belt in queries}


def _search(case: Case, with_facets: bool) -> int:
    from suppliers.search.service import search_products

    result = search_products(query=case.query, with_facets=with_facets, **case.filters)
    return len(result.items)


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _variant(name: str) -> contextlib.AbstractContextManager[Any]:
    return contextlib.nullcontext() if name == BASE else TRICKS[name][0]()


def _time_cases(
    cases: list[Case], repeat: int, with_facets: bool, variants: list[str], loads: list[float]
) -> dict[str, dict[str, dict[str, list[float]]]]:
    """Milliseconds per variant and class, split into 'plain' (no filter) and 'filtered'. Each repeat
    runs every variant once, the order rotating; the 1-minute load average is sampled after each search."""
    timings: dict[str, dict[str, dict[str, list[float]]]] = {variant: {} for variant in variants}
    for case in cases:
        for variant in variants:
            with _variant(variant):
                _search(case, with_facets)  # warm: plans cached, pages in memory as on a live site
        for run in range(repeat):
            shift = run % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                with _variant(variant):
                    started = time.perf_counter()
                    _search(case, with_facets)
                    elapsed = (time.perf_counter() - started) * 1000
                group = "plain" if case.variant == "none" else "filtered"
                timings[variant].setdefault(case.klass, {"plain": [], "filtered": []})[group].append(elapsed)
        loads.append(os.getloadavg()[0])
    return timings


def _check_plans(cases: list[Case], with_facets: bool) -> list[str]:
    """Every statement each search ran, EXPLAINed: the sequential scans of the product table."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    problems = []
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            _search(case, with_facets)
        # In a transaction rolled back at the end, replaying the planner settings the search made
        # (set_config(..., true) around one statement) so each plan is the one that ran.
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in captured.captured_queries:
                sql = statement["sql"]
                if "set_config(" in sql:
                    cursor.execute(sql)
                    continue
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                if SEQ_SCAN.search(plan):
                    problems.append(f"{case.label}:\n    {sql[:300]}\n{plan}")
            transaction.set_rollback(True)
    return problems


def _summary(timings: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    summary = {}
    for klass, groups in timings.items():
        every = groups["plain"] + groups["filtered"]
        summary[klass] = {
            "p50": _percentile(every, 50),
            "p95": _percentile(every, 95),
            "plain_p50": _percentile(groups["plain"], 50),
            "plain_p95": _percentile(groups["plain"], 95),
            "filtered_p50": _percentile(groups["filtered"], 50),
            "filtered_p95": _percentile(groups["filtered"], 95),
            "runs": len(every),
        }
    return summary


def run(arguments: argparse.Namespace) -> int:
    _setup_django(arguments.database_url)
    from suppliers.models import Product

    with_facets = not arguments.no_facets
    products = Product.objects.count()
    cases = [case for case in _cases() if not arguments.classes or case.klass in arguments.classes]
    variants = [BASE, *arguments.compare]
    print(
        f"{products} products; {len(cases)} searches × {arguments.repeat} runs × {len(variants)} variants "
        f"(interleaved), facets {'on' if with_facets else 'off'}; load average {_load()}; milliseconds:",
        flush=True,
    )
    loads: list[float] = []
    timings = _time_cases(cases, arguments.repeat, with_facets, variants, loads)
    summaries = {variant: _summary(timings[variant]) for variant in variants}
    summary = summaries[BASE]
    for variant in variants:
        title = "as it is" if variant == BASE else f"without {variant}: {TRICKS[variant][1]}"
        print(f"\n{title}")
        print(f"{'class':<14}{'p50':>8}{'p95':>8}   {'no filter p50/p95':>18}   {'filtered p50/p95':>17}   p95 ÷ as-is")
        for klass, row in summaries[variant].items():
            ratio = row["p95"] / summary[klass]["p95"]
            print(
                f"{klass:<14}{row['p50']:8.1f}{row['p95']:8.1f}   "
                f"{row['plain_p50']:9.1f}/{row['plain_p95']:<8.1f}   "
                f"{row['filtered_p50']:8.1f}/{row['filtered_p95']:<8.1f}   ×{ratio:.2f}"
            )
    print(
        f"\nLoad average (1 min) over the timed runs: min {min(loads):.2f}, mean {sum(loads) / len(loads):.2f}, "
        f"max {max(loads):.2f} (2 cores); now {_load()}."
    )
    failures = []
    for klass, row in summary.items():
        if products >= 1_000_000 and row["p95"] >= TARGET_P95_MS:
            failures.append(f"{klass}: p95 {row['p95']:.1f} ms at {products} products (target < {TARGET_P95_MS} ms)")

    if arguments.baseline:
        baseline = json.loads(arguments.baseline.read_text())
        print(f"\np95 against {arguments.baseline} ({baseline['products']} products):")
        for klass, row in summary.items():
            before = baseline["classes"].get(klass, {}).get("p95")
            if not before:
                continue
            ratio = row["p95"] / before
            print(f"  {klass:<14}{before:8.1f} -> {row['p95']:8.1f} ms   ×{ratio:.2f}")
            if ratio > TARGET_RATIO:
                failures.append(f"{klass}: p95 grew ×{ratio:.2f} (target ≤ ×{TARGET_RATIO})")

    problems = _check_plans(cases, with_facets)
    print(
        f"\nPlans: {len(cases)} searches EXPLAINed, {len(problems)} with a sequential scan "
        "of suppliers_product or suppliers_productsearch."
    )
    for problem in problems:
        print(problem)
    failures += [f"sequential scan: {problem.splitlines()[0]}" for problem in problems]

    if arguments.save:
        arguments.save.parent.mkdir(parents=True, exist_ok=True)
        arguments.save.write_text(json.dumps({"products": products, "classes": summary}, indent=2))
        print(f"Saved to {arguments.save}.")
    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    print("\nAll targets met." if products >= 1_000_000 else "\nNo sequential scans (timing targets apply at 1M).")
    return 0


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    raise SystemExit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
