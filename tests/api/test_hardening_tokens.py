"""API tokens expire when their owner said, are read-only or read-write, and record their last use
at most once a minute."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import InvalidInput
from marketplace.models import ApiToken
from marketplace.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


def program(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


# --- Expiry -------------------------------------------------------------------------------------


def test_hardening_an_expired_token_is_refused_with_a_clear_401(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="CI", expires_in_days=30)
    assert program(key).get("/api/v1/me/").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    for path in ("/api/v1/me/", "/api/v1/belts/"):  # public endpoints too: the client notices at once
        response = program(key).get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        error = response.json()["error"]
        assert error["code"] == "token_expired"
        assert "This API token expired at" in error["message"]


def test_hardening_a_token_expires_after_the_days_chosen_or_at_the_end_of_the_date_chosen(actors: dict) -> None:
    user = actors["buyer"].user
    before = timezone.now()

    in_ninety, _key = api_token_create(user=user, name="ninety", expires_in_days=90)
    on_a_day, _key = api_token_create(user=user, name="day", expires_on=timezone.localdate() + timedelta(days=3))
    never, _key = api_token_create(user=user, name="never")

    assert before + timedelta(days=90) <= in_ninety.expires_at <= timezone.now() + timedelta(days=90)
    last_moment = timezone.localtime(on_a_day.expires_at)
    assert last_moment.date() == timezone.localdate() + timedelta(days=3)
    assert (last_moment.hour, last_moment.minute) == (23, 59)
    assert never.expires_at is None


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        ({"expires_in_days": 7}, "expires_in_days"),
        ({"expires_on": "yesterday"}, "expires_on"),
        ({"expires_on": "in eleven years"}, "expires_on"),
        ({"expires_in_days": 30, "expires_on": "tomorrow"}, "expires_on"),
    ],
)
def test_hardening_an_expiry_that_cannot_be_is_refused(actors: dict, choice: dict, field: str) -> None:
    today = timezone.localdate()
    dates = {"yesterday": today - timedelta(days=1), "tomorrow": today + timedelta(days=1)}
    dates["in eleven years"] = today + timedelta(days=11 * 366)
    choice = {name: dates.get(value, value) for name, value in choice.items()}

    with pytest.raises(InvalidInput) as refused:
        api_token_create(user=actors["buyer"].user, name="odd", **choice)

    assert refused.value.field == field
    assert not ApiToken.objects.exists()


def test_hardening_expired_tokens_do_not_count_against_the_limit(actors: dict) -> None:
    user = actors["buyer"].user
    for n in range(20):
        api_token_create(user=user, name=f"old {n}", expires_in_days=30)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))

    api_token_create(user=user, name="fresh")


# --- Scope --------------------------------------------------------------------------------------


def test_hardening_a_read_only_token_reads_and_is_refused_every_change_with_a_clear_403(actors: dict) -> None:
    user = actors["buyer"].user
    _token, key = api_token_create(user=user, name="dashboard", scope=ApiToken.Scope.READ)
    client = program(key)

    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/rfqs/").status_code == 200
    refusals = [
        client.patch("/api/v1/me/", {"name": "Changed"}, content_type="application/json"),
        client.post("/api/v1/tokens/", {"name": "escalate"}, content_type="application/json"),
        client.post("/api/v1/rfqs/", {}, content_type="application/json"),
    ]

    for response in refusals:
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "read_only_token"
        assert "read-only" in error["message"]
    user.refresh_from_db()
    assert user.name != "Changed"
    assert ApiToken.objects.filter(user=user).count() == 1


def test_hardening_a_read_write_token_changes_what_its_user_may(actors: dict) -> None:
    _token, key = api_token_create(user=actors["buyer"].user, name="sync", scope=ApiToken.Scope.READ_WRITE)

    response = program(key).patch("/api/v1/me/", {"name": "Changed"}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["name"] == "Changed"


def test_hardening_the_api_creates_a_read_only_token_with_an_expiry_and_lists_both(actors: dict) -> None:
    client = actors["buyer"].client

    created = client.post(
        "/api/v1/tokens/",
        {"name": "reports", "scope": "read", "expires_in_days": 30},
        content_type="application/json",
    )
    dated = client.post(
        "/api/v1/tokens/",
        {"name": "audit", "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat()},
        content_type="application/json",
    )
    refused = client.post(
        "/api/v1/tokens/", {"name": "bad", "expires_on": "2001-01-01"}, content_type="application/json"
    )

    assert created.status_code == 201
    assert created.json()["scope"] == "read"
    assert created.json()["expires_at"] is not None
    assert dated.status_code == 201
    assert dated.json()["scope"] == "read_write"  # the default, as before scopes existed
    assert refused.status_code == 400
    assert "expires_on" in refused.json()["error"]["fields"]
    listed = {token["name"]: token for token in client.get("/api/v1/tokens/").json()["results"]}
    assert listed["reports"]["scope"] == "read"
    assert listed["reports"]["is_active"] is True
    assert listed["audit"]["expires_at"].startswith((timezone.localdate() + timedelta(days=10)).isoformat())


# --- Last used ----------------------------------------------------------------------------------


def _token_writes(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return sum(1 for query in captured.captured_queries if query["sql"].startswith('UPDATE "marketplace_apitoken"'))


def test_hardening_last_use_is_written_at_most_once_a_minute(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="busy")
    client = program(key)

    assert _token_writes(lambda: client.get("/api/v1/me/")) == 1
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    assert _token_writes(lambda: [client.get("/api/v1/me/") for _n in range(5)]) == 0  # no write per request

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    assert _token_writes(lambda: client.get("/api/v1/me/")) == 1
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use


# --- The page -----------------------------------------------------------------------------------


def test_hardening_the_tokens_page_creates_a_dated_read_only_token_and_lists_access_expiry_and_use(
    actors: dict,
) -> None:
    client = actors["buyer"].client
    user = actors["buyer"].user
    day = timezone.localdate() + timedelta(days=14)
    old, _key = api_token_create(user=user, name="Old script", expires_in_days=30)
    ApiToken.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - timedelta(days=1), last_used_at=timezone.now() - timedelta(days=2)
    )

    response = client.post(
        reverse("api_tokens"), {"name": "Reports", "scope": "read", "expiry": "date", "expires_on": day.isoformat()}
    )

    assert response.status_code == 200
    created = ApiToken.objects.get(name="Reports")
    assert created.scope == ApiToken.Scope.READ
    assert timezone.localtime(created.expires_at).date() == day
    page = client.get(reverse("api_tokens")).content.decode()
    reports = page[page.index(f'id="token-{created.pk}"') :].split("</tr>")[0]
    assert "Read only" in reports
    assert "Active" in reports
    assert "Never" in reports  # not used yet
    old_row = page[page.index(f'id="token-{old.pk}"') :].split("</tr>")[0]
    assert "Read and write" in old_row
    assert "Expired" in old_row


def test_hardening_the_tokens_page_asks_for_the_date_when_on_a_date_is_chosen(actors: dict) -> None:
    response = actors["buyer"].client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "expiry": "date"})

    assert response.status_code == 400
    assert "Choose the day the token should expire." in response.content.decode()
    assert not ApiToken.objects.exists()
