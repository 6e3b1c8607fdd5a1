"""Read replicas: which reads a PostgreSQL streaming replica may serve, and falling back to the
primary when one cannot (docs/replicas.md).

With DATABASE_REPLICA_URLS set, settings add the aliases replica_1, replica_2, ... and this
module's router. Reads go to a replica only when all of these hold:

- the request is a GET or HEAD of a page that opted in: its URL name is in REPLICA_READ_VIEWS
  (public catalog, search, supplier and belt pages, trending and belt demand, and their API);
  `ReplicaReadsMiddleware.process_view` marks the request in a context variable that the router
  reads. Nothing is guessed from the model: every other request, a Celery task (eager ones
  included), a command, reads on the primary;
- the same browser (a signed cookie) or API token has not changed anything in the last
  REPLICA_READ_YOUR_WRITES_SECONDS, and this request has not written yet (read-your-writes);
- no transaction is open on the primary, and the model is not one that says who the caller is
  (sessions, API tokens, lockouts, second factors: PRIMARY_ONLY);
- a replica answers and is at most REPLICA_MAX_LAG_SECONDS behind. Its lag is read from the
  replica itself, at most every REPLICA_CHECK_SECONDS per process: 0 when it has replayed all the
  WAL it received (`pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()`: on an idle primary the
  last replayed transaction ages although nothing is behind; after a restart the receiver counts
  from the start of a WAL segment, behind what was replayed), else the age of the last transaction
  it replayed. A replica that fails is left alone as long.

One request keeps to the replica it started with. When the replica's connection fails during the
view (the server stopped, a query cancelled by a recovery conflict), the replica is marked down and
the view runs again on the primary: the page answers, never 500. Writes always go to the primary.
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import time
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("sourcebelt.replicas")

# The pages whose reads tolerate a moment's lag, by URL name: public reads that show the same to
# everyone allowed to see them, and change nothing.
REPLICA_READ_VIEWS = frozenset(
    {
        # The public catalog: home, belts and categories.
        "home",
        "belt_list",
        "belt_detail",
        "category_list",
        "category_detail",
        # Search, the supplier directory, supplier and product pages.
        "suppliers:search",
        "suppliers:supplier_search",
        "suppliers:detail",
        "suppliers:product_detail",
        "suppliers:product_price",
        # Trending demand and a belt's demand dashboard.
        "insights:trending",
        "insights:belt_dashboard",
        # The same through the API.
        "api-belt-list",
        "api-belt-detail",
        "api-category-list",
        "api-category-detail",
        "api-product-list",
        "api-product-detail",
        "api-supplier-list",
        "api-supplier-detail",
        "api-insights-trending",
        "api-insights-belt-demand",
    }
)

# Rows that say who the caller is are read where they were written, whatever the page: a session,
# an API token just created, a lockout, a second factor.
PRIMARY_ONLY_MODELS = frozenset({"sessions.session", "marketplace.apitoken"})
PRIMARY_ONLY_APPS = frozenset({"axes", "otp_totp", "otp_static", "otp_email", "django_otp"})

READ_YOUR_WRITES_COOKIE = "sb_wrote"
_COOKIE_SALT = "sourcebelt.replicas.read-your-writes"
_CLIENT_KEY_PREFIX = "sourcebelt:replicas:wrote:"

# The replica's lag in seconds; NULL when the server is not a replica at all (a promoted one).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 'Infinity')
END
"""


@dataclass
class RequestReads:
    """Where this request's reads may go, and what it did."""

    replica_allowed: bool = False
    wrote: bool = False
    chosen: bool = False
    replica: str | None = None
    view: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None = None


# None outside a request (tasks, commands, threads): every read on the primary.
_reads: ContextVar[RequestReads | None] = ContextVar("sourcebelt_replica_reads", default=None)

# Per process: replica alias -> (monotonic time until which the verdict holds, usable, lag in
# seconds as read then, None when it did not answer or is no replica).
_health: dict[str, tuple[float, bool, float | None]] = {}


def replica_aliases() -> list[str]:
    """The aliases settings made of DATABASE_REPLICA_URLS."""
    return [alias for alias in connections if alias.startswith("replica_")]


def replica_lag(alias: str) -> float | None:
    """How many seconds `alias` is behind its primary; None when it cannot serve reads (down, or
    no longer a replica). A connection kept from an earlier request that turns out dead (the replica
    restarted since) is replaced once."""
    while True:
        held = connections[alias].connection is not None
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(LAG_SQL)
                row = cursor.fetchone()
            break
        except Error as error:
            replica_close(alias)
            if not held:
                logger.warning("Replica %s does not answer (%s: %s).", alias, type(error).__name__, error)
                return None
    if row is None or row[0] is None:
        logger.warning("Replica %s is not in recovery: it is not a replica any more.", alias)
        return None
    return float(row[0])


def replica_usable(alias: str) -> bool:
    """Whether `alias` may serve reads now, from this process's verdict of the last
    REPLICA_CHECK_SECONDS or by reading its lag."""
    return replica_verdict(alias)[0]


def replica_verdict(alias: str) -> tuple[bool, float | None]:
    """Whether `alias` may serve reads now and its lag (None: down, or no replica), from this
    process's verdict of the last REPLICA_CHECK_SECONDS or by reading its lag."""
    now = time.monotonic()
    cached = _health.get(alias)
    if cached is not None and cached[0] > now:
        return cached[1], cached[2]
    lag = replica_lag(alias)
    usable = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
    if lag is not None and not usable:
        logger.warning(
            "Replica %s is %.1f s behind (more than %.1f s): reading from the primary.",
            alias,
            lag,
            settings.REPLICA_MAX_LAG_SECONDS,
        )
    elif usable and cached is not None and not cached[1]:
        logger.info("Replica %s serves reads again.", alias)
    _health[alias] = (time.monotonic() + settings.REPLICA_CHECK_SECONDS, usable, lag)
    return usable, lag


def replicas_health() -> dict[str, dict[str, Any]]:
    """What /healthz says of each replica: whether it answers, how far behind it is, and whether
    this process reads from it. From the verdicts the router uses, so at most one lag read per
    replica every REPLICA_CHECK_SECONDS, each bounded by REPLICA_CONNECT_TIMEOUT_SECONDS and the
    statement timeout. A replica that is down or behind leaves the instance healthy: its reads go
    to the primary."""
    report = {}
    for alias in sorted(replica_aliases()):
        usable, lag = replica_verdict(alias)
        if lag is None:
            status, why = "down", "does not answer, or is not a replica: its reads go to the primary"
        elif not usable:
            bound = f"REPLICA_MAX_LAG_SECONDS ({settings.REPLICA_MAX_LAG_SECONDS:g} s)"
            status, why = "behind", f"further behind than {bound}: its reads go to the primary"
        else:
            status, why = "ok", ""
        report[alias] = {
            "status": status,
            "lag_seconds": round(lag, 3) if lag is not None and math.isfinite(lag) else None,
            "reads": "used" if usable else "skipped",
            **({"why": why} if why else {}),
        }
    return report


def replica_failed(alias: str, error: BaseException) -> None:
    """`alias` failed during a request: leave it alone for REPLICA_CHECK_SECONDS."""
    _health[alias] = (time.monotonic() + settings.REPLICA_CHECK_SECONDS, False, None)
    replica_close(alias)
    logger.warning(
        "Replica %s failed during a request (%s: %s); answering from the primary.", alias, type(error).__name__, error
    )


def replica_close(alias: str) -> None:
    try:
        connections[alias].close()
    except Error:
        connections[alias].connection = None  # already broken: forget it, the next use reconnects


def replica_choose() -> str | None:
    """A usable replica, or None (the primary)."""
    aliases = replica_aliases()
    random.shuffle(aliases)
    return next((alias for alias in aliases if replica_usable(alias)), None)


def health_forget() -> None:
    """Forget every verdict (tests)."""
    _health.clear()


class ReplicaRouter:
    """Reads of a request marked by ReplicaReadsMiddleware to a usable replica; everything else,
    and every write, to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        reads = _reads.get()
        if reads is None or not reads.replica_allowed or reads.wrote:
            return DEFAULT_DB_ALIAS
        meta = model._meta
        if meta.label_lower in PRIMARY_ONLY_MODELS or meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if not reads.chosen:
            reads.replica = replica_choose()
            reads.chosen = True
        return reads.replica or DEFAULT_DB_ALIAS

    def replicas_health(self) -> dict[str, dict[str, Any]]:
        """For /healthz, which finds it on the configured routers (no app imports this package)."""
        return replicas_health()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True  # the rest of this request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """A row read from a replica is the primary's row."""
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        """Replicas follow the primary's migrations; never migrate them directly."""
        return False if db.startswith("replica_") else None


def _token_key(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    return _CLIENT_KEY_PREFIX + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()


def recently_wrote(request: HttpRequest) -> bool:
    """Whether this browser or API token changed something within REPLICA_READ_YOUR_WRITES_SECONDS."""
    window = settings.REPLICA_READ_YOUR_WRITES_SECONDS
    if window <= 0:
        return False
    if request.get_signed_cookie(READ_YOUR_WRITES_COOKIE, default=None, salt=_COOKIE_SALT, max_age=window):
        return True
    key = _token_key(request)
    return key is not None and cache.get(key) is not None


def remember_write(request: HttpRequest, response: HttpResponse) -> None:
    """The next REPLICA_READ_YOUR_WRITES_SECONDS of this browser and API token read the primary."""
    window = settings.REPLICA_READ_YOUR_WRITES_SECONDS
    if window <= 0:
        return
    response.set_signed_cookie(
        READ_YOUR_WRITES_COOKIE,
        "1",
        salt=_COOKIE_SALT,
        max_age=window,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    key = _token_key(request)
    if key is not None:
        cache.set(key, 1, timeout=window)  # a cache outage only loses this (sourcebelt/cache.py)


class ReplicaReadsMiddleware:
    """Marks the requests whose reads a replica may serve, remembers who wrote, and runs a view
    again on the primary when its replica fails. Not used without replicas."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads = RequestReads()
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") or reads.wrote:
            remember_write(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        reads = _reads.get()
        match = request.resolver_match
        if reads is None or match is None or match.view_name not in REPLICA_READ_VIEWS:
            return None
        if request.method not in ("GET", "HEAD") or recently_wrote(request):
            return None
        reads.replica_allowed = True
        reads.view = (view, args, kwargs)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The replica failed under the view: mark it down and answer from the primary."""
        reads = _reads.get()
        if reads is None or reads.replica is None or reads.view is None:
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        replica_failed(reads.replica, exception)
        reads.replica_allowed = False
        reads.replica = None
        view, args, kwargs = reads.view
        response: HttpResponse = view(request, *args, **kwargs)
        render = getattr(response, "render", None)
        if callable(render):
            response = render()  # Django renders only the response a view returned, not this one
        return response


# Celery tasks read the primary, also when one runs eagerly inside a request.
_task_tokens: dict[str, Token[RequestReads | None]] = {}


@task_prerun.connect(weak=False)
def _task_reads_primary(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id is not None and _reads.get() is not None:
        _task_tokens[task_id] = _reads.set(None)


@task_postrun.connect(weak=False)
def _task_done(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id is not None else None
    if token is not None:
        _reads.reset(token)
