"""Signed-in API clients are throttled per token and per company, reads and writes apart: beyond
the rate, 429 in the API's error shape with `Retry-After`."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from marketplace.api.throttling import window_count
from marketplace.services.api_tokens import api_token_create
from tests.factories import MembershipFactory
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

GENEROUS = "1000/minute"


@pytest.fixture
def rates(settings: Any) -> Any:
    """Sets some rates for the test; the others stay generous."""

    def set_rates(**scoped: str) -> None:
        every = {"token_read": GENEROUS, "token_write": GENEROUS, "company_read": GENEROUS, "company_write": GENEROUS}
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **every, **scoped},
        }

    return set_rates


def program(user: Any, name: str = "script") -> Client:
    _token, key = api_token_create(user=user, name=name)
    return Client(headers={"Authorization": f"Token {key}"})


def assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_hardening_a_token_beyond_its_read_rate_gets_429_and_another_token_does_not(actors: dict, rates: Any) -> None:
    rates(token_read="3/minute")
    user = actors["buyer"].user
    busy, other = program(user, "busy"), program(user, "other")

    answers = [busy.get("/api/v1/me/").status_code for _n in range(3)]
    throttled = busy.get("/api/v1/belts/")

    assert answers == [200, 200, 200]
    assert_throttled(throttled)
    assert other.get("/api/v1/me/").status_code == 200


def test_hardening_writes_have_their_own_rate(actors: dict, rates: Any) -> None:
    rates(token_write="2/minute", token_read="5/minute")
    client = program(actors["buyer"].user)

    writes = [
        client.patch("/api/v1/me/", {"name": f"Name {n}"}, content_type="application/json").status_code
        for n in range(2)
    ]
    throttled = client.patch("/api/v1/me/", {"name": "One too many"}, content_type="application/json")

    assert writes == [200, 200]
    assert_throttled(throttled)
    assert client.get("/api/v1/me/").json()["name"] == "Name 1"  # reads are still allowed


def test_hardening_a_companys_tokens_together_are_held_to_the_company_rate(actors: dict, rates: Any) -> None:
    rates(company_read="4/minute")
    buyer = actors["buyer"]
    colleague = MembershipFactory(company=buyer.company).user
    mine, theirs = program(buyer.user), program(colleague)
    outsider = program(actors["other_buyer"].user)

    answers = [client.get("/api/v1/rfqs/").status_code for client in (mine, theirs, mine, theirs)]
    throttled = program(colleague, "a third token").get("/api/v1/rfqs/")

    assert answers == [200] * 4
    assert_throttled(throttled)
    assert outsider.get("/api/v1/rfqs/").status_code == 200  # another company counts on its own


def test_hardening_a_browser_session_counts_per_user(actors: dict, rates: Any) -> None:
    rates(token_read="2/minute")
    session = actors["buyer"].client

    assert [session.get("/api/v1/me/").status_code for _n in range(2)] == [200, 200]
    assert_throttled(session.get("/api/v1/me/"))


PRINT_RATES = """
import django
from django.conf import settings
django.setup()
print(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
"""


def test_hardening_the_rates_come_from_the_environment_and_a_malformed_one_is_refused() -> None:
    result = run_python(["-c", PRINT_RATES], DEBUG="true", API_TOKEN_WRITE_RATE="7/hour")
    refused = run_python(["-c", PRINT_RATES], DEBUG="true", API_COMPANY_READ_RATE="lots")

    assert result.returncode == 0, result.stderr
    assert "'token_write': '7/hour'" in result.stdout
    assert "'company_read': '1200/minute'" in result.stdout
    assert refused.returncode != 0
    assert "API_COMPANY_READ_RATE must be a rate such as 60/minute" in refused.stderr


@pytest.mark.parametrize("proxies", [1, 2])
def test_hardening_anonymous_clients_behind_the_proxies_each_have_their_own_count(settings: Any, proxies: int) -> None:
    """Behind TRUSTED_PROXY_COUNT proxies every request comes from the nearest proxy's address; the
    anonymous rate counts the client's address the proxies wrote, as the lockout does."""
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    hops = ", 10.0.0.1" * (proxies - 1)

    def from_client(address: str, written_by_client: str = "") -> int:
        forwarded = f"{written_by_client}{address}{hops}"
        return proxy.get("/api/v1/belts/", headers={"X-Forwarded-For": forwarded}).status_code

    first = [from_client("203.0.113.5") for _n in range(3)]
    # The same client, naming another address on its own: still the address the proxies wrote.
    spoofed = from_client("203.0.113.5", written_by_client="198.51.100.77, ")
    second = [from_client("203.0.113.6") for _n in range(2)]

    assert first == [200, 200, 429]
    assert spoofed == 429
    assert second == [200, 200]


def test_hardening_without_trusted_proxies_a_forwarded_header_gives_no_new_count(settings: Any) -> None:
    """With TRUSTED_PROXY_COUNT 0 (no proxy) X-Forwarded-For is the client's own words: ignored."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    client = Client(REMOTE_ADDR="203.0.113.9")

    answers = [
        client.get("/api/v1/belts/", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(3)
    ]

    assert answers == [200, 200, 429]


def _anon_rate(settings: Any, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": rate},
    }


def test_hardening_the_window_opens_with_the_first_request_and_retry_after_is_what_it_has_left(
    settings: Any,
) -> None:
    """Beyond the rate, 429 until the window the client's first request opened closes: Retry-After
    says how long that is, and once it has passed the client is served again."""
    _anon_rate(settings, "2/second")
    client = Client(REMOTE_ADDR="203.0.113.20")

    served = [client.get("/api/v1/belts/").status_code for _n in range(2)]
    refused = client.get("/api/v1/belts/")
    time.sleep(int(refused["Retry-After"]) + 0.1)
    again = [client.get("/api/v1/belts/").status_code for _n in range(3)]

    assert served == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert again == [200, 200, 429]


def test_hardening_retry_after_counts_down_from_the_first_request(settings: Any) -> None:
    _anon_rate(settings, "1/minute")
    client = Client(REMOTE_ADDR="203.0.113.21")

    assert client.get("/api/v1/belts/").status_code == 200
    time.sleep(2.1)
    refused = client.get("/api/v1/belts/")

    assert refused.status_code == 429
    assert 55 <= int(refused["Retry-After"]) <= 58  # not the whole minute: two seconds of it are gone


def test_hardening_requests_counted_at_once_by_many_workers_are_each_counted() -> None:
    """Eight workers counting the same client at once: every request counted, none lost (DRF's
    throttle reads the client's history and writes it back whole: two at once keep only one)."""
    counts: list[int] = []

    def requests() -> None:
        for _n in range(25):
            counts.append(window_count(cache, "throttle:window:test:203.0.113.22", 60)[0])

    workers = [threading.Thread(target=requests) for _n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(counts) == list(range(1, 201))
