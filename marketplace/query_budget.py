"""How long a web request may keep the database busy, by kind of request (docs/search.md, "Bounds").

Every statement is bounded by the connection's `statement_timeout` (DATABASE_STATEMENT_TIMEOUT_MS,
15 s in the web tier). Within that, each request has a budget by what it is (QUERY_BUDGET_SECONDS):
an anonymous read (no session cookie, no API token: anyone on the internet, a crawler) the
shortest, a signed-in read more, a change the most. When the budget runs out while a statement
runs, PostgreSQL is asked to cancel that statement (psycopg2's `cancel()`, from a timer thread: no
query is added to any request), and the person is told, in a page or in the API's error shape, that
the request took too long and what to try instead (`RequestTookTooLong`, 503).

A statement that ran into `statement_timeout` itself is told the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from psycopg2.errors import QueryCanceled
from rest_framework.permissions import SAFE_METHODS

from marketplace.errors import DomainError


class RequestTookTooLong(DomainError):
    """The request's database work ran past its budget and was stopped."""

    status_code = 503
    code = "took_too_long"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This request took too long and was stopped. Narrow it down (more words or a filter, "
                "such as a category) and try again."
            )
        )


def request_kind(request: HttpRequest) -> str:
    """ "anonymous", "read" or "write": decided from the request alone, before anyone is looked up."""
    if request.method not in SAFE_METHODS:
        return "write"
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
    return "read" if signed_in else "anonymous"


class _Watchdog:
    """The execute wrapper of one request: a timer that cancels the statement running when the
    budget ends, and the translation of a cancelled statement into RequestTookTooLong."""

    def __init__(self, budget: float) -> None:
        self.running: Any = None  # the psycopg2 connection while one of our statements runs
        self.fired = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(budget, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        with self.lock:
            self.fired = True
            if self.running is not None:
                self.running.cancel()

    def stop(self) -> None:
        self.timer.cancel()

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        with self.lock:
            self.running = context["connection"].connection
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if isinstance(error.__cause__, QueryCanceled):
                raise RequestTookTooLong from error
            raise
        finally:
            with self.lock:
                self.running = None


class QueryBudgetMiddleware:
    """Runs each request under its kind's budget (PostgreSQL only: SQLite has nothing to cancel)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        budget = settings.QUERY_BUDGET_SECONDS.get(request_kind(request), 0)
        if connection.vendor != "postgresql" or not budget:
            return self.get_response(request)
        watchdog = _Watchdog(budget)
        try:
            with ExitStack() as wrappers:
                # Every database the request may read: the primary and any read replica.
                for alias in connections:
                    wrappers.enter_context(connections[alias].execute_wrapper(watchdog))
                return self.get_response(request)
        finally:
            watchdog.stop()
