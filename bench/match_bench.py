"""Measure matching at scale: one RFQ's latency (p50/p95) and one process's throughput.

    nice -n 19 .venv/bin/python bench/match_bench.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench1m

Needs a database filled by `bench/generate_catalog.py` (741 belts, 50,000 suppliers, 1,000,000
products). Its own set-up step, run once and remembered in the table `bench_match_marker`, adds
what the generator does not write and matching uses: product lines (ProductLineCapacity) for
about 60 % of the suppliers, response figures for half of them, one member per supplier (so that
notifications have recipients; Chinese readers), and a buyer company in Sri Lanka. When the
matching facts table (`SupplierCategoryFacts`, filled by the migrations, with its products' words
from `buyers/0004`) is empty, or with `--rebuild-facts`, it runs `manage.py matching_facts_rebuild`
first (the generator writes products with plain SQL, bypassing the catalog services that keep the
facts current).

Each run then creates `--rfqs` pairs of identical open public RFQs (default 200; a tenth in
categories with no products in their subtree, the rest in categories that have some, of those 80 %
leaf categories, 15 % one level up, 5 % top-level; titles from the catalog's own words, a third in
Chinese; quantities, dates and destinations varied). One RFQ of each pair is matched through the
application's `buyers.services.matching.rfq_match`, exactly as the Celery task calls it:
candidates, scores, the Match rows, the ranks and the notifications (recorded in the outbox; their
delivery is queued on an in-memory broker, not sent). The other is matched by the **baseline**, the
matching a typical Django shop would write (`naive_match`: the published products of the category
subtree joined to their active suppliers, grouped per supplier and ordered by a simple score —
products in the category, then the lowest MOQ —, the best 200 stored as Matches with
`bulk_create`, the best 20 told with one `notify()` each). The two run interleaved, pair by pair,
alternating which goes first, in the same process against the same database, so the machine's
load weighs on both alike. That process first loads and freezes what a Celery worker does before
its pool forks (`sourcebelt/preload.py`), so that the process timed is the one that matches in
production.

It prints, separately for the RFQs that match suppliers and for those that match none: p50, p95
and max of one RFQ's matching and the RFQs per second (RFQs / the sum of their times), for the
service and the baseline, with the ratios; the queries per RFQ (pinned: at most
`MAX_QUERIES_PER_RFQ`); the load average of the machine with every figure; a second matching of
50 RFQs (rescoring, nobody told twice); and the EXPLAIN of the candidate queries for a leaf and a
top-level category. It fails (exit 1) when, over the RFQs that match suppliers, p95 > 100 ms or
fewer than 30 RFQs/s, when an RFQ takes more queries than pinned, or when a candidate query scans
the product table. The bench RFQs (and their matches and notifications) are deleted at the start
of the next run (and at the end, unless `--keep`).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATALOG_MARKER = "bench_catalog_marker"
MARKER = "bench_match_marker"
BUYER_NAME = "Bench buyer (match_bench)"
# Targets over the RFQs that match suppliers (issue 15).
P95_TARGET_MS = 100
THROUGHPUT_TARGET = 30
# The queries of one `rfq_match` (first matching of a public RFQ), pinned like the tests pin them
# (tests/buyers/test_matching.py, FIRST_MATCHING_QUERIES = 8, which counts BEGIN and COMMIT as the
# savepoints they are inside a test; here the driver sends them without a query of their own),
# plus the second word query a big category may need: whatever the category's size, never one
# per supplier.
MAX_QUERIES_PER_RFQ = 7
# The share of RFQs in categories with no products in their subtree (they match nobody).
EMPTY_SHARE = 0.1
# What the baseline keeps and tells, as the service does (MATCHING_MAX_MATCHES, MATCHING_NOTIFY_TOP_N).
BASELINE_KEEP = 200
BASELINE_NOTIFY = 20
# The tables the candidate query reads (vacuumed and analysed before a run).
MATCHING_TABLES = (
    "buyers_suppliercategoryfacts",
    "suppliers_supplierprofile",
    "suppliers_productlinecapacity",
    "suppliers_supplierprofile_main_categories",
    "buyers_match",
)
# The tables a run writes (and the previous run deleted from).
WRITTEN_TABLES = ("buyers_sourcingrequest", "marketplace_notification")
DESTINATIONS = ["LK", "US", "GB", "DE", "IN", "BR", "NG", "AE", "AU", "RU"]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rfqs", type=int, default=200, help="RFQs to match (default 200)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep this run's RFQs, matches and notifications")
    parser.add_argument("--rebuild-facts", action="store_true", help="rewrite the matching facts first")
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith("postgres"):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL) holding the benchmark catalog")
    return arguments


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
    os.environ.setdefault("SECRET_KEY", "bench-match-only")  # never serves a request
    import django

    django.setup()
    from django.conf import settings

    from sourcebelt.celery import app

    # Notifications are recorded as in production; their delivery goes to an in-memory broker.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Each run still logs its line (the record is made, as in production), into nothing here.
    import logging

    quiet = logging.getLogger("buyers.services.matching")
    quiet.handlers, quiet.propagate = [logging.NullHandler()], False
    from sourcebelt.preload import preload

    # As a Celery worker does before its pool forks (sourcebelt/celery.py): the same process is
    # timed, jieba's dictionary out of the garbage collector's walks (a full collection visiting it
    # took ~85 ms, seven times in a run, in the RFQs' timings when it fell there).
    preload()


def _table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def _vacuum(tables: tuple[str, ...]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _set_up(cursor: Any) -> None:
    """Once per database: product lines, response figures, one member per supplier, a buyer."""
    started = time.perf_counter()
    cursor.execute("SELECT setseed(0.42)")
    # Product lines in the supplier's main category: 10,000 to 500,000 a month.
    cursor.execute(
        """
        INSERT INTO suppliers_productlinecapacity (supplier_id, category_id, product_line, monthly_capacity, unit)
        SELECT m.supplierprofile_id, m.category_id, 'Main line', (10000 + random() * 490000)::int, 'piece'
        FROM suppliers_supplierprofile_main_categories m
        WHERE random() < 0.6
        """
    )
    lines = cursor.rowcount
    cursor.execute(
        """
        UPDATE suppliers_supplierprofile
        SET response_rate = (40 + random() * 60)::int,
            response_median_minutes = (15 + random() * 2000)::int,
            response_metrics_at = now()
        WHERE random() < 0.5
        """
    )
    cursor.execute(
        """
        INSERT INTO marketplace_user (password, is_superuser, email, name, preferred_language, is_staff,
                                      is_active, date_joined, preferred_currency_id, sessions_ended)
        SELECT '!', false, 'bench-supplier-' || s.id || '@bench.sourcebelt.local', s.name, 'zh-hans', false,
               true, now(), 'CNY', 0
        FROM suppliers_supplierprofile s
        ON CONFLICT (email) DO NOTHING
        """
    )
    cursor.execute(
        """
        INSERT INTO marketplace_membership (user_id, company_id, role, created_at)
        SELECT u.id, s.company_id, 'owner', now()
        FROM suppliers_supplierprofile s
        JOIN marketplace_user u ON u.email = 'bench-supplier-' || s.id || '@bench.sourcebelt.local'
        ON CONFLICT DO NOTHING
        """
    )
    members = cursor.rowcount
    cursor.execute(f"CREATE TABLE {MARKER} (set_up_at timestamptz)")
    cursor.execute(f"INSERT INTO {MARKER} VALUES (now())")  # noqa: S608 - our own table name
    cursor.execute("ANALYZE suppliers_productlinecapacity")
    cursor.execute("ANALYZE suppliers_supplierprofile")
    cursor.execute("ANALYZE marketplace_membership")
    print(
        f"Set-up: {lines} product lines, response figures, {members} supplier members "
        f"in {time.perf_counter() - started:.1f} s."
    )


def _buyer() -> Any:
    from marketplace.models import Company, Membership, User

    company, _created = Company.objects.get_or_create(name=BUYER_NAME, defaults={"country": "LK", "city": "Colombo"})
    user, _created = User.objects.get_or_create(
        email="bench-buyer@bench.sourcebelt.local", defaults={"name": "Bench buyer", "preferred_currency_id": "USD"}
    )
    Membership.objects.get_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})
    return company, user


def _forget_previous_runs(company: Any) -> None:
    from buyers.models import SourcingRequest
    from marketplace.models import Notification

    ids = list(SourcingRequest.objects.filter(buyer=company).values_list("pk", flat=True))
    if ids:
        Notification.objects.filter(event_key__in=[f"rfq_matched:{pk}" for pk in ids]).delete()
        SourcingRequest.objects.filter(pk__in=ids).delete()


def _split_title(title: str) -> tuple[str, str]:
    """The generator's titles are "<Chinese> <English>": the two halves."""
    chinese, _space, english = title.partition(" ")
    return chinese, english


def _categories_with_products() -> set[str]:
    """The paths of the categories whose subtree holds published products."""
    from django.db import connection

    from marketplace.models import Category

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT category_id FROM suppliers_product WHERE status = 'published'")
        leaves = {row[0] for row in cursor.fetchall()}
    paths = [path for pk, path in Category.objects.values_list("pk", "path") if pk in leaves]
    return {path[: index + 1] for path in paths for index, char in enumerate(path) if char == "."}


def _rfq_pairs(count: int, rng: random.Random, company: Any, user: Any) -> list[tuple[int, int]]:
    """`count` pairs of identical open public RFQs spread over the category tree, worded from
    products of their category: one for the service, one for the baseline."""
    from django.utils import timezone

    from buyers.models import SourcingRequest
    from marketplace.models import Category
    from suppliers.models import Product
    from suppliers.search.segment import segment

    stocked = _categories_with_products()
    by_depth: dict[tuple[bool, int], list[Category]] = {}
    for category in Category.objects.all():
        by_depth.setdefault((category.path in stocked, category.depth), []).append(category)
    deepest = max(depth for _stocked, depth in by_depth)
    now = timezone.now()
    rfqs = []
    for _number in range(count):
        with_products = rng.random() >= EMPTY_SHARE
        roll = rng.random()
        depth = 2 if roll < 0.8 else 1 if roll < 0.95 else 0
        choices = by_depth.get((with_products, depth)) or by_depth.get((with_products, deepest))
        choices = choices or by_depth[(not with_products, deepest)]
        category = rng.choice(choices)
        sample = (
            Product.objects.filter(status=Product.Status.PUBLISHED, category__path__startswith=category.path)
            .order_by()
            .values_list("title", flat=True)[: rng.randrange(1, 50)]
        )
        titles = list(sample) or [category.name_en]
        chinese, english = _split_title(titles[-1])
        use_chinese = rng.random() < 0.33 and chinese
        title = (chinese if use_chinese else english or chinese)[:200]
        quantity = rng.choice([500, 2000, 10_000, 50_000, 300_000])
        description = (
            f"需要{quantity}件，{category.name_zh}。"
            if use_chinese
            else f"We need {quantity} pieces of {category.name_en.lower()}, good quality."
        )
        fields = {
            "buyer": company,
            "created_by": user,
            "title": title,
            "description": description,
            "category": category,
            "quantity": quantity,
            "unit": "piece",
            "currency_id": "USD",
            "destination_country": rng.choice(DESTINATIONS),
            "destination_city": "Port",
            "required_by": timezone.localdate() + timedelta(days=rng.choice([14, 21, 45, 90])),
            "quote_deadline": now + timedelta(days=7),
            "status": SourcingRequest.Status.OPEN,
            "published_at": now,
            "search_text": segment(title, description),
        }
        rfqs.extend([SourcingRequest(**fields), SourcingRequest(**fields)])
    ids = [rfq.pk for rfq in SourcingRequest.objects.bulk_create(rfqs)]
    return list(zip(ids[0::2], ids[1::2], strict=True))


def naive_match(*, rfq_id: int) -> int:
    """The baseline: matching as a typical Django shop writes it (see the module's docstring).
    Returns how many suppliers it matched."""
    from django.db import transaction
    from django.db.models import Count, Min
    from django.utils import timezone

    from buyers.models import Match, SourcingRequest
    from buyers.services.matching import notification_context, rfq_supplier_url
    from marketplace.models import Category, Membership
    from marketplace.services.notifications import notify
    from suppliers.models import Product

    rfq = SourcingRequest.objects.select_related("category").get(pk=rfq_id)
    rows = list(
        Product.objects.filter(
            status=Product.Status.PUBLISHED,
            category__in=Category.objects.filter(path__startswith=rfq.category.path),
            supplier__is_active=True,
        )
        .exclude(supplier__company_id=rfq.buyer_id)
        .values("supplier_id", "supplier__company_id")
        .annotate(products=Count("id"), lowest_moq=Min("moq"), fastest=Min("lead_time_days"))
        .order_by("-products", "lowest_moq", "supplier_id")[:BASELINE_KEEP]
    )
    now = timezone.now()
    with transaction.atomic():
        Match.objects.bulk_create(
            [
                Match(
                    rfq=rfq,
                    supplier_id=row["supplier_id"],
                    source=Match.Source.MATCHED,
                    score=min(100, row["products"]),
                    rank=rank,
                    reasons=[{"code": "products", "count": row["products"]}],
                    created_at=now,
                )
                for rank, row in enumerate(rows, start=1)
            ],
            ignore_conflicts=True,
        )
        for row in rows[:BASELINE_NOTIFY]:
            members = [
                membership.user
                for membership in Membership.objects.filter(company_id=row["supplier__company_id"]).select_related(
                    "user"
                )
            ]
            notify(
                recipients=members,
                kind="rfq_matched",
                event_key=f"rfq_matched:{rfq.pk}",
                context=notification_context(
                    rfq, reasons=[{"code": "products", "count": row["products"]}], invited=False
                ),
                url=rfq_supplier_url(rfq.pk),
            )
        Match.objects.filter(rfq=rfq, rank__lte=BASELINE_NOTIFY).update(notified_at=now)
        rfq.matched_count = len(rows)
        rfq.matched_at = now
        rfq.save(update_fields=["matched_count", "matched_at", "updated_at"])
    return len(rows)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


class _Timings:
    """One side's timings: milliseconds and suppliers matched per RFQ, and its queries."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self.matched: list[int] = []
        self.queries: list[int] = []
        self.loads: list[float] = []

    def add(self, call: Any, rfq_id: int) -> None:
        from django.db import connection

        counted = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            counted[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            began = time.perf_counter()
            self.matched.append(call(rfq_id=rfq_id))
            self.durations.append((time.perf_counter() - began) * 1000)
        self.queries.append(counted[0])
        self.loads.append(os.getloadavg()[0])

    def part(self, matching: bool) -> list[float]:
        return [ms for ms, found in zip(self.durations, self.matched, strict=True) if (found > 0) == matching]

    def part_loads(self, matching: bool) -> list[float]:
        return [load for load, found in zip(self.loads, self.matched, strict=True) if (found > 0) == matching]


def _figures(durations: list[float]) -> dict[str, float]:
    if not durations:
        return {}
    return {
        "p50": _percentile(durations, 0.5),
        "p95": _percentile(durations, 0.95),
        "max": max(durations),
        "rate": len(durations) / (sum(durations) / 1000),
    }


def _line(name: str, figures: dict[str, float], count: int, loads: list[float]) -> str:
    if not figures:
        return f"  {name:<9} (none)"
    return (
        f"  {name:<9} {count:>4} RFQs  p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
        f"max {figures['max']:7.1f} ms  {figures['rate']:6.1f} RFQs/s  "
        f"(1-min load {min(loads):.2f}–{max(loads):.2f})"
    )


def _report(service: _Timings, baseline: _Timings) -> dict[str, float]:
    """Print both sides' figures per part (RFQs that match suppliers, RFQs that match none) with
    their ratios; returns the service's figures over the RFQs that match suppliers."""
    result: dict[str, float] = {}
    for matching, title in ((True, "RFQs that match suppliers"), (False, "RFQs that match none")):
        ours, theirs = _figures(service.part(matching)), _figures(baseline.part(matching))
        print(f"\n{title}:")
        print(_line("service", ours, len(service.part(matching)), service.part_loads(matching) or [0.0]))
        print(_line("baseline", theirs, len(baseline.part(matching)), baseline.part_loads(matching) or [0.0]))
        if ours and theirs:
            print(
                f"  baseline / service: p50 ×{theirs['p50'] / ours['p50']:.2f}, "
                f"p95 ×{theirs['p95'] / ours['p95']:.2f}, "
                f"RFQs/s service / baseline ×{ours['rate'] / theirs['rate']:.2f}"
            )
        if matching:
            result = ours
    return result


def _explain(rfq_id: int, label: str) -> bool:
    """Print the plans of the candidate queries of one RFQ; True when none scans the product table."""
    from django.conf import settings
    from django.db import connection

    from buyers.matching.candidates import (
        RANKED_CANDIDATES_SQL,
        RANKED_POOL,
        candidate_querysets,
        rfq_terms,
        specialised_belts,
        subtree_ids,
    )
    from buyers.matching.scoring import Scorer
    from buyers.matching.words import WORD_MATCHES_SQL, word_tokens
    from buyers.models import SourcingRequest
    from buyers.services.matching import _rfq_facts

    rfq = SourcingRequest.objects.select_related("category").get(pk=rfq_id)
    categories = subtree_ids(rfq.category)
    queries = candidate_querysets(rfq, categories=categories)
    some = list(queries["products"].order_by("-in_category").values_list("supplier_id", flat=True)[:400])
    tokens = word_tokens(rfq_terms(rfq.search_text))
    lexemes = [*tokens.any_of, *(token for group in tokens.all_of for token in group)]
    belts = specialised_belts(category_path=rfq.category.path)
    bound, params = Scorer(_rfq_facts(rfq), belts, settings.MATCHING_WEIGHTS).sql_bound()
    params |= {"unit": rfq.unit, "categories": categories, "excluded": [rfq.buyer_id], "limit": RANKED_POOL}
    plans = {
        "candidates ranked by bound (facts, product lines, main categories, profiles)": (
            RANKED_CANDIDATES_SQL.format(bound=bound),
            params,
        ),
        "word matches (facts rows of 400 suppliers)": (
            WORD_MATCHES_SQL,
            {"any_of": tokens.any_of, "lexemes": lexemes, "categories": categories, "suppliers": some},
        ),
    }
    clean = True
    print(f"\nEXPLAIN of the candidate queries, {label} ({rfq.category.name_en}, {len(categories)} categories):")
    with connection.cursor() as cursor:
        for name, (sql, params) in plans.items():
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- {name}\n{plan}")
            clean = clean and not re.search(r"Seq Scan on suppliers_product(\s|$)", plan)
    return clean


def run(arguments: argparse.Namespace) -> int:
    _setup_django(arguments.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from buyers.models import Match
    from buyers.services.matching import rfq_match

    with connection.cursor() as cursor:
        if not _table_exists(cursor, CATALOG_MARKER):
            print("No benchmark catalog here: run bench/generate_catalog.py on this database first.")
            return 2
        if not _table_exists(cursor, MARKER):
            _set_up(cursor)
        cursor.execute("SELECT EXISTS (SELECT 1 FROM buyers_suppliercategoryfacts)")
        empty = not cursor.fetchone()[0]
    if empty or arguments.rebuild_facts:
        call_command("matching_facts_rebuild")
    rng = random.Random(arguments.seed)
    company, user = _buyer()
    _forget_previous_runs(company)
    # As autovacuum would in production: the set-up, a rebuild and the previous run rewrite or
    # delete many rows, and the candidate query reads index-only (it needs the visibility map)
    # with fresh statistics.
    _vacuum(MATCHING_TABLES + WRITTEN_TABLES)
    started = time.perf_counter()
    pairs = _rfq_pairs(arguments.rfqs + 5, rng, company, user)
    # Statistics of the RFQs just written (autovacuum's ANALYZE would follow such an insert): with
    # the table's last statistics saying "empty", PostgreSQL reads an RFQ by its category index,
    # row by row, and so does every foreign-key check of its matches at commit.
    _vacuum(("buyers_sourcingrequest",))
    print(f"Created {2 * len(pairs)} RFQs ({len(pairs)} pairs) in {time.perf_counter() - started:.1f} s.")

    for ours, theirs in pairs[:5]:  # warm up: connections, caches, jieba is not needed
        rfq_match(rfq_id=ours)
        naive_match(rfq_id=theirs)
    service, baseline = _Timings(), _Timings()
    print(f"Matching {len(pairs) - 5} pairs, service and baseline interleaved ({_load()}) ...")
    for number, (ours, theirs) in enumerate(pairs[5:]):
        if number % 2:
            baseline.add(naive_match, theirs)
            service.add(rfq_match, ours)
        else:
            service.add(rfq_match, ours)
            baseline.add(naive_match, theirs)
    print(f"... done ({_load()}).")
    again = _Timings()
    for ours, _theirs in pairs[5:55]:
        again.add(rfq_match, ours)

    matching = _report(service, baseline)
    matched = [found for found in service.matched if found]
    notified = Match.objects.filter(rfq_id__in=[ours for ours, _theirs in pairs], notified_at__isnull=False).count()
    print(
        f"\nService: {len(matched)} of {len(service.matched)} RFQs match suppliers "
        f"(median {statistics.median(matched or [0]):.0f}, max {max(matched or [0])} each); "
        f"{notified} matches notified."
    )
    print(
        f"Queries per RFQ: service {min(service.queries)}–{max(service.queries)} (pinned: at most "
        f"{MAX_QUERIES_PER_RFQ}), baseline {min(baseline.queries)}–{max(baseline.queries)}."
    )
    print(
        f"Matching an RFQ again (rescore, nobody told twice): mean {statistics.mean(again.durations):.1f} ms, "
        f"{min(again.queries)}–{max(again.queries)} queries ({_load()})."
    )

    ids = [ours for ours, _theirs in pairs]
    leaf = next(pk for pk in ids if _depth(pk) == 2)
    top = next((pk for pk in ids if _depth(pk) == 0), None)
    clean = _explain(leaf, "a leaf category")
    if top is not None:
        clean = _explain(top, "a top-level category") and clean
    if not arguments.keep:
        _forget_previous_runs(company)
    failures = []
    if not matching:
        failures.append("no RFQ matched a supplier")
    elif matching["p95"] > P95_TARGET_MS:
        failures.append(f"p95 {matching['p95']:.1f} ms > {P95_TARGET_MS} ms over the RFQs that match suppliers")
    if matching and matching["rate"] < THROUGHPUT_TARGET:
        failures.append(f"{matching['rate']:.1f} RFQs/s < {THROUGHPUT_TARGET} over the RFQs that match suppliers")
    if max(service.queries) > MAX_QUERIES_PER_RFQ:
        failures.append(f"{max(service.queries)} queries for one RFQ > {MAX_QUERIES_PER_RFQ}")
    if not clean:
        failures.append("a candidate query scans the product table")
    print(f"\n({_load()}) " + ("MISSED: " + "; ".join(failures) if failures else "All targets met."))
    return 1 if failures else 0


def _depth(rfq_id: int) -> int:
    from buyers.models import SourcingRequest

    return SourcingRequest.objects.values_list("category__depth", flat=True).get(pk=rfq_id)


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
