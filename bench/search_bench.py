"""Time the product search service on a generated catalog, per query class, beside two baselines,
check its plans, and measure its relevance.

    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench10k \\
        --save var/bench/10k.json
    nice -n 5 .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench1m \\
        --baseline var/bench/10k.json

Runs a fixed set of searches through `suppliers.search.service.search_products` (exactly what the
search page and the API call, facets included) in query classes (CLASSES; bench/README.md lists
them): words in Chinese and English and SKUs with each filter, browsing without words, a top-level
and a leaf category, every sort with and without words, the price at a quantity, cursor pages 1, 10
and 50, misspellings and words nothing matches.

Beside each search, interleaved (each repeat runs every system once, in a rotating order, so each
meets the same load), on the same database, two baselines as a typical Django shop writes them,
with the same filters and order:

- naive: `Product.objects.published().filter(title__icontains=words)`, newest first (or the sort
  asked for), LIMIT 20, pages by OFFSET;
- fts: the stored `search_vector` (GIN-indexed) matched with `SearchQuery(words, search_type=
  "websearch", config="simple")` and ordered by `SearchRank` (or the sort asked for); searches
  without words have no full-text baseline.

A baseline statement is cancelled after `--baseline-timeout` ms and counted as that long (a lower
bound, shown with ">").

Prints p50 and p95 per class for each system, the ratios service ÷ naive and service ÷ fts, and the
load average (1 minute) while the class ran. Then EXPLAINs every SQL statement each service search
made, in the transaction and with the planner settings it ran with (an EXPLAIN just before each
statement, on the same connection), and fails when a plan has a sequential scan of the product or
the search table. Then relevance: precision@10 and nDCG@10 of the service (relevance sort) and both
baselines over the labelled queries of `search_relevance.py`.

Exits 1 when a target is missed (TARGETS at 1,000,000 products; page 50 ≤ 2 × page 1; p95 at most
3 × the `--baseline` run's), when a class's p95 is above the naive query's, when a plan scans the
product or search table, or when the service is not the best on precision@10 and nDCG@10. A class
that misses its target has the EXPLAIN ANALYZE of its slowest search's slowest statement printed.

`--compare TRICK ...` also runs every search with each named trick of the search service switched
off (see TRICKS), interleaved the same way. `--classes` limits the run to some query classes;
`--no-baselines` and `--no-relevance` leave those parts out.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_RATIO = 3.0  # p95 at 1M ÷ p95 at 10k
PAGE_RATIO = 2.0  # page 50 ÷ page 1
WORDS_MS, BROWSE_MS, PRICE_AT_QUANTITY_MS = 50.0, 50.0, 100.0
SEQ_SCAN = re.compile(r"Seq Scan on suppliers_product(search)?\b")  # the product table or the search table

# Query classes with words: each query with the category and belt that suit it (slugs), for the filtered runs.
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
SORTED = ("newest", "price", "moq", "lead_time")  # the orders other than relevance
SORT_WORDS = ("包", "书包", "backpack", "保温杯")  # a common and rarer word in each language
TOP_CATEGORIES = ("bags-luggage", "toys", "hardware", "gloves-ppe")
LEAF_CATEGORIES = ("transparent-backpacks", "nitrile-gloves", "stuffed-animals", "vacuum-flasks")
MISSPELLINGS = ("bakcpack", "plsuh toy", "nitril gloves", "sunglases", "stainles steel kettle")
PAGES = (1, 10, 50)
# The searches paged through by cursor: (words, sort, quantity).
PAGED = (("", "newest", None), ("", "price", QUANTITY), ("书包", "newest", None), ("backpack", "price", None))


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
def _no_estimate() -> contextlib.AbstractContextManager[Any]:
    from suppliers.search import sampled

    return mock.patch("suppliers.search.sampled._estimated", return_value=sampled._Estimate())


def _no_phrase_last() -> contextlib.AbstractContextManager[Any]:
    from suppliers.search import browse

    original = browse.sampled_ids

    def phrase_first(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **{**kwargs, "checked_last": None})

    return mock.patch("suppliers.search.browse.sampled_ids", phrase_first)


def _no_walk_estimate() -> contextlib.AbstractContextManager[Any]:
    return mock.patch("suppliers.search.search_table._walk_estimate", lambda words_and_tokens, matching: matching)


def _no_token_filter() -> contextlib.AbstractContextManager[Any]:
    from suppliers.search import sampled

    within = sampled._sorted_within

    def indexed(*args: Any, filtered: bool = False) -> Any:
        return within(*args, filtered=False)

    return mock.patch("suppliers.search.sampled._sorted_within", indexed)


def _no_fine_tokens() -> contextlib.AbstractContextManager[Any]:
    from suppliers.search import sampled

    # Only the coarse bounds (1-2-5 a decade), whose cumulative tokens rows hold as before 0018.
    coarse = {
        column: (prefix, tuple(bound for bound in bounds if bound in sampled.COARSE_BOUNDS[column]))
        for column, (prefix, bounds) in sampled.TOKEN_BOUNDS.items()
    }
    return mock.patch.dict(sampled.TOKEN_BOUNDS, coarse)


TRICKS = {
    "streaming": (_no_streaming, "seqscan, hash and merge joins, JIT on for candidates (planner.STREAMING_OFF)"),
    "walk": (_no_walk, "never walk the newest rows: always the GIN index, no estimate (newest_walk)"),
    "walk-only": (_no_walk_only, "bitmap scans and sorts left on during a walk (planner.WALK_ONLY)"),
    "pairs": (_no_pairs, "Chinese words matched by their phrase, not the ~pair tokens (search_table)"),
    "search-table": (_no_search_table, "candidates from the product table, not the search table"),
    "estimate": (_no_estimate, "no page from the sort token the candidates point at (sampled._estimated)"),
    "phrase-last": (_no_phrase_last, "a longer word's phrase tested before a bound on a token's rows (sampled)"),
    "walk-estimate": (_no_walk_estimate, "the walk decided on the estimate with the row conditions (search_table)"),
    "token-filter": (_no_token_filter, "a bound within a sort token read from the sort index's range too"),
    "fine-tokens": (_no_fine_tokens, "sort tokens 1-2-5 a decade only, not the finer buckets of 0018 (sampled)"),
}
BASE = "as-is"


@dataclass
class Case:
    klass: str
    query: str
    variant: str
    filters: dict[str, Any]
    sort: str = "relevance"
    page: int = 1
    cursor: str | None = None  # the service's cursor of `page` (found before the timed runs)

    @property
    def label(self) -> str:
        page = f" page {self.page}" if self.page > 1 else ""
        return f"{self.klass} {self.query!r} [{self.variant}] sort={self.sort}{page}"


def _target(klass: str) -> float:
    if klass.startswith("price-qty") or klass.startswith("page-"):
        return PRICE_AT_QUANTITY_MS
    if klass.startswith(("browse", "category")):
        return BROWSE_MS
    return WORDS_MS


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each search (default %(default)s)")
    parser.add_argument("--save", type=Path, help="write the results as JSON, to compare a larger run with")
    parser.add_argument("--baseline", type=Path, help="a saved smaller run: check p95 grows at most 3×")
    parser.add_argument("--no-facets", action="store_true", help="search without facet counts")
    parser.add_argument("--no-baselines", action="store_true", help="time the service only")
    parser.add_argument("--no-relevance", action="store_true", help="skip precision and nDCG")
    parser.add_argument(
        "--baseline-timeout", type=int, default=1000, help="ms before a baseline statement is cancelled (%(default)s)"
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        default=[],
        choices=sorted(TRICKS),
        metavar="TRICK",
        help="also run with each of these tricks switched off, interleaved: " + ", ".join(sorted(TRICKS)),
    )
    parser.add_argument("--classes", nargs="+", help="only these query classes")
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
    from sourcebelt.preload import preload

    preload()  # as gunicorn's master does before it forks the workers: the same process is timed
    from suppliers.search.spelling import vocabulary_refresh

    # The words misspellings are corrected against, as beat keeps them hourly (the generator writes
    # products with plain SQL); a few seconds at 1,000,000 products, only what changed is written.
    vocabulary_refresh()


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
    from search_relevance import NO_MATCH

    from marketplace.models import Category, IndustrialBelt

    categories = {category.slug: category for category in Category.objects.all()}
    belts = {belt.slug: belt for belt in IndustrialBelt.objects.filter(slug__in=_belt_slugs())}
    QUERIES["sku"] = _sku_queries()
    price = {"quantity": QUANTITY, "max_price": MAX_PRICE}
    cases = []
    for klass, queries in QUERIES.items():
        for query, category_slug, belt_slug in queries:
            category, belt = categories.get(category_slug), belts.get(belt_slug)
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
    baigou, bags = belts.get("baigou-bags"), categories.get("bags-luggage")
    browse = {
        "none": {},
        "belt": {"belt": baigou},
        "price": price,
        "verified": {"verified_only": True},
        "all": {"category": bags, "belt": baigou, **price, "verified_only": True},
    }
    cases += [Case("browse", "", variant, filters) for variant, filters in browse.items()]
    cases += [Case("category-top", "", slug, {"category": categories[slug]}) for slug in TOP_CATEGORIES]
    cases += [Case("category-leaf", "", slug, {"category": categories[slug]}) for slug in LEAF_CATEGORIES]
    for sort in SORTED:
        cases += [Case(f"sort-{sort}", word, "none", {}, sort=sort) for word in SORT_WORDS]
        cases += [Case(f"sort-{sort}", word, "category", {"category": bags}, sort=sort) for word in SORT_WORDS[:1]]
        cases += [
            Case(f"browse-{sort}", "", "none", {}, sort=sort),
            Case(f"browse-{sort}", "", "belt", {"belt": baigou}, sort=sort),
        ]
        cases.append(Case(f"browse-{sort}", "", "category", {"category": categories["toys"]}, sort=sort))
    # A short lead time (at most 10 days: 6 % of the catalog at 1M) with a common word.
    cases += [Case("sort-lead_time", "包", "within 10 days", {"max_lead_time": 10}, sort="lead_time")]
    at_quantity = {"quantity": QUANTITY}
    cases += [Case("price-qty-words", word, "quantity", at_quantity, sort="price") for word in SORT_WORDS]
    cases += [Case("price-qty-words", "包", "max price", price, sort="price")]
    # A quantity most products' MOQs exceed (MOQ at most 100: 18 % of the catalog at 1M).
    at_100 = {"quantity": 100}
    cases += [Case("price-qty-words", word, "quantity 100", at_100, sort="price") for word in ("包", "backpack")]
    cases += [
        Case("price-qty-browse", "", "quantity", at_quantity, sort="price"),
        Case("price-qty-browse", "", "max price", price, sort="price"),
        Case("price-qty-browse", "", "category", {**at_quantity, "category": bags}, sort="price"),
        Case("price-qty-browse", "", "belt", {**at_quantity, "belt": baigou}, sort="price"),
    ]
    cases += [Case("misspelling", word, "none", {}) for word in MISSPELLINGS]
    cases += [Case("no-match", word, "none", {}) for word in NO_MATCH]
    for query, sort, quantity in PAGED:
        filters = {"quantity": quantity} if quantity else {}
        cases += [
            Case(f"page-{page}", query, f"{sort}{' at quantity' if quantity else ''}", filters, sort=sort, page=page)
            for page in PAGES
        ]
    return cases


def _belt_slugs() -> set[str]:
    return {belt for queries in QUERIES.values() for _query, _category, belt in queries}


def _find_cursors(cases: list[Case]) -> None:
    """The service's cursor of each paged case's page, by paging from the first (not timed)."""
    from suppliers.search.service import search_products

    for case in cases:
        if case.page == 1:
            continue
        cursor = None
        for _page in range(case.page - 1):
            cursor = search_products(
                query=case.query, sort=case.sort, cursor=cursor, with_facets=False, **case.filters
            ).next_cursor
            if cursor is None:
                break
        case.cursor = cursor


def _search(case: Case, with_facets: bool) -> int:
    from suppliers.search.service import search_products

    result = search_products(
        query=case.query, sort=case.sort, cursor=case.cursor, with_facets=with_facets, **case.filters
    )
    return len(result.items)


def _baseline_query(case: Case, kind: str, limit: int) -> Any:
    """The baseline's queryset for the case (None: no full-text baseline without words), as a
    typical Django shop writes it: the same filters, its own match and order, OFFSET pages."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models.expressions import RawSQL

    from marketplace.models import Category
    from suppliers.models import Product, SupplierProfile
    from suppliers.pricing import unit_price_at_expression

    words = case.query.strip()
    if kind == "fts" and not words:
        return None
    products = Product.objects.published().select_related("supplier")
    filters = case.filters
    if filters.get("category") is not None:
        products = products.filter(category__in=Category.objects.subtree_of(filters["category"]))
    if filters.get("belt") is not None:
        products = products.filter(belt=filters["belt"])
    if filters.get("verified_only"):
        products = products.filter(supplier__verification_status=SupplierProfile.Verification.VERIFIED)
    price = "min_unit_price"
    if filters.get("quantity") is not None:
        price = "price_at_quantity"
        products = products.annotate(price_at_quantity=unit_price_at_expression(filters["quantity"]))
        products = products.filter(moq__lte=filters["quantity"], price_at_quantity__isnull=False)
    if filters.get("max_price") is not None:
        products = products.filter(**{f"{price}__lte": filters["max_price"]}, currency_id="CNY")
    order = {
        "relevance": ["-created_at", "-id"],
        "newest": ["-created_at", "-id"],
        "price": [price, "id"],
        "moq": ["moq", "id"],
        "lead_time": ["lead_time_days", "id"],
    }[case.sort]
    if words and kind == "naive":
        products = products.filter(title__icontains=words)
    elif words:
        query = SearchQuery(words, search_type="websearch", config="simple")
        vector = RawSQL("suppliers_product.search_vector", [], output_field=SearchVectorField())
        products = products.annotate(vector=vector).filter(vector=query)
        if case.sort == "relevance":
            products = products.annotate(rank=SearchRank(vector, query))
            order = ["-rank", "-id"]
    offset = (case.page - 1) * limit
    return products.order_by(*order)[offset : offset + limit]


def _run_baseline(case: Case, kind: str, timeout_ms: int, limit: int = 20) -> list[Any] | None:
    """The baseline's rows (None when it was cancelled after `timeout_ms`)."""
    from django.db import OperationalError, connection, transaction

    queryset = _baseline_query(case, kind, limit)
    if queryset is None:
        return []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
            return list(queryset)
    except OperationalError:
        # A fresh connection after a cancel: nothing of the cancelled statement's transaction is left.
        connection.close()
        connection.ensure_connection()
        return None


BASELINES = ("naive", "fts")


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _variant(name: str) -> contextlib.AbstractContextManager[Any]:
    return contextlib.nullcontext() if name == BASE else TRICKS[name][0]()


@dataclass
class Timings:
    """Milliseconds per system (the service's variants, the baselines) and class."""

    ms: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    timeouts: dict[str, dict[str, int]] = field(default_factory=dict)
    loads: dict[str, list[float]] = field(default_factory=dict)  # per class, after each search
    slowest: dict[str, tuple[float, Case]] = field(default_factory=dict)  # per class, the service's
    gc_ms: dict[str, list[float]] = field(default_factory=dict)  # per class: the service's runs' GC pauses


class _GcPauses:
    """Milliseconds the interpreter's garbage collector paused this process (`gc.callbacks`)."""

    def __init__(self) -> None:
        self.total, self._started = 0.0, 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += (time.perf_counter() - self._started) * 1000


def _time_cases(cases: list[Case], arguments: argparse.Namespace, systems: list[str], with_facets: bool) -> Timings:
    """Each repeat runs every system once, the order rotating (warmed up once each first); the 1-minute
    load average is sampled after each search's runs."""
    timings = Timings()
    timeout = arguments.baseline_timeout
    pauses = _GcPauses()

    def run(system: str, case: Case) -> tuple[float, bool]:
        started = time.perf_counter()
        if system in BASELINES:
            rows = _run_baseline(case, system, timeout)
            elapsed = (time.perf_counter() - started) * 1000
            return (max(elapsed, timeout), True) if rows is None else (elapsed, False)
        with _variant(system):
            started = time.perf_counter()
            _search(case, with_facets)
            return (time.perf_counter() - started) * 1000, False

    klass, class_started = "", time.perf_counter()
    for case in cases:
        if case.klass != klass:
            if klass:
                print(f"  {klass} timed in {time.perf_counter() - class_started:.0f} s", file=sys.stderr, flush=True)
            klass, class_started = case.klass, time.perf_counter()
        active = [system for system in systems if not (system == "fts" and not case.query.strip())]
        # A baseline cancelled while warming up is not run again for this search: it counts as cancelled.
        cancelled_warm = {system for system in active if run(system, case)[1]}
        for repeat in range(arguments.repeat):
            shift = repeat % len(active)
            for system in active[shift:] + active[:shift]:
                paused = pauses.total
                elapsed, cancelled = (timeout, True) if system in cancelled_warm else run(system, case)
                if system == BASE:
                    timings.gc_ms.setdefault(case.klass, []).append(pauses.total - paused)
                timings.ms.setdefault(system, {}).setdefault(case.klass, []).append(elapsed)
                if cancelled:
                    counts = timings.timeouts.setdefault(system, {})
                    counts[case.klass] = counts.get(case.klass, 0) + 1
                if system == BASE and elapsed > timings.slowest.get(case.klass, (0.0, case))[0]:
                    timings.slowest[case.klass] = (elapsed, case)
        timings.loads.setdefault(case.klass, []).append(os.getloadavg()[0])
    return timings


@contextlib.contextmanager
def _explaining(options: str, plans: list[tuple[str, str]]) -> Iterator[None]:
    """EXPLAIN (with `options`) each SELECT (or WITH ... SELECT) just before it runs, on the same
    connection and in the same transaction: with exactly the planner settings it runs with (a
    search's `set_config(..., true)` lasts until its transaction commits)."""
    from django.db import connection

    def explain(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")) and "set_config(" not in sql:
            with context["connection"].connection.cursor() as raw:
                raw.execute(f"EXPLAIN {options} {sql}", params)
                plans.append((sql, "\n".join(row[0] for row in raw.fetchall())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        yield


def _check_plans(cases: list[Case], with_facets: bool) -> list[str]:
    """Every statement each search ran, EXPLAINed as it ran: the sequential scans of the product or search table."""
    problems = []
    for case in cases:
        plans: list[tuple[str, str]] = []
        with _explaining("", plans):
            _search(case, with_facets)
        problems += [f"{case.label}:\n    {sql[:300]}\n{plan}" for sql, plan in plans if SEQ_SCAN.search(plan)]
    return problems


def _slowest_plan(case: Case, with_facets: bool) -> str:
    """The EXPLAIN ANALYZE of the slowest statement of a search (shortened)."""
    plans: list[tuple[str, str]] = []
    with _explaining("(ANALYZE, BUFFERS)", plans):
        _search(case, with_facets)

    def runtime(plan: str) -> float:
        found = re.search(r"Execution Time: ([\d.]+) ms", plan)
        return float(found.group(1)) if found else 0.0

    if not plans:
        return "    (no statement)"
    sql, plan = max(plans, key=lambda item: runtime(item[1]))
    lines = plan.splitlines()
    shown = lines[:28] + (["    ...", *lines[-2:]] if len(lines) > 30 else lines[28:])
    return f"    {len(plans)} statements; the slowest ({runtime(plan):.1f} ms):\n    {sql[:400]}\n" + "\n".join(
        "      " + line for line in shown
    )


def _relevance(timeout_ms: int) -> dict[str, dict[str, float]]:
    """Mean precision@10 and nDCG@10 per system over the labelled queries, also per kind of query."""
    from search_relevance import LABELLED, grade, ndcg_at, precision_at

    from marketplace.models import Category
    from suppliers.search.service import search_products

    slugs = dict(Category.objects.values_list("pk", "slug"))
    scores: dict[str, dict[str, list[float]]] = {}
    for label in LABELLED:
        found: dict[str, list[Any]] = {
            "service": search_products(query=label.query, sort="relevance", with_facets=False, limit=10).items
        }
        case = Case("relevance", label.query, "none", {})
        for kind in BASELINES:
            found[kind] = _run_baseline(case, kind, timeout_ms, limit=10) or []
        grades = {
            system: [(row.pk, grade(label, row.title, slugs.get(row.category_id, ""))) for row in rows]
            for system, rows in found.items()
        }
        pool = list(dict(pair for rows in grades.values() for pair in rows).values())
        for system, rows in grades.items():
            values = [value for _pk, value in rows]
            for group in ("all", label.kind):
                entry = scores.setdefault(system, {})
                entry.setdefault(f"p10:{group}", []).append(precision_at(values))
                entry.setdefault(f"ndcg10:{group}", []).append(ndcg_at(values, pool))
    return {
        system: {key: sum(values) / len(values) for key, values in entry.items()} for system, entry in scores.items()
    }


def _summary(timings: Timings, system: str) -> dict[str, dict[str, float]]:
    summary = {}
    for klass, values in timings.ms.get(system, {}).items():
        loads = timings.loads.get(klass, [math.nan])
        summary[klass] = {
            "p50": _percentile(values, 50),
            "p95": _percentile(values, 95),
            "runs": len(values),
            "timeouts": timings.timeouts.get(system, {}).get(klass, 0),
            "load": sum(loads) / len(loads),
        }
        pauses = timings.gc_ms.get(klass) if system == BASE else None
        if pauses:
            summary[klass]["gc_max"] = max(pauses)
    return summary


def _ms(row: dict[str, float] | None) -> str:
    if row is None:
        return f"{'—':>15}"
    more = ">" if row.get("timeouts") else ""
    return f"{row['p50']:7.1f}/{more}{row['p95']:<7.1f}"


def _ratio(ours: float, row: dict[str, float] | None) -> str:
    return f"{'—':>8}" if row is None else f"{ours / row['p95']:8.3f}"


def _commit() -> str:
    import subprocess

    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def _postgres_memory() -> str:
    """PostgreSQL's shared buffers beside the search table with its indexes: the figures depend on
    whether the table is read from them or from the operating system's cache (docs/scaling.md)."""
    from django.db import connection

    with connection.cursor() as cursor:
        size = "pg_total_relation_size('suppliers_productsearch')"
        cursor.execute(
            f"SELECT current_setting('shared_buffers'), pg_size_pretty({size}),"
            f" {size} > pg_size_bytes(current_setting('shared_buffers'))"
        )
        buffers, size, larger = cursor.fetchone()
    warning = " — larger than the buffers: searches read it from the OS cache" if larger else ""
    return f"PostgreSQL shared_buffers {buffers}; the search table with its indexes {size}{warning}"


def run(arguments: argparse.Namespace) -> int:
    _setup_django(arguments.database_url)
    from suppliers.models import Product

    with_facets = not arguments.no_facets
    products = Product.objects.count()
    cases = [case for case in _cases() if not arguments.classes or case.klass in arguments.classes]
    _find_cursors(cases)
    systems = [BASE, *arguments.compare, *([] if arguments.no_baselines else BASELINES)]
    at_scale = products >= 1_000_000
    print(
        f"{products} products, commit {_commit()}; {len(cases)} searches × {arguments.repeat} runs × "
        f"{len(systems)} systems ({', '.join(systems)}; interleaved), facets {'on' if with_facets else 'off'}; "
        f"load average {_load()}; milliseconds:",
        flush=True,
    )
    print(_postgres_memory(), flush=True)
    started = time.perf_counter()
    timings = _time_cases(cases, arguments, systems, with_facets)
    summaries = {system: _summary(timings, system) for system in systems}
    summary = summaries[BASE]
    print(
        f"\n{'class':<18}{'target':>7}  {'service p50/p95':>15}  {'naive p50/p95':>15}  {'fts p50/p95':>15}"
        f"  {'÷naive':>8}{'÷fts':>8}  load  gc"
    )
    for klass, row in summary.items():
        naive, fts = summaries.get("naive", {}).get(klass), summaries.get("fts", {}).get(klass)
        print(
            f"{klass:<18}{_target(klass):7.0f}  {_ms(row)}  {_ms(naive)}  {_ms(fts)}"
            f"  {_ratio(row['p95'], naive)}{_ratio(row['p95'], fts)}  {row['load']:.2f}"
            f"  {row.get('gc_max', 0.0):4.0f}"
        )
    for variant in arguments.compare:
        print(f"\nwithout {variant}: {TRICKS[variant][1]}")
        for klass, row in summaries[variant].items():
            print(f"  {klass:<18}{_ms(row)}   p95 ÷ as-is ×{row['p95'] / summary[klass]['p95']:.2f}")
    loads = [value for values in timings.loads.values() for value in values]
    print(
        f"\nTimed in {time.perf_counter() - started:.0f} s. Load average (1 min) over the timed runs: "
        f"min {min(loads):.2f}, mean {sum(loads) / len(loads):.2f}, max {max(loads):.2f} (2 cores); now {_load()}."
        f" '>' : a baseline cancelled after {arguments.baseline_timeout} ms, counted as that;"
        " gc: the longest pause of Python's garbage collector within one of the service's runs (ms)."
    )

    failures: list[str] = []
    missed: list[str] = []
    for klass, row in summary.items():
        if at_scale and row["p95"] > _target(klass):
            missed.append(klass)
            failures.append(f"{klass}: p95 {row['p95']:.1f} ms (target ≤ {_target(klass):.0f} ms)")
        naive = summaries.get("naive", {}).get(klass)
        if at_scale and naive is not None and row["p95"] > naive["p95"]:
            missed.append(klass)
            failures.append(f"{klass}: p95 {row['p95']:.1f} ms, slower than the naive query's {naive['p95']:.1f} ms")
    if at_scale and "page-1" in summary and "page-50" in summary:
        ratio = summary["page-50"]["p95"] / summary["page-1"]["p95"]
        print(f"\nPage 50 ÷ page 1 (p95): ×{ratio:.2f} (target ≤ ×{PAGE_RATIO:.0f})")
        if ratio > PAGE_RATIO:
            missed.append("page-50")
            failures.append(f"page 50 is ×{ratio:.2f} page 1 (target ≤ ×{PAGE_RATIO:.0f})")

    if arguments.baseline:
        baseline = json.loads(arguments.baseline.read_text())
        print(f"\np95 against {arguments.baseline} ({baseline['products']} products):")
        for klass, row in summary.items():
            before = baseline["classes"].get(klass, {}).get("p95")
            if not before:
                continue
            ratio = row["p95"] / before
            print(f"  {klass:<18}{before:8.1f} -> {row['p95']:8.1f} ms   ×{ratio:.2f}")
            if ratio > TARGET_RATIO:
                missed.append(klass)
                failures.append(f"{klass}: p95 grew ×{ratio:.2f} (target ≤ ×{TARGET_RATIO:.0f})")

    problems = _check_plans(cases, with_facets)
    print(
        f"\nPlans: {len(cases)} searches EXPLAINed statement by statement, with the settings each ran with; "
        f"{len(problems)} with a sequential scan of suppliers_product or suppliers_productsearch."
    )
    for problem in problems:
        print(problem)
    failures += [f"sequential scan: {problem.splitlines()[0]}" for problem in problems]

    relevance: dict[str, dict[str, float]] = {}
    if not arguments.no_relevance:
        relevance = _relevance(arguments.baseline_timeout)
        failures += _print_relevance(relevance)

    for klass in dict.fromkeys(missed):
        if klass in timings.slowest:
            elapsed, case = timings.slowest[klass]
            print(f"\nEXPLAIN ANALYZE, slowest search of {klass} ({elapsed:.1f} ms): {case.label}")
            print(_slowest_plan(case, with_facets))

    if arguments.save:
        arguments.save.parent.mkdir(parents=True, exist_ok=True)
        saved = {"products": products, "commit": _commit(), "classes": summary, "systems": summaries}
        arguments.save.write_text(json.dumps({**saved, "relevance": relevance}, indent=2))
        print(f"Saved to {arguments.save}.")
    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    print("\nAll targets met." if at_scale else "\nNo sequential scans (timing targets apply at 1M).")
    return 0


def _print_relevance(relevance: dict[str, dict[str, float]]) -> list[str]:
    from search_relevance import LABELLED

    kinds = list(dict.fromkeys(label.kind for label in LABELLED))
    counts = {kind: sum(1 for label in LABELLED if label.kind == kind) for kind in kinds}
    print(
        f"\nRelevance over {len(LABELLED)} labelled queries ("
        + ", ".join(f"{counts[kind]} {kind}" for kind in kinds)
        + "), first 10 results: precision@10 / nDCG@10"
    )
    print(f"{'system':<10}{'all':>14}" + "".join(f"{kind:>14}" for kind in kinds))
    for system, scores in relevance.items():
        cells = [f"{scores[f'p10:{group}']:.3f}/{scores[f'ndcg10:{group}']:.3f}" for group in ["all", *kinds]]
        print(f"{system:<10}" + "".join(f"{cell:>14}" for cell in cells))
    failures = []
    for metric in ("p10:all", "ndcg10:all"):
        best = max(scores[metric] for scores in relevance.values())
        if relevance["service"][metric] < best:
            failures.append(f"relevance: the service's {metric} {relevance['service'][metric]:.3f} < {best:.3f}")
    return failures


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    raise SystemExit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
