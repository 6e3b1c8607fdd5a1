"""Read replicas against a real PostgreSQL streaming replica (docs/replicas.md).

`scripts/test-services replica` starts (or reuses) a small primary of its own and a streaming
replica of it. Once per checkout and set of migrations, a template database is migrated and seeded
on that primary (a supplier, its API token and one product); each test process copies it and serves
it with gunicorn, as deployed, with DATABASE_URL on the primary and DATABASE_REPLICA_URLS on the
replica. The router's decisions and the lag are also tested in this process, against the same pair.

Which server answered is shown by what the page says: with the replica's replay paused, a title
changed on the primary is not on the replica yet, so the old title means the replica answered and
the new one the primary. Replay is paused for the whole cluster, so the tests take turns (a file
lock) when more than one test process runs.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import random
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import requests
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import URLResolver, get_resolver

from sourcebelt import replicas
from sourcebelt.celery import app as celery_app
from sourcebelt.replicas import (
    REPLICA_READ_VIEWS,
    ReplicaRouter,
    RequestReads,
    _reads,
    health_forget,
    replica_lag,
    replica_usable,
)
from tests.test_settings import ROOT, production_env, run_python

SCRIPT = ROOT / "scripts" / "test-services"
STATE = ROOT / "var" / "test-services"
# The pair listens on fixed ports, so checkouts of the repository on one machine may share it: the
# lock is the machine's, and each checkout has databases of its own.
LOCK = (
    Path(tempfile.gettempdir())
    / f"sourcebelt-replica-tests-{os.environ.get('SOURCEBELT_REPLICA_PRIMARY_PORT', '25433')}.lock"
)
CHECKOUT = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
GUNICORN = Path(sys.executable).parent / "gunicorn"
TEMPLATE = f"sb_scale_out_{CHECKOUT}_template"
TOKEN = "sb_replicatestsecretkey0123456789abcdefghijkl"
SKU = "REPLICA-1"
FIRST_TITLE = "Replica check: the first title"
MAX_LAG = 6.0  # REPLICA_MAX_LAG_SECONDS of the servers under test

SEED = f"""
import django
django.setup()
from marketplace.models import ApiToken
from tests.factories import MembershipFactory, SupplierProfileFactory
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

profile = SupplierProfileFactory()
membership = MembershipFactory(company=profile.company)
ApiToken.objects.create(
    user=membership.user, name="replica tests", prefix={TOKEN[:8]!r}, key_hash=ApiToken.hash_key({TOKEN!r})
)
ProductImageFactory(product=ProductFactory(supplier=profile, sku={SKU!r}, title={FIRST_TITLE!r}))
"""


def _postgres_binaries() -> bool:
    directories = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if shutil.which("initdb"):
        directories.append(str(Path(shutil.which("initdb") or "").parent))
    return any((Path(d) / "initdb").exists() and (Path(d) / "pg_basebackup").exists() for d in directories)


@contextmanager
def pair_lock() -> Iterator[None]:
    """One test process at a time starts the servers, copies the template or pauses replay."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _sql(url: str, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = psycopg2.connect(url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def _fingerprint() -> str:
    """Of what the template holds: every migration and the seed."""
    digest = hashlib.sha256(SEED.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _manage_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "SECRET_KEY": "replica-tests",
        "DJANGO_SETTINGS_MODULE": "sourcebelt.settings",
        "REDIS_URL": "",
        "DATABASE_REPLICA_URLS": "",
        "MEDIA_ROOT": str(STATE / "replica-media"),
    }


def _template_ensure(primary: str) -> None:
    """The migrated, seeded template on the primary, rebuilt when a migration or the seed changed."""
    fingerprint = _fingerprint()
    rows = _sql(
        primary,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (TEMPLATE,),
    )
    if rows and rows[0][0] == fingerprint:
        return
    _sql(primary, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    _sql(primary, f"CREATE DATABASE {TEMPLATE}")
    url = _with_database(primary, TEMPLATE)
    for args in (["manage.py", "migrate", "-v0"], ["-c", SEED]):
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=_manage_env(url), capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
    _sql(primary, f"COMMENT ON DATABASE {TEMPLATE} IS %s", (fingerprint,))


@dataclass
class Pair:
    primary: str  # this process's database on the primary
    replica: str  # the same database on the replica

    def caught_up(self, timeout: float = 20) -> None:
        """Wait until the replica has replayed everything the primary wrote so far."""
        # Where the primary has inserted WAL up to, flushed or not (its commits are asynchronous).
        target = _sql(self.primary, "SELECT pg_current_wal_insert_lsn()")[0][0]
        deadline = time.monotonic() + timeout
        while True:
            try:
                rows = _sql(self.replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))
                if rows and rows[0][0]:
                    return
            except psycopg2.OperationalError:
                pass
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)

    @contextmanager
    def replay_paused(self) -> Iterator[None]:
        """Replay stops right after a fresh commit: the replica's lag starts at zero and grows."""
        _sql(self.primary, "SELECT txid_current()")  # a commit the replica replays before it pauses
        self.caught_up()
        _sql(self.replica, "SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            _sql(self.replica, "SELECT pg_wal_replay_resume()")
            self.caught_up()

    def title(self, url: str) -> str:
        return str(_sql(url, "SELECT title FROM suppliers_product WHERE sku = %s", (SKU,))[0][0])


def _replica_start() -> tuple[str, str]:
    """The URLs of the primary and the replica that `scripts/test-services replica` prints."""
    result = subprocess.run(
        [str(SCRIPT), "replica"],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exported = dict(
        item.split("=", 1) for item in result.stdout.replace("export ", "").replace("'", "").split() if "=" in item
    )
    return exported["REPLICA_PRIMARY_URL"], exported["DATABASE_REPLICA_URLS"]


@pytest.fixture(scope="session")
def pair() -> Pair:
    if not _postgres_binaries():
        pytest.skip("PostgreSQL's server binaries (initdb, pg_basebackup) are not installed: no replica to test.")
    name = f"sb_scale_out_{CHECKOUT}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with pair_lock():
        primary, replica = _replica_start()
        _template_ensure(primary)
        _sql(primary, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _sql(primary, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    found = Pair(_with_database(primary, name), _with_database(replica, name))
    found.caught_up()
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, **headers: str) -> requests.Response:
        response = requests.get(self.base + path, headers=headers, timeout=30, allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response


@contextmanager
def _gunicorn(pair: Pair, *, check_seconds: float) -> Iterator[Server]:
    """The app as deployed (one gunicorn worker), reading from the replica when it may."""
    port = _free_port()
    log = STATE / f"replica-gunicorn-{port}.log"
    env = {
        **production_env(),
        # The pages' static files are found without collectstatic's manifest; errors still answer 500.
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PATH": str(Path(sys.executable).parent),
        "DATABASE_URL": pair.primary,
        "DATABASE_REPLICA_URLS": pair.replica,
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
        "REPLICA_CHECK_SECONDS": str(check_seconds),
        "REPLICA_READ_YOUR_WRITES_SECONDS": "60",
        "MEDIA_ROOT": str(STATE / "replica-media"),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "sourcebelt.wsgi", "-c", "python:sourcebelt.gunicorn_conf", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(server.base + "/api/v1/", timeout=30)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server(pair: Pair) -> Iterator[Server]:
    """Reads each replica's lag at most every half second."""
    with _gunicorn(pair, check_seconds=0.5) as started:
        yield started


@pytest.fixture
def slow_checking_server(pair: Pair) -> Iterator[Server]:
    """Trusts its verdict on a replica for a minute: a replica that stops meanwhile fails under a request."""
    with _gunicorn(pair, check_seconds=60) as started:
        yield started


@pytest.fixture(scope="module")
def product_id(pair: Pair) -> int:
    return int(_sql(pair.primary, "SELECT id FROM suppliers_product WHERE sku = %s", (SKU,))[0][0])


def _api_title(server: Server, product_id: int, **headers: str) -> str:
    return str(server.get(f"/api/v1/products/{product_id}/", **headers).json()["title"])


def _search_titles(server: Server, word: str, **headers: str) -> list[str]:
    return [str(found["title"]) for found in server.get(f"/api/v1/products/?q={word}", **headers).json()["results"]]


def _title_change(pair: Pair, title: str) -> None:
    _sql(pair.primary, "UPDATE suppliers_product SET title = %s WHERE sku = %s", (title, SKU))


def test_scale_out_writes_go_to_the_primary_public_reads_to_the_replica_and_the_writer_reads_its_write(
    pair: Pair, server: Server, product_id: int
) -> None:
    with pair_lock():
        pair.caught_up()
        before = pair.title(pair.primary)
        assert _api_title(server, product_id) == before
        word = "".join(random.choices(string.ascii_lowercase, k=12))  # found by search once indexed
        mine = f"Replica check: changed by its supplier {word}"
        with pair.replay_paused():
            response = requests.patch(
                f"{server.base}/api/v1/catalog/products/{product_id}/",
                json={"title": mine},
                headers={"Authorization": f"Token {TOKEN}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text[:500]
            assert response.json()["title"] == mine  # the answer to the change reads the primary
            # The write is on the primary, not yet on the paused replica.
            assert pair.title(pair.primary) == mine
            assert pair.title(pair.replica) == before
            # Anyone else reads the replica: the page and the API still show the old title.
            assert _api_title(server, product_id) == before
            page = server.get(f"/suppliers/products/{product_id}/").text
            assert before in page
            assert mine not in page
            assert _search_titles(server, word) == []  # search too: the replica's index has not the word
            # The supplier reads its own write at once: its token, and the browser's signed cookie.
            assert _api_title(server, product_id, Authorization=f"Token {TOKEN}") == mine
            assert _search_titles(server, word, Authorization=f"Token {TOKEN}") == [mine]
            wrote = response.cookies.get("sb_wrote")
            assert wrote
            assert mine in server.get(f"/suppliers/products/{product_id}/", Cookie=f"sb_wrote={wrote}").text
            # A forged or foreign cookie does not count.
            assert _api_title(server, product_id, Cookie="sb_wrote=1") == before
        # Replay resumed: everyone sees the change.
        assert _api_title(server, product_id) == mine
        assert _search_titles(server, word) == [mine]


def test_scale_out_a_replica_lagging_past_the_bound_is_skipped(pair: Pair, server: Server, product_id: int) -> None:
    with pair_lock(), pair.replay_paused():
        changed = f"Replica check: changed while replay is paused {time.time_ns()}"
        _title_change(pair, changed)
        # Within the bound: the replica answers.
        assert _api_title(server, product_id) != changed, server.log.read_text()[-6000:]
        time.sleep(MAX_LAG + 1)  # the replica is now further behind than REPLICA_MAX_LAG_SECONDS
        assert _api_title(server, product_id) == changed
        assert changed in server.get(f"/suppliers/products/{product_id}/").text
        assert pair.title(pair.replica) != changed  # still behind: the primary answered


def test_scale_out_healthz_reports_the_replica_its_lag_and_whether_it_is_used(pair: Pair, server: Server) -> None:
    with pair_lock():
        pair.caught_up()
        time.sleep(0.6)  # the server's verdict on the replica is read again
        health = server.get("/healthz").json()
        assert health["status"] == "ok"
        assert health["replicas"] == {"replica_1": {"status": "ok", "lag_seconds": 0.0, "reads": "used"}}
        with pair.replay_paused():
            _title_change(pair, f"Replica check: a change /healthz sees waiting {time.time_ns()}")
            time.sleep(MAX_LAG + 1)
            health = server.get("/healthz").json()  # 200: the replica is skipped, not the instance
            replica = health["replicas"]["replica_1"]
            assert health["status"] == "ok"
            assert replica["status"] == "behind"
            assert replica["lag_seconds"] > MAX_LAG
            assert replica["reads"] == "skipped"
            assert "REPLICA_MAX_LAG_SECONDS" in replica["why"]


def _standby_stop(pair: Pair) -> None:
    """Stop the running replica, by the data directory it says it runs from now: the one that
    started it last may be another checkout's test services or this one's (`_replica_start` after
    an earlier test stopped it), whichever the pair fixture saw first."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1] if glob.glob("/usr/lib/postgresql/*/bin") else ""
    pg_ctl = str(Path(bindir) / "pg_ctl") if bindir else shutil.which("pg_ctl") or "pg_ctl"
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = _sql(pair.replica, "SHOW data_directory")[0][0]
    subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], check=True)


@pytest.mark.parametrize("first", ["api", "page"])
def test_scale_out_a_replica_that_stops_is_skipped_even_under_a_request(
    pair: Pair, server: Server, slow_checking_server: Server, product_id: int, first: str
) -> None:
    with pair_lock():
        changed = f"Replica check: changed before the replica stops {time.time_ns()}"
        _title_change(pair, changed)
        pair.caught_up()
        # Both servers have read from the replica and hold a connection to it; the slow-checking
        # one trusts it for a minute.
        assert _api_title(slow_checking_server, product_id) == changed
        assert _api_title(server, product_id) == changed
        _standby_stop(pair)
        try:
            # The held connection fails under the first request, an API view's or a page's: the
            # view runs again on the primary. The next ones read the primary at once.
            reads = [
                lambda: _api_title(slow_checking_server, product_id) == changed,
                lambda: changed in slow_checking_server.get(f"/suppliers/products/{product_id}/").text,
            ]
            for read in reads if first == "api" else reversed(reads):
                assert read()
            assert slow_checking_server.get("/suppliers/search/?q=replica").status_code == 200
            assert slow_checking_server.log.read_text().count("Replica replica_1 failed during a request") == 1
            # The other server finds the replica down when it next checks it.
            time.sleep(0.6)
            assert _api_title(server, product_id) == changed
            assert server.get("/insights/").status_code == 200
            # /healthz names it down and still answers 200 (server.get): the primary serves its reads.
            health = server.get("/healthz").json()
            assert health["status"] == "ok"
            assert health["replicas"]["replica_1"]["status"] == "down"
            assert health["replicas"]["replica_1"]["reads"] == "skipped"
            assert "primary" in health["replicas_note"]
        finally:
            _replica_start()  # starts the stopped replica again
            pair.caught_up()


# --- The router's decisions, in this process, against the same servers ------------------------------


@pytest.fixture
def replica_aliases(pair: Pair, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """In this process, as settings would make them: replica_1 on the replica, replica_2 on a port
    where nothing listens, replica_3 on the primary (a server that is no replica)."""
    base = connections.settings[DEFAULT_DB_ALIAS]
    ports = {
        "replica_1": urlsplit(pair.replica).port,
        "replica_2": _free_port(),
        "replica_3": urlsplit(pair.primary).port,
    }
    for alias, port in ports.items():
        connections.settings[alias] = {
            **base,
            "NAME": urlsplit(pair.primary).path.lstrip("/"),
            "HOST": "127.0.0.1",
            "PORT": port,
            "USER": "postgres",
            "PASSWORD": "",
            "CONN_MAX_AGE": 0,
            "OPTIONS": {**base.get("OPTIONS", {}), "connect_timeout": 2},
        }
    health_forget()
    try:
        with django_db_blocker.unblock():
            yield {alias: alias for alias in ports}
    finally:
        for alias in ports:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
        health_forget()


@contextmanager
def _request_reads(**state: Any) -> Iterator[RequestReads]:
    reads = RequestReads(**state)
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def test_scale_out_a_caught_up_replica_of_an_idle_primary_is_not_behind(
    pair: Pair, replica_aliases: dict[str, str]
) -> None:
    with pair_lock():
        pair.caught_up()
        time.sleep(1.5)
        # Its last replayed transaction ages with the idle primary, yet nothing is behind.
        age = _sql(pair.replica, "SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")[0][0]
        assert age > 1.4
        assert replica_lag("replica_1") == 0, _sql(
            pair.replica,
            "SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), pg_is_wal_replay_paused(), "
            "(SELECT status FROM pg_stat_wal_receiver), now() - pg_last_xact_replay_timestamp()",
        )
        # A connection the replica dropped (say it restarted) is replaced, not taken for the replica being down.
        _sql(pair.replica, "SELECT pg_terminate_backend(%s)", (connections["replica_1"].connection.get_backend_pid(),))
        assert replica_lag("replica_1") == 0
        with pair.replay_paused():
            _title_change(pair, f"Replica check: a change the replica has not replayed {time.time_ns()}")
            deadline = time.monotonic() + 10
            while not _sql(pair.replica, "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")[0][0]:
                assert time.monotonic() < deadline, "the replica did not receive the change"
                time.sleep(0.05)
            time.sleep(1)
            lag = replica_lag("replica_1")
            assert lag is not None
            assert lag >= 1
        # Neither a server that does not answer nor one that is not in recovery serves reads.
        assert replica_lag("replica_2") is None
        assert replica_lag("replica_3") is None


@pytest.mark.django_db
def test_scale_out_healthz_names_a_replica_down_or_no_replica_and_stays_healthy(
    pair: Pair, replica_aliases: dict[str, str], client: Any, settings: Any
) -> None:
    settings.DATABASE_ROUTERS = ["sourcebelt.replicas.ReplicaRouter"]
    settings.REPLICA_CHECK_SECONDS = 60  # the second request finds every verdict still fresh
    with pair_lock():
        pair.caught_up()
        response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["replicas"]["replica_1"] == {"status": "ok", "lag_seconds": 0.0, "reads": "used"}
    for alias in ("replica_2", "replica_3"):  # nothing listens; the primary is no replica
        assert body["replicas"][alias]["status"] == "down"
        assert body["replicas"][alias]["lag_seconds"] is None
        assert body["replicas"][alias]["reads"] == "skipped"
        assert "primary" in body["replicas"][alias]["why"]
    # Within REPLICA_CHECK_SECONDS /healthz asks no replica again: it reports the router's verdicts.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(replicas, "replica_lag", _not_asked)
        assert client.get("/healthz", HTTP_HOST="localhost").json()["replicas"] == body["replicas"]


def test_scale_out_the_router_sends_only_marked_reads_to_a_usable_replica(
    pair: Pair, replica_aliases: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.sessions.models import Session

    from marketplace.models import ApiToken
    from suppliers.models import Product

    router = ReplicaRouter()
    # Outside a request (a task, a command) and in a request not marked: the primary.
    assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
    with _request_reads():
        assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
    with pair_lock():
        pair.caught_up()
        with _request_reads(replica_allowed=True) as reads:
            # replica_2 does not answer and replica_3 is no replica: only replica_1 is chosen.
            assert router.db_for_read(Product) == "replica_1"
            assert reads.replica == "replica_1"
            # Who the caller is comes from the primary.
            assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
            assert router.db_for_read(ApiToken) == DEFAULT_DB_ALIAS
            # In a transaction on the primary, reads stay there.
            monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", True)
            assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
            monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", False)
            # A Celery task, eager inside the request too, reads the primary; the request goes on after it.
            assert replica_probe.apply().get() == DEFAULT_DB_ALIAS
            assert router.db_for_read(Product) == "replica_1"
            # Once the request wrote, it reads the primary.
            assert router.db_for_write(Product) == DEFAULT_DB_ALIAS
            assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
        # Each verdict is kept for REPLICA_CHECK_SECONDS: a dead replica is not tried again at once.
        assert not replica_usable("replica_2")
        assert not replica_usable("replica_3")
        monkeypatch.setattr(replicas, "replica_lag", _not_asked)
        assert replica_usable("replica_1")
        assert not replica_usable("replica_2")


def _not_asked(alias: str) -> float | None:
    raise AssertionError(f"{alias} was asked again within REPLICA_CHECK_SECONDS")


@celery_app.task(name="tests.test_scale_out_replicas.replica_probe")
def replica_probe() -> str:
    from suppliers.models import Product

    return ReplicaRouter().db_for_read(Product)


def test_scale_out_replica_urls_become_aliases_routed_by_the_router() -> None:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([sorted(settings.DATABASES), settings.DATABASES['replica_2']['HOST'], "
        "settings.DATABASES['replica_1']['TEST'], settings.DATABASE_ROUTERS, "
        "settings.DATABASES['replica_1']['OPTIONS']]))"
    )
    result = run_python(
        ["-c", code],
        DEBUG="true",
        DATABASE_URL="postgres://postgres@primary.example:5432/sourcebelt",
        DATABASE_REPLICA_URLS="postgres://postgres@replica-a.example:5432/sourcebelt, postgres://postgres@replica-b.example:5432/sourcebelt",
    )
    assert result.returncode == 0, result.stderr
    aliases, host, test, routers, options = json.loads(result.stdout)
    assert aliases == ["default", "replica_1", "replica_2"]
    assert host == "replica-b.example"
    assert test["MIRROR"] == "default"
    assert routers == ["sourcebelt.replicas.ReplicaRouter"]
    assert "statement_timeout" in options["options"]
    # Without them, nothing changes; with a SQLite primary they are refused.
    plain = "from django.conf import settings; print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS)"
    result = run_python(["-c", plain], DEBUG="true", DATABASE_URL="postgres://postgres@primary.example/sourcebelt")
    assert result.stdout.strip() == "['default'] []", result.stderr
    result = run_python(["-c", plain], DEBUG="true", DATABASE_REPLICA_URLS="postgres://postgres@replica.example/x")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL" in result.stderr


def test_scale_out_every_page_marked_for_replicas_exists_and_only_reads() -> None:
    found: dict[str, Any] = {}

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif entry.name:
                found[f"{namespace}{entry.name}"] = entry.callback

    walk(get_resolver().url_patterns)
    assert set(found) >= REPLICA_READ_VIEWS, REPLICA_READ_VIEWS - set(found)
    for name in REPLICA_READ_VIEWS:
        view_class = getattr(found[name], "view_class", None)
        if view_class is not None:  # an API view: it answers reads only
            handlers = {method for method in ("post", "put", "patch", "delete") if hasattr(view_class, method)}
            assert not handlers, (name, handlers)
