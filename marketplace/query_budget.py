"""How long a web request may keep the database busy, by kind of request (docs/search.md, "Bounds").

Every statement is bounded by the connection's `statement_timeout` (DATABASE_STATEMENT_TIMEOUT_MS,
15 s in the web tier). Within that, each request has a budget by what it is (QUERY_BUDGET_SECONDS):
an anonymous read (no session cookie, no API token: anyone on the internet, a crawler) the
shortest, a signed-in read more, a change the most. When the budget runs out while a statement
runs, PostgreSQL is asked to cancel that statement (psycopg2's `cancel()`, from the process's one
watchdog thread, `_Watchdog`: no query and no thread is added to any request), and the person is
told, in a page or in the API's error shape, that the request took too long and what to try
instead (`RequestTookTooLong`, 503).

A statement that ran into `statement_timeout` itself is told the same way.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections
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


class _Budget:
    """One request's budget, and the execute wrapper of its connections: it knows the statement
    running (if any), which the watchdog cancels when the deadline passes, and it turns a cancelled
    statement into RequestTookTooLong."""

    __slots__ = ("deadline", "finished", "lock", "running")

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.running: Any = None  # the psycopg2 connection while one of our statements runs
        self.finished = False
        self.lock = threading.Lock()

    def expire(self) -> None:
        """The deadline passed: cancel the statement running now, if the request is still on."""
        with self.lock:
            if not self.finished and self.running is not None:
                self.running.cancel()

    def finish(self) -> None:
        with self.lock:
            self.finished = True
            self.running = None

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


class _Watchdog:
    """The one thread of a process that watches every request's budget: it sleeps until the earliest
    deadline among the requests in flight (woken sooner when a request with an earlier one starts),
    then cancels what the overdue requests are running. A request costs a heap push and a flag, not a
    thread of its own (a timer thread per request cost more than many a request's own work).

    Finished requests leave the heap lazily, when their deadline comes to the top or when they
    outnumber the requests in flight. The thread starts with the first budget in the process (after
    a fork too: the child's state is made anew)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, _Budget]] = []
        self._order = itertools.count()
        self._in_flight = 0
        self._thread: threading.Thread | None = None

    def watch(self, budget: _Budget) -> None:
        with self._condition:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="query-budget-watchdog", daemon=True)
                self._thread.start()
            heapq.heappush(self._heap, (budget.deadline, next(self._order), budget))
            self._in_flight += 1
            if self._heap[0][2] is budget:
                self._condition.notify()

    def release(self, budget: _Budget) -> None:
        budget.finish()
        with self._condition:
            self._in_flight -= 1
            if len(self._heap) > 64 and len(self._heap) > 2 * self._in_flight:
                self._heap = [entry for entry in self._heap if not entry[2].finished]
                heapq.heapify(self._heap)

    def threads(self) -> int:
        """How many watchdog threads this process runs (0 before the first budget, then 1)."""
        return int(self._thread is not None and self._thread.is_alive())

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._heap and self._heap[0][2].finished:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                _deadline, _order, overdue = heapq.heappop(self._heap)
            # Outside the heap's lock: a cancel waits for PostgreSQL, and other requests must not.
            overdue.expire()


WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=WATCHDOG._reset)


class QueryBudgetMiddleware:
    """Runs each request under its kind's budget on every PostgreSQL connection it may use (SQLite
    has nothing to cancel)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        budget_seconds = settings.QUERY_BUDGET_SECONDS.get(request_kind(request), 0)
        watched = [connections[alias] for alias in connections if connections[alias].vendor == "postgresql"]
        if not watched or not budget_seconds:
            return self.get_response(request)
        budget = _Budget(budget_seconds)
        WATCHDOG.watch(budget)
        try:
            with ExitStack() as wrappers:
                for database in watched:
                    wrappers.enter_context(database.execute_wrapper(budget))
                return self.get_response(request)
        finally:
            WATCHDOG.release(budget)
