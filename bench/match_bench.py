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

Each run then creates `--rfqs` open public RFQs (default 200; 80 % in a leaf category, 15 % one
level up, 5 % in a top-level category; titles from the catalog's own words, a third in Chinese;
quantities, dates and destinations varied), and matches each one through the application's
`buyers.services.matching.rfq_match`, exactly as the Celery task calls it: candidates, scores,
the Match rows, the ranks and the notifications (recorded in the outbox; their delivery is queued
on an in-memory broker, not sent). It prints p50/p95/max of one RFQ's matching, the throughput of
the one process, and the EXPLAIN of the candidate queries for a leaf and for a top-level category,
and fails (exit 1) on a sequential scan of the product table, p95 >= 100 ms or < 25 RFQs/s.
The bench RFQs (and their matches and notifications) are deleted at the start of the next run.
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
P95_TARGET_MS = 100
THROUGHPUT_TARGET = 25
# The tables the candidate query reads (vacuumed and analysed before a run).
MATCHING_TABLES = (
    "buyers_suppliercategoryfacts",
    "suppliers_supplierprofile",
    "suppliers_productlinecapacity",
    "suppliers_supplierprofile_main_categories",
    "buyers_match",
)
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


def _table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


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
                                      is_active, date_joined, preferred_currency_id)
        SELECT '!', false, 'bench-supplier-' || s.id || '@bench.sourcebelt.local', s.name, 'zh-hans', false,
               true, now(), 'CNY'
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


def _make_rfqs(count: int, rng: random.Random, company: Any, user: Any) -> list[int]:
    """Open public RFQs spread over the category tree, worded from products of their category."""
    from django.utils import timezone

    from buyers.models import SourcingRequest
    from marketplace.models import Category
    from suppliers.models import Product
    from suppliers.search.segment import segment

    by_depth: dict[int, list[Category]] = {}
    for category in Category.objects.all():
        by_depth.setdefault(category.depth, []).append(category)
    now = timezone.now()
    rfqs = []
    for _number in range(count):
        roll = rng.random()
        depth = 2 if roll < 0.8 else 1 if roll < 0.95 else 0
        category = rng.choice(by_depth.get(depth) or by_depth[max(by_depth)])
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
        rfqs.append(
            SourcingRequest(
                buyer=company,
                created_by=user,
                title=title,
                description=description,
                category=category,
                quantity=quantity,
                unit="piece",
                currency_id="USD",
                destination_country=rng.choice(DESTINATIONS),
                destination_city="Port",
                required_by=timezone.localdate() + timedelta(days=rng.choice([14, 21, 45, 90])),
                quote_deadline=now + timedelta(days=7),
                status=SourcingRequest.Status.OPEN,
                published_at=now,
                search_text=segment(title, description),
            )
        )
    return [rfq.pk for rfq in SourcingRequest.objects.bulk_create(rfqs)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _explain(rfq_id: int, label: str) -> bool:
    """Print the plans of the candidate queries of one RFQ; True when none scans the product table."""
    from django.db import connection

    from buyers.matching.candidates import (
        RANKED_CANDIDATES_SQL,
        RANKED_POOL,
        candidate_querysets,
        rfq_terms,
        specialised_belts,
        subtree_ids,
    )
    from buyers.matching.words import WORD_MATCHES_SQL, word_tokens
    from buyers.models import SourcingRequest
    from buyers.services.matching import _prescore

    rfq = SourcingRequest.objects.select_related("category").get(pk=rfq_id)
    categories = subtree_ids(rfq.category)
    queries = candidate_querysets(rfq, categories=categories)
    some = list(queries["products"].order_by("-in_category").values_list("supplier_id", flat=True)[:400])
    tokens = word_tokens(rfq_terms(rfq.search_text))
    lexemes = [*tokens.any_of, *(token for group in tokens.all_of for token in group)]
    bound, params = _prescore(rfq)(specialised_belts(category_path=rfq.category.path)).sql_bound()
    params |= {"unit": rfq.unit, "categories": categories, "excluded": [rfq.buyer_id], "limit": RANKED_POOL}
    plans = {
        "candidates ranked by bound (facts, product lines, main categories, profiles)": (
            RANKED_CANDIDATES_SQL.format(bound=bound),
            params,
        ),
        "word matches (facts rows of 400 suppliers)": (WORD_MATCHES_SQL, [lexemes, categories, some]),
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
    # As autovacuum would in production: the set-up and a rebuild rewrite many rows, and the
    # candidate query reads index-only (it needs the visibility map) with fresh statistics.
    with connection.cursor() as cursor:
        for table in MATCHING_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    rng = random.Random(arguments.seed)
    company, user = _buyer()
    _forget_previous_runs(company)
    started = time.perf_counter()
    ids = _make_rfqs(arguments.rfqs + 5, rng, company, user)
    print(f"Created {len(ids)} RFQs in {time.perf_counter() - started:.1f} s.")

    for rfq_id in ids[:5]:  # warm up: connections, caches, jieba is not needed
        rfq_match(rfq_id=rfq_id)
    durations: list[float] = []
    matched: list[int] = []
    run_started = time.perf_counter()
    for rfq_id in ids[5:]:
        began = time.perf_counter()
        matched.append(rfq_match(rfq_id=rfq_id))
        durations.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - run_started
    again_started = time.perf_counter()
    for rfq_id in ids[5:55]:
        rfq_match(rfq_id=rfq_id)
    again_ms = (time.perf_counter() - again_started) * 1000 / len(ids[5:55])

    p50, p95 = _percentile(durations, 0.5), _percentile(durations, 0.95)
    throughput = len(durations) / elapsed
    notified = Match.objects.filter(rfq_id__in=ids, notified_at__isnull=False).count()
    print(
        f"\nMatched {len(durations)} RFQs: suppliers per RFQ median {statistics.median(matched):.0f} "
        f"(max {max(matched)}), {notified} matches notified."
    )
    print(f"one RFQ's matching: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(durations):.1f} ms (target p95 < 100 ms)")
    print(f"one process: {throughput:.1f} RFQs/s (target >= {THROUGHPUT_TARGET})")
    print(f"matching an RFQ again (rescore, nobody notified twice): mean {again_ms:.1f} ms")

    leaf = next(pk for pk in ids if _depth(pk) == 2)
    top = next((pk for pk in ids if _depth(pk) == 0), None)
    clean = _explain(leaf, "a leaf category")
    if top is not None:
        clean = _explain(top, "a top-level category") and clean
    if not arguments.keep:
        _forget_previous_runs(company)
    failures = []
    if p95 >= P95_TARGET_MS:
        failures.append(f"p95 {p95:.1f} ms >= {P95_TARGET_MS} ms")
    if throughput < THROUGHPUT_TARGET:
        failures.append(f"{throughput:.1f} RFQs/s < {THROUGHPUT_TARGET}")
    if not clean:
        failures.append("a candidate query scans the product table")
    print("\n" + ("MISSED: " + "; ".join(failures) if failures else "All targets met."))
    return 1 if failures else 0


def _depth(rfq_id: int) -> int:
    from buyers.models import SourcingRequest

    return SourcingRequest.objects.values_list("category__depth", flat=True).get(pk=rfq_id)


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
