"""With Redis gone, every page and every API call still answers, and publishing does not hang.

Redis is really unreachable here: a throwaway `redis-server` serves as the cache and the broker,
then is killed (tests/redis_server.py); or a port that accepts connections and never answers
stands in for a broker behind a dead link. The cache answers as an empty cache meanwhile
(sourcebelt/cache.py); a task that cannot be sent stays pending in the database for its sweeper,
after at most one BROKER_PUBLISH_TIMEOUT_SECONDS (sourcebelt/celery.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import kombu.transport.redis  # noqa: F401  # imported by the first task sent; not part of what is timed
import pytest
from django.test import Client
from django.urls import reverse

from buyers.models import SourcingRequest
from buyers.tasks.matching import rfq_enqueue_matching
from marketplace.models import Invitation
from marketplace.services.api_tokens import api_token_create
from sourcebelt.celery import app as celery_app
from tests.buyers.builders_post import draft_of
from tests.factories import CategoryFactory, IndustrialBeltFactory
from tests.marketplace.test_notification_worker import _forget_connections as _forget_broker_connections
from tests.redis_server import RedisServer, SilentServer

pytestmark = pytest.mark.django_db

PUBLIC_API = ["/api/v1/belts/", "/api/v1/products/", "/api/v1/categories/", "/api/v1/suppliers/", "/api/v1/"]
PUBLIC_PAGES = ["/", "/belts/", "/categories/", "/suppliers/search/", "/suppliers/directory/", "/login/"]
# Time a request may take beyond the timeout it waits for: the page's own work, on a busy machine.
MARGIN_SECONDS = 1.5


def _point_cache_at(settings: Any, url: str) -> None:
    """The cache at `url`, as settings.py configures it for REDIS_URL (the `settings` fixture restores it)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "sourcebelt.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_TIMEOUT_SECONDS,
                "socket_timeout": settings.REDIS_TIMEOUT_SECONDS,
            },
        }
    }


@pytest.fixture
def redis_server(settings: Any) -> Iterator[RedisServer]:
    """A throwaway Redis as the cache and the broker, tasks sent to it (not run in-process)."""
    broker, eager = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    with RedisServer() as server:
        _point_cache_at(settings, server.url)
        celery_app.conf.broker_url = server.url
        _forget_broker_connections()
        celery_app.conf.task_always_eager = False
        try:
            yield server
        finally:
            celery_app.conf.broker_url, celery_app.conf.task_always_eager = broker, eager
            _forget_broker_connections()


@pytest.fixture
def redis_down(redis_server: RedisServer) -> RedisServer:
    """The throwaway Redis was used (pooled connections exist), then dies."""
    assert Client().get("/api/v1/belts/").status_code == 200  # the throttle counted in Redis
    assert redis_server.client().dbsize() > 0
    redis_server.stop()
    return redis_server


@pytest.fixture
def public_world(db: None) -> None:
    bags = CategoryFactory(slug="bags")
    IndustrialBeltFactory(slug="baigou", specialties=[bags])


# --- Every page and every API call answers ------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_API)
def test_hardening_anonymous_api_calls_answer_200_with_redis_down(
    redis_down: RedisServer, public_world: None, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sourcebelt.outages"):
        response = Client().get(path)

    assert response.status_code == 200, response.content[:300]
    assert "Redis as the cache" in caplog.text
    assert "is unreachable" in caplog.text


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_hardening_public_pages_answer_200_with_redis_down(
    redis_down: RedisServer, public_world: None, path: str
) -> None:
    assert Client().get(path).status_code == 200


def test_hardening_signed_in_pages_and_token_api_calls_answer_with_redis_down(
    redis_down: RedisServer, actors: dict
) -> None:
    buyer = actors["buyer"]
    _token, key = api_token_create(user=buyer.user, name="script")
    program = Client(headers={"Authorization": f"Token {key}"})

    assert buyer.client.get(reverse("buyers:rfq_list")).status_code == 200
    assert buyer.client.get(reverse("api_tokens")).status_code == 200
    assert program.get("/api/v1/me/").status_code == 200
    assert program.get("/api/v1/rfqs/").status_code == 200
    changed = program.patch("/api/v1/me/", {"name": "Ana while Redis is down"}, content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["name"] == "Ana while Redis is down"


def test_hardening_a_silent_cache_delays_a_request_by_one_timeout_then_not_at_all(
    settings: Any, public_world: None
) -> None:
    settings.REDIS_TIMEOUT_SECONDS = 0.3
    assert Client().get("/api/v1/belts/").status_code == 200  # warm (Redis up): not timed
    with SilentServer() as silent:
        _point_cache_at(settings, silent.url)

        started = time.monotonic()
        first = Client().get("/api/v1/belts/")  # the throttle reads, then writes: one wait, not two
        took = time.monotonic() - started
        second = Client().get("/api/v1/categories/")  # within REDIS_RETRY_AFTER_SECONDS: not tried
        attempts = silent.connections

    assert first.status_code == second.status_code == 200
    assert settings.REDIS_TIMEOUT_SECONDS <= took < settings.REDIS_TIMEOUT_SECONDS + MARGIN_SECONDS
    assert attempts == 1


def test_hardening_healthz_still_names_the_cache_when_redis_is_down(redis_down: RedisServer) -> None:
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error:")
    assert response.json()["checks"]["broker"].startswith("error:")


# --- Publishing: one short wait, then the work waits in the database ----------------------------


def test_hardening_the_broker_is_configured_to_give_up_quickly(settings: Any) -> None:
    timeout = settings.BROKER_PUBLISH_TIMEOUT_SECONDS
    assert celery_app.conf.broker_connection_timeout == timeout
    assert celery_app.conf.broker_transport_options["socket_connect_timeout"] == timeout
    assert celery_app.conf.broker_transport_options["socket_timeout"] == timeout
    assert celery_app.conf.task_publish_retry_policy["max_retries"] == 0


def _publish_timed(buyer: Any, rfq: SourcingRequest, capture: Any) -> tuple[Any, float]:
    """Publish `rfq` on its page; how long until the answer, with what waited for the commit."""
    assert buyer.client.get(reverse("buyers:rfq_detail", args=[rfq.pk])).status_code == 200  # warm: not timed
    started = time.monotonic()
    with capture(execute=True):  # matching and the demand run are queued when the request commits
        response = buyer.client.post(reverse("buyers:rfq_publish", args=[rfq.pk]))
    return response, time.monotonic() - started


def test_hardening_publishing_an_rfq_with_redis_down_answers_at_once_and_leaves_it_pending(
    redis_down: RedisServer,
    actors: dict,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    buyer = actors["buyer"]
    rfq = draft_of(buyer)

    response, took = _publish_timed(buyer, rfq, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert took < settings.BROKER_PUBLISH_TIMEOUT_SECONDS + MARGIN_SECONDS
    rfq.refresh_from_db()
    assert rfq.status == SourcingRequest.Status.OPEN
    assert rfq.matched_at is None  # pending: rfqs_match_pending (the sweeper) matches it later
    assert "Could not queue matching" in caplog.text


def test_hardening_publishing_an_rfq_to_a_silent_broker_waits_one_timeout_at_most(
    actors: dict, settings: Any, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    buyer = actors["buyer"]
    rfq = draft_of(buyer)
    broker, eager = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with SilentServer() as silent:
            celery_app.conf.broker_url = silent.url
            _forget_broker_connections()
            response, took = _publish_timed(buyer, rfq, django_capture_on_commit_callbacks)
            attempts = silent.connections
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = broker, eager
        _forget_broker_connections()

    assert response.status_code == 302
    # Two tasks were to be sent (matching, the demand run): the first waited, the second did not try.
    assert took < settings.BROKER_PUBLISH_TIMEOUT_SECONDS + MARGIN_SECONDS
    assert attempts == 1
    assert "Could not queue matching" in caplog.text
    assert "Could not queue the demand aggregation" in caplog.text
    rfq.refresh_from_db()
    assert rfq.status == SourcingRequest.Status.OPEN
    assert rfq.matched_at is None


# --- And when Redis is back ---------------------------------------------------------------------


def test_hardening_once_redis_is_back_throttles_count_and_tasks_are_sent_again(
    redis_down: RedisServer, settings: Any, public_world: None
) -> None:
    settings.REDIS_RETRY_AFTER_SECONDS = settings.BROKER_RETRY_AFTER_SECONDS = 0.2
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    client = Client()
    assert [client.get("/api/v1/belts/").status_code for _n in range(3)] == [200, 200, 200]  # nothing counted
    rfq_enqueue_matching(1)  # not sent: the broker is down too

    redis_down.start()
    time.sleep(0.3)  # the pause after the last failure is over: the next call tries Redis again

    assert [client.get("/api/v1/belts/").status_code for _n in range(3)] == [200, 200, 429]
    rfq_enqueue_matching(1)
    # Matching goes to the matching queue, at the default priority, which kombu keeps in the queue's
    # priority list ("<queue>\x06\x163"): every list of that queue is counted, and nothing is anywhere else.
    broker = redis_down.client()
    queue = settings.TASK_QUEUES["matching"]
    assert celery_app.conf.task_routes["buyers.tasks.rfq_match_task"] == {"queue": queue}
    assert sum(broker.llen(key) for key in broker.keys(f"{queue}*")) == 1
    assert sum(broker.llen(key) for key in broker.keys("*") if broker.type(key) == b"list") == 1


def test_hardening_inviting_a_colleague_with_redis_down_answers_and_keeps_the_invitation(
    redis_down: RedisServer, actors: dict, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    buyer = actors["buyer"]

    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.client.post(reverse("company_invite"), {"email": "kamala@example.com", "role": "member"})

    assert response.status_code == 302
    assert Invitation.objects.filter(company=buyer.company, email="kamala@example.com").exists()
    assert "Could not queue marketplace.tasks.invitation_send_task" in caplog.text
