"""Measure demand insights at scale: aggregating 200,000 RFQs, then the dashboards' p50/p95.

    .venv/bin/python bench/generate_catalog.py --products 10000 --suppliers 2000 \\
        --database-url postgres://postgres@127.0.0.1:5432/sb_insights_bench
    nice -n 19 .venv/bin/python bench/dashboard_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/sb_insights_bench

On a database filled by `bench/generate_catalog.py` (741 belts and their suppliers), or on its own:
a database without a catalog is created and migrated and gets the demo categories, belts and
suppliers (`marketplace.demo.seed_demo`).

Set-up, once per database (remembered in the table `bench_demand_marker`; `--regenerate` redoes
it): 2,000 buying companies in 40 countries and `--rfqs` RFQs (default 200,000) published over
the last `--weeks` weeks (default 52), written with COPY: leaf categories chosen with a skew (a
few categories are in demand everywhere), weekly volume rising slowly, a sorting-bin surge this
week; past RFQs closed or expired, this week's open. About half the past RFQs get matches with the
suppliers of the belts specialised in their category (notified; quoted, declined or silent) and
the quotes that go with them.

Then it runs the aggregation from scratch (`demand_aggregate(full=True)`, as the first periodic
run would) and prints its time; adds 100 RFQs this week and runs the incremental aggregation
(the run after a publish) and prints its time; then requests the trending page, a belt's
dashboard (the belt with the most RFQs, as its staff) and both API endpoints `--requests` times
each (default 50, after two warm-up requests) through the Django test client, and prints
p50/p95/max against the 200 ms target. Exit 1 when a page's p95 misses it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "bench_demand_marker"
CATALOG_MARKER = "bench_catalog_marker"
BUYER_PREFIX = "Bench demand buyer"
TARGET_MS = 200
CHUNK = 20_000
COUNTRIES = [
    "US",
    "DE",
    "GB",
    "FR",
    "NL",
    "IT",
    "ES",
    "PL",
    "SE",
    "BE",
    "LK",
    "IN",
    "BD",
    "PK",
    "NG",
    "KE",
    "GH",
    "ZA",
    "EG",
    "MA",
    "AE",
    "SA",
    "TR",
    "RU",
    "KZ",
    "BR",
    "MX",
    "AR",
    "CL",
    "CO",
    "PE",
    "AU",
    "NZ",
    "JP",
    "KR",
    "VN",
    "TH",
    "MY",
    "ID",
    "PH",
]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rfqs", type=int, default=200_000, help="RFQs to write (default 200,000)")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history (default 52)")
    parser.add_argument("--requests", type=int, default=50, help="requests per page (default 50)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--regenerate", action="store_true", help="delete the bench RFQs and write them again")
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith("postgres"):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL)")
    if arguments.rfqs < 1000 or arguments.weeks < 10 or arguments.requests < 1:
        parser.error("--rfqs at least 1000, --weeks at least 10, --requests at least 1")
    return arguments


def _ensure_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")
    connection.close()


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
    os.environ.setdefault("SECRET_KEY", "bench-dashboard-only")  # serves only the test client
    import django

    django.setup()
    from django.conf import settings

    from sourcebelt.celery import app

    # Alerts are recorded in the outbox as in production; their delivery goes to an in-memory broker.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if any(char in text for char in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    count, buffer = 0, io.StringIO()

    def flush() -> None:
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        buffer.seek(0)
        buffer.truncate()

    for count, row in enumerate(rows, start=1):
        buffer.write("\t".join(map(_copy_text, row)) + "\n")
        if count % CHUNK == 0:
            flush()
    flush()
    return count


def _table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def _migrate_and_seed(cursor: Any) -> None:
    """A database without a catalog: migrate it and give it the demo categories, belts and suppliers."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from marketplace.models import IndustrialBelt

    if not IndustrialBelt.objects.exists():
        from marketplace.demo import seed_demo
        from suppliers.demo.factories import seed_demo_suppliers

        password = secrets.token_urlsafe(16)  # nobody logs in to the bench
        seed_demo(password=password)
        seed_demo_suppliers(password=password)
        print("No catalog: seeded the demo categories, belts and suppliers.")


def _forget(cursor: Any) -> None:
    started = time.perf_counter()
    cursor.execute(
        "CREATE TEMPORARY TABLE bench_rfq_ids AS SELECT r.id FROM buyers_sourcingrequest r "
        "JOIN marketplace_company c ON c.id = r.buyer_id WHERE c.name LIKE %s",
        [f"{BUYER_PREFIX}%"],
    )
    # The foreign keys do not cascade in the database: the rows that point at the RFQs go first.
    for table in ("buyers_quote", "buyers_match", "buyers_rfqevent", "buyers_sourcingrequest"):
        column = "id" if table == "buyers_sourcingrequest" else "rfq_id"
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM bench_rfq_ids)")  # noqa: S608
    cursor.execute("DROP TABLE bench_rfq_ids")
    cursor.execute("DELETE FROM marketplace_company WHERE name LIKE %s", [f"{BUYER_PREFIX}%"])
    cursor.execute(f"DROP TABLE IF EXISTS {MARKER}")
    cursor.execute("TRUNCATE buyers_demandweek, buyers_demandsurge, buyers_demandaggregationstate")
    print(f"Deleted the previous bench RFQs in {time.perf_counter() - started:.1f} s.")


def _generate(cursor: Any, arguments: argparse.Namespace) -> None:
    from django.utils import timezone

    from buyers.insights.aggregation import belts_by_specialty
    from buyers.insights.weeks import week_of, week_start
    from buyers.models import SourcingRequest
    from marketplace.models import Category
    from suppliers.models import SupplierProfile

    rng = random.Random(arguments.seed)
    now = timezone.now()
    started = time.perf_counter()
    from marketplace.models import Company

    Company.objects.bulk_create(
        Company(name=f"{BUYER_PREFIX} {n}", country=COUNTRIES[n % len(COUNTRIES)], city="City") for n in range(2000)
    )
    cursor.execute("SELECT id FROM marketplace_company WHERE name LIKE %s ORDER BY id", [f"{BUYER_PREFIX}%"])
    buyers = [row[0] for row in cursor.fetchall()]

    categories = list(Category.objects.values_list("pk", "path", "depth", "slug"))
    deepest = max(depth for _pk, _path, depth, _slug in categories)
    leaves = [pk for pk, _path, depth, _slug in categories if depth == deepest]
    weights = [1 / (rank + 3) for rank in range(len(leaves))]  # a few categories in demand everywhere
    rng.shuffle(leaves)
    surge = next((pk for pk, _path, _depth, slug in categories if slug == "sorting-bins"), leaves[-1])
    chains = {pk: [int(part) for part in path.split(".") if part] for pk, path, _depth, _slug in categories}
    specialties = belts_by_specialty()
    belt_suppliers: dict[int, list[int]] = {}
    for supplier_id, belt_id in SupplierProfile.objects.filter(belt__isnull=False).values_list("pk", "belt_id"):
        belt_suppliers.setdefault(belt_id, []).append(supplier_id)

    def suppliers_for(category_id: int) -> list[int]:
        found: list[int] = []
        for node in chains[category_id]:
            for belt_id in specialties.get(node, ()):
                found += belt_suppliers.get(belt_id, [])[:40]
        return found

    current = week_of(now)
    this_week_start = week_start(current)
    weeks = arguments.weeks
    # Weekly volume grows by half over the period; this week has what has been published so far.
    shares = [1 + 0.5 * index / weeks for index in range(weeks)]
    total_share = sum(shares)
    per_week = [round(arguments.rfqs * share / total_share) for share in shares]
    surge_extra = 400

    fields = [f for f in SourcingRequest._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    rfq_rows: list[dict[str, Any]] = []
    for index, count in enumerate(per_week):
        week = current - timedelta(weeks=weeks - 1 - index)
        start = week_start(week)
        span = (now - start).total_seconds() * 0.98 if week == current else 7 * 86400
        picks = rng.choices(leaves, weights=weights, k=count)
        if week == current:
            picks += [surge] * surge_extra
        for category_id in picks:
            published = start + timedelta(seconds=rng.uniform(0, span))
            is_open = published >= this_week_start
            deadline = published + timedelta(days=rng.randint(3, 14))
            rfq_rows.append(
                {
                    "buyer_id": rng.choice(buyers),
                    "created_by_id": None,
                    "title": f"Bench demand RFQ {len(rfq_rows)}",
                    "description": "",
                    "category_id": category_id,
                    "quantity": rng.choice([500, 1000, 5000, 20_000, 100_000]),
                    "unit": "piece",
                    "target_unit_price": None,
                    "currency_id": "USD",
                    "destination_country": rng.choice(COUNTRIES),
                    "destination_city": "",
                    "incoterm": "FOB",
                    "required_by": (deadline + timedelta(days=40)).date(),
                    "quote_deadline": max(deadline, now + timedelta(days=3)) if is_open else deadline,
                    "visibility": "public",
                    "allow_split": False,
                    "max_quotes": None,
                    "status": "open" if is_open else "expired",
                    "source_product_id": None,
                    "search_text": "",
                    "matched_count": 0,
                    "notified_count": 0,
                    "quote_count": 0,
                    "first_quote_at": None,
                    "created_at": published - timedelta(minutes=10),
                    "updated_at": published if is_open else deadline,  # its last change
                    "published_at": published,
                    "closed_at": None if is_open else deadline,
                    "matched_at": published + timedelta(minutes=1),
                }
            )
    # Answers: matches and quotes from the belts' suppliers on about half the past RFQs.
    answered = rng.sample(range(len(rfq_rows)), k=len(rfq_rows) // 2)
    answers: dict[int, list[tuple[int, str, Any]]] = {}
    for index in answered:
        row = rfq_rows[index]
        if row["status"] == "open":
            continue
        candidates = suppliers_for(row["category_id"])
        if not candidates:
            continue
        chosen = rng.sample(candidates, k=min(len(candidates), rng.randint(1, 5)))
        result = []
        for supplier_id in chosen:
            roll = rng.random()
            at = row["published_at"] + timedelta(minutes=rng.randint(10, 3000))
            status = "quoted" if roll < 0.5 else "declined" if roll < 0.65 else "new"
            result.append((supplier_id, status, at))
        quotes = [at for _supplier, status, at in result if status == "quoted"]
        row["matched_count"] = row["notified_count"] = len(result)
        row["quote_count"] = len(quotes)
        row["first_quote_at"] = min(quotes) if quotes else None
        row["status"] = "closed" if quotes else "expired"
        answers[index] = result

    _copy(cursor, "buyers_sourcingrequest", columns, (tuple(row[c] for c in columns) for row in rfq_rows))
    cursor.execute(
        "SELECT id FROM buyers_sourcingrequest WHERE title LIKE 'Bench demand RFQ %%' ORDER BY id",
    )
    ids = [row[0] for row in cursor.fetchall()]
    print(f"Wrote {len(ids)} RFQs in {time.perf_counter() - started:.1f} s.")

    started = time.perf_counter()
    matches = _copy(
        cursor,
        "buyers_match",
        [
            "rfq_id",
            "supplier_id",
            "source",
            "score",
            "rank",
            "reasons",
            "status",
            "created_at",
            "notified_at",
            "opened_at",
            "responded_at",
            "declined_at",
            "decline_reason",
        ],
        (
            (
                ids[index],
                supplier_id,
                "matched",
                5.0,
                rank,
                "[]",
                status,
                rfq_rows[index]["published_at"],
                rfq_rows[index]["published_at"],
                None,
                at if status != "new" else None,
                at if status == "declined" else None,
                "",
            )
            for index, result in answers.items()
            for rank, (supplier_id, status, at) in enumerate(result, start=1)
        ),
    )
    quotes = _copy(
        cursor,
        "buyers_quote",
        [
            "rfq_id",
            "supplier_id",
            "created_by_id",
            "status",
            "version",
            "unit_price",
            "tiers",
            "currency_id",
            "quantity",
            "lead_time_days",
            "valid_until",
            "incoterm",
            "port",
            "freight",
            "sample_available",
            "sample_price",
            "sample_days",
            "notes",
            "submitted_at",
            "revised_at",
            "withdrawn_at",
            "decided_at",
        ],
        (
            (
                ids[index],
                supplier_id,
                None,
                "expired",
                1,
                "2.50",
                "[]",
                "USD",
                rfq_rows[index]["quantity"],
                20,
                (at + timedelta(days=30)).date(),
                "FOB",
                "",
                None,
                False,
                None,
                None,
                "",
                at,
                None,
                None,
                None,
            )
            for index, result in answers.items()
            for supplier_id, status, at in result
            if status == "quoted"
        ),
    )
    cursor.execute(f"CREATE TABLE {MARKER} (rfqs int, set_up_at timestamptz)")
    cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, now())", [len(ids)])  # noqa: S608 - our own table
    for table in ("buyers_sourcingrequest", "buyers_match", "buyers_quote", "marketplace_company"):
        cursor.execute(f"ANALYZE {table}")
    print(f"Wrote {matches} matches and {quotes} quotes in {time.perf_counter() - started:.1f} s.")


def _add_this_weeks_rfqs(count: int) -> None:
    """A few RFQs published now, as `rfq_publish` would leave them (for the incremental run)."""
    from django.utils import timezone

    from buyers.models import SourcingRequest
    from marketplace.models import Category, Company

    now = timezone.now()
    buyer = Company.objects.filter(name__startswith=BUYER_PREFIX).first()
    category = Category.objects.filter(slug="sorting-bins").first() or Category.objects.order_by("-depth").first()
    SourcingRequest.objects.bulk_create(
        SourcingRequest(
            buyer=buyer,
            title=f"Bench demand RFQ now {n}",
            category=category,
            quantity=1000,
            currency_id="USD",
            destination_country="DE",
            required_by=(now + timedelta(days=60)).date(),
            quote_deadline=now + timedelta(days=7),
            status=SourcingRequest.Status.OPEN,
            published_at=now,
        )
        for n in range(count)
    )


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def _measure(client: Any, url: str, requests: int) -> tuple[float, float, float]:
    for _warm in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    samples = []
    for _request in range(requests):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return _percentiles(samples)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    _ensure_database(arguments.database_url)
    _setup_django(arguments.database_url)
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from buyers.insights.aggregation import demand_aggregate
    from buyers.models import DemandWeek
    from marketplace.models import User

    with connection.cursor() as cursor:
        if not _table_exists(cursor, CATALOG_MARKER):
            _migrate_and_seed(cursor)
        if arguments.regenerate:
            _forget(cursor)
        if not _table_exists(cursor, MARKER):
            with transaction.atomic():
                _generate(cursor, arguments)
        cursor.execute(f"SELECT rfqs FROM {MARKER}")  # noqa: S608 - our own table
        print(f"{cursor.fetchone()[0]} bench RFQs over {arguments.weeks} weeks.")

    started = time.perf_counter()
    full = demand_aggregate(full=True)
    print(
        f"Aggregation from scratch: {len(full.weeks)} weeks, {full.rows} rows, {len(full.surges)} new surges "
        f"in {time.perf_counter() - started:.1f} s."
    )
    _add_this_weeks_rfqs(100)
    started = time.perf_counter()
    incremental = demand_aggregate()
    print(
        f"Incremental run after 100 new RFQs: {len(incremental.weeks)} week(s), {incremental.rows} rows "
        f"in {(time.perf_counter() - started) * 1000:.0f} ms."
    )

    belt_id = (
        DemandWeek.objects.filter(belt__isnull=False, category__isnull=True)
        .values("belt_id")
        .order_by("-rfq_count")
        .values_list("belt_id", flat=True)
        .first()
    )
    from marketplace.models import IndustrialBelt

    belt = IndustrialBelt.objects.get(pk=belt_id)
    staff, _created = User.objects.get_or_create(
        email="bench-demand-staff@bench.sourcebelt.local",
        defaults={"name": "Bench staff", "is_staff": True, "preferred_currency_id": "USD"},
    )
    staff_client, public_client = Client(), Client()
    staff_client.force_login(staff)
    pages = [
        ("trending page", public_client, reverse("insights:trending")),
        ("trending page, 52 weeks", public_client, reverse("insights:trending") + "?weeks=52"),
        (f"belt dashboard ({belt.slug})", staff_client, reverse("insights:belt_dashboard", args=[belt.slug])),
        (
            "belt dashboard, 26 weeks",
            staff_client,
            reverse("insights:belt_dashboard", args=[belt.slug]) + "?weeks=26",
        ),
        ("trending API", public_client, reverse("api-insights-trending")),
        ("belt demand API", staff_client, reverse("api-insights-belt-demand", args=[belt.slug])),
    ]
    print(f"\n{arguments.requests} requests each, through the Django test client (ms):")
    print(f"{'page':<44} {'p50':>7} {'p95':>7} {'max':>7}   target p95 < {TARGET_MS}")
    missed = False
    for label, client, url in pages:
        p50, p95, slowest = _measure(client, url, arguments.requests)
        verdict = "ok" if p95 < TARGET_MS else "MISSED"
        missed |= p95 >= TARGET_MS
        print(f"{label:<44} {p50:7.1f} {p95:7.1f} {slowest:7.1f}   {verdict}")
    rows = DemandWeek.objects.count()
    print(f"\nDemandWeek rows: {rows}.")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
