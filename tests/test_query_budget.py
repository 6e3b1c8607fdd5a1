"""Nothing anonymous keeps the database busy for long: a request's statements run within its kind's
budget (marketplace/query_budget.py), and the person is told when one was stopped.

A statement is made to run long the way it happens on a live site: another session holds a lock
the search needs (as a migration or a long import would), in a real second connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from marketplace.query_budget import WATCHDOG, request_kind
from tests.factories import UserFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEARCH = reverse("suppliers:search")
API_SEARCH = "/api/v1/products/"


@pytest.fixture
def budgets(settings: Any) -> None:
    settings.QUERY_BUDGET_SECONDS = {"anonymous": 0.5, "read": 8.0, "write": 8.0}


@pytest.fixture
def products() -> None:
    for number in range(3):
        ProductFactory(title=f"Canvas backpack {number}")


@pytest.fixture
def locked_search_table() -> Iterator[Any]:
    """Another session holding the product tables exclusively until it is released, at the latest
    after 10 s (so that without the budget a test fails on its answer instead of hanging)."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**{key: value for key, value in params.items() if key != "cursor_factory"})
    cursor = other.cursor()
    cursor.execute("BEGIN; LOCK TABLE suppliers_product, suppliers_productsearch IN ACCESS EXCLUSIVE MODE")
    release = threading.Timer(10.0, other.rollback)
    release.start()
    yield other
    release.cancel()
    other.rollback()
    other.close()


def test_hardening_an_anonymous_search_stuck_behind_a_lock_is_stopped_with_a_clear_page(
    budgets: None, products: None, locked_search_table: Any
) -> None:
    started = time.monotonic()
    response = Client().get(SEARCH, {"q": "backpack"})
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert "took too long" in response.content.decode()
    assert elapsed < 5, f"the request held the worker {elapsed:.1f} s"


def test_hardening_the_api_says_so_in_its_error_shape(budgets: None, products: None, locked_search_table: Any) -> None:
    response = Client().get(API_SEARCH, {"q": "backpack", "sort": "price", "quantity": 100})

    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "took_too_long"
    assert "Narrow it down" in body["error"]["message"]


def test_hardening_a_signed_in_reader_has_the_longer_budget(
    budgets: None, products: None, locked_search_table: Any
) -> None:
    client = Client()
    client.force_login(UserFactory())
    # The lock is released after a second: longer than an anonymous request may wait, well within
    # a signed-in one's budget.
    threading.Timer(1.0, locked_search_table.rollback).start()

    response = client.get(SEARCH, {"q": "backpack"})

    assert response.status_code == 200
    assert "Canvas backpack" in response.content.decode()


def test_hardening_after_a_stopped_request_the_next_one_is_answered(
    budgets: None, products: None, locked_search_table: Any
) -> None:
    assert Client().get(SEARCH, {"q": "backpack"}).status_code == 503
    locked_search_table.rollback()

    response = Client().get(SEARCH, {"q": "backpack"})

    assert response.status_code == 200
    assert "Canvas backpack" in response.content.decode()


def test_hardening_requests_are_told_apart_before_anyone_is_looked_up(rf: Any) -> None:
    assert request_kind(rf.get("/search/")) == "anonymous"
    assert request_kind(rf.get("/api/v1/rfqs/", HTTP_AUTHORIZATION="Token abc")) == "read"
    signed_in = rf.get("/search/")
    signed_in.COOKIES["sessionid"] = "x"
    assert request_kind(signed_in) == "read"
    assert request_kind(rf.post("/search/")) == "write"


def test_hardening_every_connection_has_no_jit_and_a_statement_timeout(settings: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]
    expected = settings.DATABASE_STATEMENT_TIMEOUT_MS
    assert shown == ("0" if expected == 0 else f"{expected}ms" if expected % 1000 else f"{expected // 1000}s")


def test_hardening_a_request_with_an_earlier_deadline_is_stopped_while_a_later_one_waits(
    budgets: None, products: None, locked_search_table: Any
) -> None:
    """The one watchdog thread sleeps until the earliest deadline: a request that starts later with
    an earlier deadline wakes it, and a longer budget keeps running."""
    reader = Client()
    reader.force_login(UserFactory())
    answers: dict[str, int] = {}

    def read() -> None:
        try:
            answers["reader"] = reader.get(SEARCH, {"q": "backpack"}).status_code
        finally:
            connection.close()

    signed_in = threading.Thread(target=read)
    signed_in.start()
    time.sleep(0.3)  # the reader (8 s) waits on the lock first
    started = time.monotonic()
    anonymous = Client().get(SEARCH, {"q": "backpack"}).status_code
    stopped_after = time.monotonic() - started
    locked_search_table.rollback()
    signed_in.join(timeout=15)

    assert anonymous == 503
    assert stopped_after < 3, f"stopped after {stopped_after:.1f} s, not at its 0.5 s budget"
    assert answers == {"reader": 200}


def test_hardening_many_requests_at_once_share_one_watchdog_thread(budgets: None, products: None) -> None:
    """A request adds no thread of its own: with CLIENTS requests in flight at any moment, the
    process runs the CLIENTS threads making them, the watchdog and what ran before, no more."""
    assert Client().get(SEARCH, {"q": "backpack"}).status_code == 200  # the watchdog is up
    before = threading.active_count()
    seen: list[int] = []

    def count_threads(execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        seen.append(threading.active_count())  # while a request runs a statement
        return execute(sql, params, many, context)

    def browse() -> None:
        try:
            with connection.execute_wrapper(count_threads):
                for _n in range(REQUESTS):
                    assert Client().get(SEARCH, {"q": "backpack"}).status_code == 200
        finally:
            connection.close()

    browsers = [threading.Thread(target=browse) for _n in range(CLIENTS)]
    for browser in browsers:
        browser.start()
    for browser in browsers:
        browser.join(timeout=120)

    assert len(seen) >= CLIENTS * REQUESTS
    assert max(seen) <= before + CLIENTS
    assert WATCHDOG.threads() == 1
    assert [thread.name for thread in threading.enumerate()].count("query-budget-watchdog") == 1


CLIENTS, REQUESTS = 6, 15
