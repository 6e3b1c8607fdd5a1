"""/healthz tells a load balancer whether this instance can serve: database, cache and broker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from sourcebelt.celery import app as celery_app

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_url() -> Iterator[None]:
    """Lets a test point the Celery app at another broker; the real one is restored afterwards."""
    previous = celery_app.conf.broker_url
    yield
    celery_app.conf.broker_url = previous


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_cache_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in {"ok", "eager"}
    assert "replicas" not in body  # without DATABASE_REPLICA_URLS (tests/test_scale_out_replicas.py has them)


@pytest.mark.django_db
def test_healthz_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_checks_the_real_broker_when_one_is_configured(client: Client, settings: object) -> None:
    if not settings.REDIS_URL:
        pytest.skip("no broker configured: tasks run in-process")
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_is_down(client: Client, broker_url: None) -> None:
    celery_app.conf.broker_url = CLOSED_PORT_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error:")
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_a_broker_without_a_server_is_reported_as_in_process(client: Client, broker_url: None) -> None:
    celery_app.conf.broker_url = "memory://"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "eager"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_it_is_down(client: Client, settings: object) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT_REDIS}
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"].startswith("error:")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_only_answers_reads(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
