"""A load test that shows whether throughput grows with web processes: buyers and suppliers at work.

    nice -n 10 .venv/bin/python bench/load_test.py \\
        --database-url postgres://postgres@127.0.0.1:25433/sb_load \\
        --replica-url postgres://postgres@127.0.0.1:25434/sb_load \\
        --redis-url redis://127.0.0.1:6379/15

Needs a database filled by `bench/generate_catalog.py` (the demo on top is welcome:
`manage.py seed_demo`); `--replica-url` is a streaming replica of it (`scripts/test-services
replica` starts a primary and its replica). Everything runs against 127.0.0.1 only and is bounded
by `--budget` seconds.

1. Set-up in this process (DEBUG off): `--buyers` bench buyer companies with a member and a
   read-write API token each; `--suppliers` active verified suppliers of the catalog, each with a
   bench member, a token and `--rfqs` open RFQs of the bench buyers matched to it (its inbox).
   The previous run's bench RFQs and quotes are deleted first.
2. The mix (`bench/load_locustfile.py`): three buyers in four search the catalog through the API,
   open product pages and now and then post and publish an RFQ; one in four is a supplier reading
   its inbox, opening an RFQ and quoting or revising its quote. `--users` concurrent clients with
   no pause (locust headless, closed loop).
3. Configurations: gunicorn (the repo's config, sync workers) with 1 and with 2 workers, each
   without and — given `--replica-url` — with the replica (DATABASE_REPLICA_URLS). `--rounds`
   rounds, the configurations interleaved within each round (so a busy minute hurts all of
   them), a fresh gunicorn for each run, `--seconds` of load (at most `--max-requests`) after a
   short warm-up.
   Publishing queues matching on a queue of the bench's own (CELERY_QUEUE=loadtest_bench) that no
   worker serves (the test measures the web tier); its keys are deleted at the end.

Prints, per configuration and round: requests/s, p50/p95/p99, failures, the machine's load average;
then the median over rounds and the scaling ratio 2 workers ÷ 1 worker (target ≥ 1.6 on this
2-core machine, 0 errors). Exit 1 when a target is missed, 2 when the budget ran out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_bench
from http_bench import ROOT, OutOfTime, Server, _collect_static, _load

SCALING_TARGET = 1.6
BENCH_DOMAIN = "load.bench.sourcebelt.local"
BUYER_PREFIX = "Load test buyer"
QUEUE = "loadtest_bench"
# The searches buyers send: Chinese and English words, every sort, a price at a quantity.
SEARCHES: list[dict[str, str]] = [
    {"q": "包"},
    {"q": "书包"},
    {"q": "双肩包"},
    {"q": "保温杯", "sort": "price", "quantity": "1000"},
    {"q": "backpack"},
    {"q": "plush toy", "sort": "newest"},
    {"q": "手套", "sort": "lead_time"},
    {"q": "sorting bin", "sort": "moq"},
    {"q": "cup"},
    {"q": "收纳箱"},
    {},
    {"sort": "newest"},
]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--replica-url", default="", help="a streaming replica of --database-url (optional)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""), help="cache, throttles and broker")
    parser.add_argument("--users", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=int, default=30, help="load per run (default 30)")
    parser.add_argument("--warm-up", type=int, default=5, help="seconds of load before each measured run")
    parser.add_argument("--max-requests", type=int, default=50_000, help="bound of each run's requests")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every configuration (default 2)")
    parser.add_argument("--buyers", type=int, default=12, help="bench buyer companies (default 12)")
    parser.add_argument("--suppliers", type=int, default=4, help="bench suppliers (default 4)")
    parser.add_argument("--rfqs", type=int, default=40, help="RFQs in each bench supplier's inbox (default 40)")
    parser.add_argument("--budget", type=int, default=900, help="the whole run's bound in seconds (default 900)")
    parser.add_argument(
        "--catalog",
        type=int,
        default=0,
        help="when the database holds no generated catalog yet: generate this many products, then the demo",
    )
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith("postgres"):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL) holding the benchmark catalog")
    if not arguments.redis_url:
        parser.error("give --redis-url (or REDIS_URL): without a broker, publishing would match inside the request")
    return arguments


def _environment(arguments: argparse.Namespace) -> dict[str, str]:
    """Production's settings (DEBUG off) with the throttles counting but never refusing."""
    environment = http_bench._server_environment(
        argparse.Namespace(database_url=arguments.database_url, redis_url=arguments.redis_url)
    )
    rates = ("API_TOKEN_WRITE_RATE", "API_COMPANY_WRITE_RATE", "API_ANON_RATE", "API_TOKEN_READ_RATE")
    environment.update(dict.fromkeys(rates, "1000000/minute"), API_COMPANY_READ_RATE="1000000/minute")
    # Its own queue; and no log line per expected 409 (a quote already sent) or token made.
    environment.update(CELERY_QUEUE=QUEUE, LOG_LEVEL="ERROR", SECURITY_LOG_LEVEL="WARNING")
    environment.pop("DATABASE_REPLICA_URLS", None)
    return environment


def _member(company: Any, email: str, name: str) -> Any:
    from marketplace.models import ApiToken, Membership, User

    user, _created = User.objects.get_or_create(email=email, defaults={"name": name})
    Membership.objects.get_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})
    ApiToken.objects.filter(user=user).delete()
    return user


def _token(user: Any) -> str:
    from marketplace.services.api_tokens import api_token_create

    _row, key = api_token_create(user=user, name="load_test")
    return key


def _set_up(arguments: argparse.Namespace) -> dict[str, Any]:
    """The bench's buyers and suppliers with tokens, the suppliers' inboxes, and the paths to load."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from buyers.models import Match, SourcingRequest
    from marketplace.models import Company
    from suppliers.models import SupplierProfile
    from suppliers.search.segment import segment

    with transaction.atomic():
        SourcingRequest.objects.filter(buyer__name__startswith=BUYER_PREFIX).delete()
        buyers = []
        for number in range(arguments.buyers):
            company, _created = Company.objects.get_or_create(
                name=f"{BUYER_PREFIX} {number + 1}", defaults={"country": "LK", "city": "Colombo"}
            )
            user = _member(company, f"buyer-{number + 1}@{BENCH_DOMAIN}", f"Load buyer {number + 1}")
            buyers.append((company, user, _token(user)))
        suppliers = list(
            SupplierProfile.objects.filter(
                is_active=True, verification_status=SupplierProfile.Verification.VERIFIED, products__isnull=False
            )
            .distinct()
            .order_by("pk")[: arguments.suppliers]
        )
        if len(suppliers) < arguments.suppliers:
            raise SystemExit("Not enough active verified suppliers: fill the database with bench/generate_catalog.py.")
        categories = sorted(
            {slug for supplier in suppliers for slug in supplier.products.values_list("category__slug", flat=True)[:20]}
        )
        now = timezone.now()
        plan_suppliers = []
        for index, supplier in enumerate(suppliers):
            user = _member(supplier.company, f"supplier-{index + 1}@{BENCH_DOMAIN}", f"Load supplier {index + 1}")
            category = supplier.products.values_list("category", flat=True).first()
            rfqs = SourcingRequest.objects.bulk_create(
                SourcingRequest(
                    buyer=buyers[number % len(buyers)][0],
                    created_by=buyers[number % len(buyers)][1],
                    title=f"Load test RFQ {index + 1}-{number + 1}",
                    description="We need 50000 pieces, good quality, export cartons.",
                    category_id=category,
                    quantity=50_000,
                    unit="piece",
                    currency_id="USD",
                    destination_country="LK",
                    destination_city="Colombo",
                    required_by=timezone.localdate() + timedelta(days=40),
                    quote_deadline=now + timedelta(days=7),
                    status=SourcingRequest.Status.OPEN,
                    published_at=now - timedelta(minutes=number),
                    search_text=segment("Load test RFQ", ""),
                )
                for number in range(arguments.rfqs)
            )
            Match.objects.bulk_create(
                Match(rfq=rfq, supplier=supplier, score=0.8, rank=1, reasons=[{"code": "category"}]) for rfq in rfqs
            )
            plan_suppliers.append({"token": _token(user), "rfqs": [rfq.pk for rfq in rfqs]})
    products = http_bench._product_ids(wanted=200)
    if not products or not categories:
        raise SystemExit("No published products: fill the database with bench/generate_catalog.py.")
    return {
        "headers": dict(http_bench.FORWARDED),
        "buyers": [key for _company, _user, key in buyers],
        "suppliers": plan_suppliers,
        "categories": categories,
        "searches": [http_bench._search_path(params) for params in SEARCHES],
        "products": [reverse("suppliers:product_detail", kwargs={"pk": pk}) for pk in products],
    }


def _reset_quotes() -> None:
    """Each run starts from the same inboxes: the previous run's quotes and RFQs posted by buyers go."""
    from django.db import connection

    from buyers.models import Quote, SourcingRequest

    Quote.objects.filter(rfq__buyer__name__startswith=BUYER_PREFIX).delete()
    SourcingRequest.objects.filter(buyer__name__startswith=BUYER_PREFIX, title__startswith="Load test:").delete()
    connection.close()


def _drop_queue(redis_url: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{QUEUE}*"))
    if keys:
        client.delete(*keys)
    return len(keys)


def _locust(
    port: int, plan: dict[str, Any], users: int, seconds: int, out: Path, name: str, max_requests: int
) -> dict[str, Any]:
    prefix = out / name
    kinds = http_bench.run_locust(
        "load_locustfile.py",
        port=port,
        users=users,
        seconds=seconds,
        prefix=prefix,
        environment=dict(os.environ, LOAD_TEST_PLAN=json.dumps({**plan, "max_requests": max_requests})),
        timeout=seconds + 90,
    )
    summary = kinds.pop("Aggregated")
    failures_file = Path(f"{prefix}_failures.csv")
    reasons = failures_file.read_text(encoding="utf-8").splitlines()[1:4] if failures_file.exists() else []
    return {
        "requests": int(summary["Request Count"]),
        "failures": int(summary["Failure Count"]),
        "rps": float(summary["Requests/s"]),
        "p50": float(summary["50%"]),
        "p95": float(summary["95%"]),
        "p99": float(summary["99%"]),
        "kinds": {
            kind: (int(row["Request Count"]), float(row["50%"]), float(row["95%"])) for kind, row in kinds.items()
        },
        "reasons": reasons,
    }


def _one_run(
    arguments: argparse.Namespace, environment: dict[str, str], plan: dict[str, Any], workers: int, replica: bool
) -> dict[str, Any]:
    _reset_quotes()
    if replica:
        environment = dict(environment, DATABASE_REPLICA_URLS=arguments.replica_url)
    directory = Path(tempfile.mkdtemp(prefix="load_test_"))
    server = Server(argparse.Namespace(port=0, workers=workers), environment, directory)
    try:
        server.wait_for_workers(time.monotonic() + 60)
        if arguments.warm_up:
            _locust(server.port, plan, arguments.users, arguments.warm_up, directory, "warm-up", arguments.max_requests)
        return _locust(server.port, plan, arguments.users, arguments.seconds, directory, "run", arguments.max_requests)
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _label(workers: int, replica: bool) -> str:
    return f"{workers} worker{'s' if workers > 1 else ''}, {'with' if replica else 'no'} replica"


def _prepare(arguments: argparse.Namespace) -> None:
    """Generate `--catalog` products and the demo beside them, unless the database has a catalog."""
    import psycopg2

    try:
        with psycopg2.connect(arguments.database_url, connect_timeout=5) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_catalog_marker') IS NOT NULL")
            if cursor.fetchone()[0]:
                return
    except psycopg2.OperationalError:
        pass  # no such database yet: the generator creates it
    environment = {**os.environ, "DEBUG": "true", "SECRET_KEY": "load-test-set-up-only", "DATABASE_URL": ""}
    generate = [sys.executable, "bench/generate_catalog.py", "--products", str(arguments.catalog)]
    generate += ["--suppliers", str(max(100, arguments.catalog // 20)), "--database-url", arguments.database_url]
    print(f"Generating {arguments.catalog} products, then the demo, in {arguments.database_url.rsplit('/', 1)[-1]}")
    subprocess.run(generate, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    demo = {**environment, "DATABASE_URL": arguments.database_url}
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=demo, check=True, stdout=subprocess.DEVNULL
    )


def run(arguments: argparse.Namespace) -> int:
    deadline = time.monotonic() + arguments.budget
    if arguments.catalog:
        _prepare(arguments)
    environment = _environment(arguments)
    http_bench._setup_django(environment)
    started = time.monotonic()
    _collect_static(environment)
    plan = _set_up(arguments)
    from django.db import connection

    connection.close()
    print(
        f"Load test on {arguments.database_url.rsplit('/', 1)[-1]}: {len(plan['buyers'])} buyers, "
        f"{len(plan['suppliers'])} suppliers × {arguments.rfqs} RFQs, {len(plan['products'])} product pages, "
        f"{arguments.users} users, {arguments.seconds} s per run; set-up {time.monotonic() - started:.1f} s {_load()}"
    )
    replicas = (False, True) if arguments.replica_url else (False,)
    configurations = [(workers, replica) for replica in replicas for workers in (1, 2)]
    results: dict[tuple[int, bool], list[dict[str, Any]]] = {configuration: [] for configuration in configurations}
    failed = False
    try:
        for round_number in range(1, arguments.rounds + 1):
            # Interleaved, and in the other order every second round.
            order = configurations if round_number % 2 else list(reversed(configurations))
            for workers, replica in order:
                if time.monotonic() + arguments.seconds + arguments.warm_up + 60 > deadline:
                    raise OutOfTime(f"round {round_number}, {_label(workers, replica)}")
                row = _one_run(arguments, environment, plan, workers, replica)
                results[(workers, replica)].append(row)
                failed = failed or row["failures"] > 0 or row["requests"] == 0
                print(
                    f"  round {round_number} {_label(workers, replica):<28} {row['rps']:>7.1f} req/s  "
                    f"p50 {row['p50']:>5.0f}  p95 {row['p95']:>5.0f}  p99 {row['p99']:>5.0f} ms  "
                    f"{row['failures']} failed of {row['requests']} {_load()}"
                )
                for reason in row["reasons"]:
                    print(f"      failure: {reason[:240]}")
    except OutOfTime as exc:
        print(f"Out of time (budget {arguments.budget} s) at: {exc}")
        return 2
    finally:
        dropped = _drop_queue(arguments.redis_url)
    print(f"\nMedian over {arguments.rounds} rounds {_load()}")
    print(f"  {'configuration':<28} {'req/s':>7} {'p50':>5} {'p95':>5} {'p99':>5} {'errors':>7}")
    medians: dict[tuple[int, bool], float] = {}
    for configuration, rows in results.items():
        medians[configuration] = statistics.median(row["rps"] for row in rows)
        print(
            f"  {_label(*configuration):<28} {medians[configuration]:>7.1f} "
            + " ".join(f"{statistics.median(row[key] for row in rows):>5.0f}" for key in ("p50", "p95", "p99"))
            + f" {sum(row['failures'] for row in rows):>7}"
        )
    last = results[configurations[-1]][-1]
    print("  per kind in the last run (requests, p50 ms, p95 ms):")
    for kind, (count, p50, p95) in sorted(last["kinds"].items()):
        print(f"    {kind:<26} {count:>6} {p50:>6.0f} {p95:>6.0f}")
    for replica in replicas:
        ratio = medians[(2, replica)] / medians[(1, replica)] if medians[(1, replica)] else 0.0
        per_round = [
            two["rps"] / one["rps"] for one, two in zip(results[(1, replica)], results[(2, replica)], strict=True)
        ]
        missed = ratio < SCALING_TARGET
        failed = failed or missed
        print(
            f"  scaling {'with' if replica else 'without'} replica: 2 workers ÷ 1 worker = {ratio:.2f}× "
            f"(rounds: {', '.join(f'{value:.2f}' for value in per_round)})"
            + (f"  MISSED (target ≥ {SCALING_TARGET})" if missed else "")
        )
    print(f"matching tasks left on the bench's queue, dropped: {dropped} key(s)")
    print(f"whole run {time.monotonic() - started:.0f} s {_load()}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
