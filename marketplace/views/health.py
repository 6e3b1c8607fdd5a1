"""/healthz: is this instance able to serve? Checks the database, the cache and the broker, and
reports the read replicas.

For load balancers and orchestrators: no authentication, never cached, always JSON, and every
failure is caught and named, so a broken dependency answers 503 instead of a 500 page. A replica
that is down or behind is reported but answers 200: its reads go to the primary (docs/replicas.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from celery import current_app as celery_app
from django.core.cache import cache
from django.db import connection, router
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2
REPLICAS_NOTE = (
    "Replicas do not decide this instance's health: a replica that is down or too far behind is"
    " skipped and its reads go to the primary."
)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    probe = getattr(cache, "probe", None)
    if probe is not None:  # the Redis cache answers without Redis when it is down: ask Redis itself
        probe()
        return "ok"
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            return "error: the cache did not return what was stored"
    finally:
        cache.delete(key)
    return "ok"


def _check_broker() -> str:
    """With no broker configured, tasks run in-process: nothing to reach, report "eager"."""
    broker_url = celery_app.conf.broker_url or ""
    if not broker_url or broker_url.startswith("memory://"):
        return "eager"
    with Connection(broker_url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def _replicas() -> dict[str, Any]:
    """Each read replica, as the configured router that sends reads to them reports it (none
    without DATABASE_REPLICA_URLS)."""
    for configured in router.routers:
        report = getattr(configured, "replicas_health", None)
        if report is not None:
            try:
                return dict(report())
            except Exception as exc:  # reported, never a crash: the primary serves every read
                return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return {}


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # Any failure is a finding to report, not a crash.
        return f"error: {type(exc).__name__}: {exc}"[:300]


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _run(_check_database),
        "cache": _run(_check_cache),
        "broker": _run(_check_broker),
    }
    healthy = all(result in {"ok", "eager"} for result in checks.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "error", "checks": checks}
    replicas = _replicas()
    if replicas:  # not a check: without a replica, reads go to the primary
        body["replicas"] = replicas
        body["replicas_note"] = REPLICAS_NOTE
    return JsonResponse(body, status=200 if healthy else 503)
