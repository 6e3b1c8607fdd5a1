"""Measure the web tier over HTTP: gunicorn with the repo's config against the benchmark catalog.

    nice -n 10 .venv/bin/python bench/http_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/sb_bench1m

Needs a database filled by `bench/generate_catalog.py` and `collectstatic`'s files (run when
missing). Steps, all against 127.0.0.1 only, bounded by `--budget` seconds (default 300):

1. Set-up in this process (Django, DEBUG off): a bench supplier (an existing active supplier of
   the catalog) with a member and a read-only API token made anew each run, a bench buyer whose
   `--rfqs` open RFQs are matched to that supplier (its inbox; replaced each run), and published
   products for the product pages.
2. gunicorn as production starts it: `sourcebelt.wsgi -c python:sourcebelt.gunicorn_conf`
   (the app and the search's dictionaries preloaded in the master), `--workers` sync workers,
   DEBUG off, a SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, the throttles' rates raised so that they
   count but never refuse, its access log recording each request's worker and time.
3. Each worker's first request, a search, sent two at once as the server comes up (from the
   access log: the worker's own time), against the same worker's p50 of that search later, sent
   two at once the same way (`--repeat` pairs after the side-by-side step: two searches at once on
   two cores run slower than one alone, which the first pair is not to be charged with); target
   ≤ 1.5 (issue 15: a worker's first search as fast as the others). And each worker's memory
   (RSS, and PSS: its share of the pages it shares with the others) after forking, after the
   first searches and after the load.
4. The API's own cost, side by side: every search of SEARCHES over HTTP, one at a time, and
   the same search in this process through `suppliers.search.service.search_products` (the
   arguments the API's parameters give), interleaved, `--repeat` times after a warm-up. API p50
   ÷ service p50 per search; target ≤ 1.5 (issue 15: the API's routing, authentication, throttles
   and serialisation at most half the service's time).
5. Load: locust headless (`bench/http_locustfile.py`), `--users` concurrent clients with no
   pause for `--seconds` per kind: the search API, the product page, the home page and the
   bench supplier's RFQ inbox (`/api/v1/inbox/` with its token). Requests/s, p50/p95.

Every figure is printed with the machine's load average (1, 5, 15 minutes) at the time. Exit 1
when a search's API p50 is over 1.5 × its service p50, a worker's first search over 1.5 × its
later p50 or a request failed; 2 when the budget ran out (gunicorn is stopped in every case).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENV_BIN = Path(sys.executable).parent
BUYER_NAME = "Bench buyer (http_bench)"
MEMBER_EMAIL = "bench-http-supplier@bench.sourcebelt.local"
BUYER_EMAIL = "bench-http-buyer@bench.sourcebelt.local"
BENCH_LABEL = "http_bench"
RATIO_TARGET = 1.5
HOST = "127.0.0.1"
# Production redirects plain http to https; behind its proxy every request says it came over https.
FORWARDED = {"X-Forwarded-Proto": "https"}
# The search API's calls: words in Chinese and English, one to four characters, and each sort.
SEARCHES: list[dict[str, str]] = [
    {"q": "包"},
    {"q": "书包"},
    {"q": "透明书包"},
    {"q": "保温杯", "sort": "price", "quantity": "1000"},
    {"q": "backpack"},
    {"q": "plush toy", "sort": "newest"},
    {"q": "手套", "sort": "lead_time"},
    {"q": "sorting bin", "sort": "moq"},
]
# gunicorn's access log: worker pid, time in microseconds, status, path and query.
ACCESS_FORMAT = '%(p)s %(D)s %(s)s "%(U)s?%(q)s"'
ACCESS_LINE = re.compile(r"^<(\d+)> (\d+) (\d+) \"(.*)\"$")


class OutOfTime(Exception):
    """The run's budget is spent."""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="the throttles' cache, as in production (default REDIS_URL; none: each worker's memory)",
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=8, help="concurrent clients under load (default 8)")
    parser.add_argument("--seconds", type=int, default=20, help="load per kind of page (default 20)")
    parser.add_argument("--repeat", type=int, default=15, help="side-by-side rounds of every search (default 15)")
    parser.add_argument("--rfqs", type=int, default=60, help="RFQs in the bench supplier's inbox (default 60)")
    parser.add_argument("--budget", type=int, default=300, help="the whole run's bound in seconds (default 300)")
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith("postgres"):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL) holding the benchmark catalog")
    return arguments


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"[load {one:.2f} {five:.2f} {fifteen:.2f}]"


def _server_environment(arguments: argparse.Namespace) -> dict[str, str]:
    """What gunicorn and this process run with: production's settings but for the address and rates."""
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=arguments.database_url,
        DEBUG="false",
        SECRET_KEY="bench-http-only-" + "x" * 40,
        ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="sourcebelt.settings",
    )
    # Counted as in production, never refused: the bench is one client sending thousands.
    environment.update(
        dict.fromkeys(("API_ANON_RATE", "API_TOKEN_READ_RATE", "API_COMPANY_READ_RATE"), "1000000/minute")
    )
    environment.pop("REDIS_URL", None)
    if arguments.redis_url:
        environment["REDIS_URL"] = arguments.redis_url
    return environment


def _setup_django(environment: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environment)
    import django

    django.setup()


def _collect_static(environment: dict[str, str]) -> None:
    """Production serves hashed static files from STATIC_ROOT: collect them when missing."""
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )


def _bench_supplier() -> Any:
    """An active supplier of the catalog, with a member of its own (made once)."""
    from marketplace.models import Membership, User
    from suppliers.models import SupplierProfile

    user = User.objects.filter(email=MEMBER_EMAIL).first()
    if user is None:
        supplier = (
            SupplierProfile.objects.filter(is_active=True, verification_status=SupplierProfile.Verification.VERIFIED)
            .order_by("pk")
            .first()
        )
        if supplier is None:
            raise SystemExit("No active verified supplier: fill the database with bench/generate_catalog.py first.")
        user = User.objects.create(email=MEMBER_EMAIL, name="Bench supplier member")
        Membership.objects.create(user=user, company=supplier.company, role=Membership.Role.OWNER)
    membership = Membership.objects.select_related("company__supplier_profile").get(user=user)
    return user, membership.company.supplier_profile


def _token(user: Any) -> str:
    """A new read-only token for the bench member; the previous runs' are deleted (keys are not kept)."""
    from marketplace.models import ApiToken
    from marketplace.services.api_tokens import api_token_create

    ApiToken.objects.filter(user=user).delete()
    _token_row, key = api_token_create(user=user, name=BENCH_LABEL, scope=ApiToken.Scope.READ)
    return key


def _fill_inbox(supplier: Any, count: int) -> int:
    """`count` open RFQs of a bench buyer, each matched to the bench supplier (the last run's replaced)."""
    from django.utils import timezone

    from buyers.models import Match, SourcingRequest
    from marketplace.models import Company, Membership, User
    from suppliers.search.segment import segment

    company, _created = Company.objects.get_or_create(name=BUYER_NAME, defaults={"country": "LK", "city": "Colombo"})
    user, _created = User.objects.get_or_create(email=BUYER_EMAIL, defaults={"name": "Bench buyer"})
    Membership.objects.get_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})
    SourcingRequest.objects.filter(buyer=company).delete()
    categories = list(supplier.main_categories.all()) or [
        product.category for product in supplier.products.select_related("category")[:1]
    ]
    now = timezone.now()
    rfqs = SourcingRequest.objects.bulk_create(
        SourcingRequest(
            buyer=company,
            created_by=user,
            title=f"Transparent school backpacks, lot {number}",
            description="We need 50000 transparent school backpacks, good quality.",
            category=categories[number % len(categories)],
            quantity=50_000,
            unit="piece",
            currency_id="USD",
            destination_country="LK",
            destination_city="Colombo",
            required_by=timezone.localdate() + timedelta(days=21),
            quote_deadline=now + timedelta(days=7),
            status=SourcingRequest.Status.OPEN,
            published_at=now - timedelta(minutes=number),
            search_text=segment("Transparent school backpacks", ""),
        )
        for number in range(count)
    )
    Match.objects.bulk_create(
        Match(
            rfq=rfq,
            supplier=supplier,
            score=0.5 + (number % 10) / 20,
            rank=1 + number % 5,
            reasons=[{"code": "category"}],
        )
        for number, rfq in enumerate(rfqs)
    )
    return len(rfqs)


def _product_ids(wanted: int = 50) -> list[int]:
    """Published products of active suppliers, spread over the table."""
    from suppliers.models import Product

    last = Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(1, last // wanted)
    ids: list[int] = []
    for start in range(1, last + 1, step):
        found = (
            Product.objects.filter(status=Product.Status.PUBLISHED, supplier__is_active=True, pk__gte=start)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None and found not in ids:
            ids.append(found)
    return ids[:wanted]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn started as production starts it, with an access log of worker pids and times."""

    def __init__(self, arguments: argparse.Namespace, environment: dict[str, str], directory: Path) -> None:
        self.port = arguments.port or _free_port()
        self.workers = arguments.workers
        self.access_log = directory / "access.log"
        self.error_log = directory / "gunicorn.log"
        environment = dict(environment, PYTHONUNBUFFERED="1")
        command = [
            str(VENV_BIN / "gunicorn"),
            "sourcebelt.wsgi",
            "-c",
            "python:sourcebelt.gunicorn_conf",
            "-b",
            f"{HOST}:{self.port}",
            "-w",
            str(self.workers),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_FORMAT,
            "--error-logfile",
            str(self.error_log),
        ]
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)

    def worker_pids(self) -> list[int]:
        import psutil

        return sorted(child.pid for child in psutil.Process(self.process.pid).children())

    def wait_for_workers(self, deadline: float) -> list[int]:
        """Until every worker has warmed up (its log line after `post_worker_init`'s requests,
        sourcebelt/gunicorn_conf.py); no request is sent meanwhile, so that no worker's first
        request shares the cores with another's warm-up."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {self.error_log}\n{self.error_log.read_text()[-3000:]}")
            warm = self.error_log.read_text().count("Worker warmed up") if self.error_log.exists() else 0
            pids = self.worker_pids()
            if warm >= self.workers and len(pids) >= self.workers:
                return pids
            time.sleep(0.1)
        raise OutOfTime("gunicorn did not start in time")

    def access(self) -> list[tuple[int, float, int, str]]:
        """Every logged request so far: (worker pid, ms in the worker, status, path with query)."""
        rows = []
        for line in self.access_log.read_text().splitlines():
            match = ACCESS_LINE.match(line.strip())
            if match:
                pid, micros, status, target = match.groups()
                rows.append((int(pid), int(micros) / 1000, int(status), target.rstrip("?")))
        return rows

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _memory(pids: list[int]) -> str:
    import psutil

    parts = []
    for pid in pids:
        try:
            info = psutil.Process(pid).memory_full_info()
        except psutil.Error:
            continue
        parts.append(f"{pid}: RSS {info.rss / 2**20:.0f} MB, PSS {info.pss / 2**20:.0f} MB")
    return "; ".join(parts)


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[float, int, bytes]:
    """One request on a new connection (gunicorn's sync workers close each): ms, status, body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={**FORWARDED, **headers})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status, body


def _search_path(params: dict[str, str]) -> str:
    from django.urls import reverse

    return reverse("api-product-list") + "?" + urlencode(params)


def _search_label(params: dict[str, str]) -> str:
    return " ".join(f"{key}={value}" for key, value in params.items())


def _service_arguments(params: dict[str, str]) -> dict[str, Any]:
    """The service's arguments for the API's parameters, as the API view derives them."""
    from suppliers.api.filters import ProductSearchParamsSerializer

    serializer = ProductSearchParamsSerializer(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.search_arguments()


def _at_once(server: Server, pids: list[int]) -> list[tuple[float, int, bytes]]:
    """The first search sent once per worker, all at once (each sync worker takes one)."""
    path = _search_path(SEARCHES[0])
    results: list[tuple[float, int, bytes]] = []
    threads = [threading.Thread(target=lambda: results.append(_get(server.port, path, {}))) for _pid in pids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _first_requests(server: Server, pids: list[int]) -> None:
    """Two searches at once as the workers come up: each sync worker takes one."""
    results = _at_once(server, pids)
    statuses = sorted({status for _ms, status, _body in results})
    print(f"first searches sent ({_search_label(SEARCHES[0])}): client times ", end="")
    print(", ".join(f"{ms:.0f} ms" for ms, _status, _body in results), f"status {statuses} {_load()}")


def _side_by_side(server: Server, repeat: int, deadline: float) -> dict[str, tuple[float, float, float]]:
    """Each search over HTTP and in this process, interleaved; p50 per search (client ms, server ms, service ms)."""
    from django.db import connection

    from suppliers.search.service import search_products

    arguments = [_service_arguments(params) for params in SEARCHES]
    api: dict[int, list[float]] = {index: [] for index in range(len(SEARCHES))}
    service: dict[int, list[float]] = {index: [] for index in range(len(SEARCHES))}
    for round_number in range(repeat + 1):  # round 0 warms both up and is not counted
        if time.monotonic() > deadline:
            raise OutOfTime("side-by-side searches")
        for index, params in enumerate(SEARCHES):
            order = ("api", "service") if (round_number + index) % 2 == 0 else ("service", "api")
            for side in order:
                if side == "api":
                    elapsed, status, _body = _get(server.port, _search_path(params), {})
                    if status != 200:
                        raise SystemExit(f"search {params} answered {status}")
                else:
                    started = time.perf_counter()
                    search_products(**arguments[index])
                    elapsed = (time.perf_counter() - started) * 1000
                if round_number:
                    (api if side == "api" else service)[index].append(elapsed)
    connection.close()
    # The workers' own times for the same requests (from the access log; the last `repeat` of each).
    logged: dict[str, list[float]] = {}
    for _pid, ms, _status, target in server.access():
        logged.setdefault(target, []).append(ms)
    figures = {}
    for index, params in enumerate(SEARCHES):
        path = _search_path(params)
        worker_ms = logged.get(path, [])[-repeat:]
        figures[_search_label(params)] = (
            statistics.median(api[index]),
            statistics.median(worker_ms) if worker_ms else float("nan"),
            statistics.median(service[index]),
        )
    return figures


def run_locust(
    locustfile: str, *, port: int, users: int, seconds: int, prefix: Path, environment: dict[str, str], timeout: int
) -> dict[str, dict[str, str]]:
    """Locust headless against 127.0.0.1: `users` clients started at once, no pause, for `seconds`;
    the rows of its stats CSV by name ("Aggregated" the whole run)."""
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / locustfile),
        "--headless",
        "--host",
        f"http://{HOST}:{port}",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    subprocess.run(command, cwd=ROOT, env=environment, check=False, timeout=timeout, capture_output=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        header, *rows = [line.rstrip("\n").split(",") for line in stats]
    return {row[1]: dict(zip(header, row, strict=False)) for row in rows}


def _locust(server: Server, kind: str, paths: list[str], headers: dict[str, str], arguments: Any, out: Path) -> dict:
    """One kind of page under load: locust headless, `users` clients, no pause; its summary row."""
    plan = {"kind": kind, "paths": paths, "headers": {**FORWARDED, **headers}}
    summary = run_locust(
        "http_locustfile.py",
        port=server.port,
        users=arguments.users,
        seconds=arguments.seconds,
        prefix=out / kind,
        environment=dict(os.environ, BENCH_HTTP_PLAN=json.dumps(plan)),
        timeout=arguments.seconds + 60,
    )["Aggregated"]
    return {
        "requests": int(summary["Request Count"]),
        "failures": int(summary["Failure Count"]),
        "rps": float(summary["Requests/s"]),
        "p50": float(summary["50%"]),
        "p95": float(summary["95%"]),
    }


def _later_pairs(server: Server, pids: list[int], repeat: int, deadline: float) -> range:
    """The first search again, once per worker all at once, `repeat` times; the access log's rows they are."""
    before = len(server.access())
    for _round in range(repeat):
        if time.monotonic() > deadline:
            raise OutOfTime("the first search again, two at once")
        _at_once(server, pids)
    return range(before, len(server.access()))


def _first_per_worker(server: Server, pids: list[int], later_rows: range) -> bool:
    """Each worker's first request against its p50 of the same request sent the same way later
    (`_later_pairs`); True when within 1.5×."""
    rows = server.access()
    fine = True
    print(f"\nEach worker's first request (time in the worker) {_load()}")
    for pid in pids:
        mine = [row for row in rows if row[0] == pid]
        if not mine:
            print(f"  worker {pid}: no request")
            fine = False
            continue
        _pid, first_ms, _status, target = mine[0]
        later = [rows[index][1] for index in later_rows if rows[index][0] == pid and rows[index][3] == target]
        steady = statistics.median(later) if later else float("nan")
        ratio = first_ms / steady if later else float("nan")
        fine = fine and ratio <= RATIO_TARGET
        flag = "" if ratio <= RATIO_TARGET else f"  MISSED (target ≤ {RATIO_TARGET})"
        print(
            f"  worker {pid}: first {target} {first_ms:.1f} ms; the same request later, sent as the first "
            f"were (one per worker at once), p50 {steady:.1f} ms ({len(later)} requests) → ×{ratio:.2f}{flag}"
        )
    return fine


def run(arguments: argparse.Namespace) -> int:
    deadline = time.monotonic() + arguments.budget
    environment = _server_environment(arguments)
    _setup_django(environment)
    from django.urls import reverse

    print(f"HTTP bench on {arguments.database_url.rsplit('/', 1)[-1]}, {arguments.workers} workers {_load()}")
    started = time.monotonic()
    _collect_static(environment)
    from suppliers.search.spelling import vocabulary_refresh

    vocabulary_refresh()  # as beat keeps it hourly: the generator writes products with plain SQL
    user, supplier = _bench_supplier()
    key = _token(user)
    inbox = _fill_inbox(supplier, arguments.rfqs)
    products = _product_ids()
    from django.db import connection

    connection.close()
    print(
        f"set-up {time.monotonic() - started:.1f} s: supplier {supplier.pk}, {inbox} RFQs in its inbox, "
        f"{len(products)} product pages {_load()}"
    )
    directory = Path(tempfile.mkdtemp(prefix="http_bench_"))
    server = Server(arguments, environment, directory)
    failed = False
    try:
        pids = server.wait_for_workers(min(deadline, time.monotonic() + 60))
        print(f"gunicorn up in {time.monotonic() - server.started:.1f} s on port {server.port}: workers {pids}")
        print(f"memory after forking: {_memory(pids)} {_load()}")
        _first_requests(server, pids)
        print(f"memory after the first searches: {_memory(pids)} {_load()}")

        figures = _side_by_side(server, arguments.repeat, deadline)
        print(f"\nThe API against the service, one request at a time, p50 over {arguments.repeat} rounds {_load()}")
        print(f"  {'search':<40} {'API ms':>8} {'in worker':>10} {'service ms':>11} {'API/service':>12}")
        for label, (api_ms, worker_ms, service_ms) in figures.items():
            ratio = api_ms / service_ms
            failed = failed or ratio > RATIO_TARGET
            flag = "" if ratio <= RATIO_TARGET else f"  MISSED (target ≤ {RATIO_TARGET})"
            print(f"  {label:<40} {api_ms:>8.1f} {worker_ms:>10.1f} {service_ms:>11.1f} {ratio:>11.2f}×{flag}")
        total_api = sum(api_ms for api_ms, _w, _s in figures.values())
        total_service = sum(service_ms for _a, _w, service_ms in figures.values())
        print(f"  all searches: API p50 sum ÷ service p50 sum = {total_api / total_service:.2f}× {_load()}")
        later_rows = _later_pairs(server, pids, arguments.repeat, deadline)

        kinds = [
            ("search API", [_search_path(params) for params in SEARCHES], {}),
            ("product page", [reverse("suppliers:product_detail", kwargs={"pk": pk}) for pk in products], {}),
            ("home page", [reverse("home")], {}),
            ("RFQ inbox API", [reverse("api-inbox-list")], {"Authorization": f"Token {key}"}),
        ]
        print(f"\nUnder load: {arguments.users} clients, no pause, {arguments.seconds} s per kind (locust)")
        print(f"  {'kind':<16} {'requests':>9} {'failed':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}")
        for kind, paths, headers in kinds:
            if time.monotonic() + arguments.seconds + 10 > deadline:
                raise OutOfTime(kind)
            row = _locust(server, kind, paths, headers, arguments, directory)
            failed = failed or row["failures"] > 0 or row["requests"] == 0
            print(
                f"  {kind:<16} {row['requests']:>9} {row['failures']:>7} {row['rps']:>8.1f} "
                f"{row['p50']:>7.0f} {row['p95']:>7.0f} {_load()}"
            )
        print(f"memory after the load: {_memory(pids)} {_load()}")
        failed = not _first_per_worker(server, pids, later_rows) or failed
    except OutOfTime as exc:
        print(f"Out of time (budget {arguments.budget} s) at: {exc}")
        return 2
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    print(f"\nwhole run {time.monotonic() - started:.0f} s {_load()}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
