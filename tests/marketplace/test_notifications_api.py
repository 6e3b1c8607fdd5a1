"""The notifications API: own notifications only, cursor pages, ?unread=true, marking read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.models import Notification, User
from tests.factories import NotificationFactory, UserFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> User:
    return UserFactory()


@pytest.fixture
def api(reader: User) -> Client:
    client = Client()
    client.force_login(reader)
    return client


def _notification(user: User, message: str, *, read: bool = False) -> Notification:
    return NotificationFactory(
        recipient=user,
        kind="test",
        context={"message": message},
        url="/belts/",
        read_at=timezone.now() - timedelta(minutes=1) if read else None,
    )


def test_a_client_gets_only_its_users_notifications_newest_first(reader: User, api: Client) -> None:
    older = _notification(reader, "older", read=True)
    newer = _notification(reader, "newer")
    _notification(UserFactory(), "someone else's")

    response = api.get("/api/v1/notifications/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [newer.pk, older.pk]
    first = results[0]
    assert first["kind"] == "test"
    assert first["title"] == "Test notification"
    assert "newer" in first["summary"]
    assert first["url"] == "/belts/"
    assert first["is_read"] is False
    assert first["read_at"] is None
    assert results[1]["is_read"] is True


def test_a_client_can_ask_for_unread_notifications_only(reader: User, api: Client) -> None:
    unread = _notification(reader, "unread")
    read = _notification(reader, "read", read=True)

    only_unread = api.get("/api/v1/notifications/?unread=true").json()["results"]
    only_read = api.get("/api/v1/notifications/?unread=false").json()["results"]

    assert [item["id"] for item in only_unread] == [unread.pk]
    assert [item["id"] for item in only_read] == [read.pk]


def test_the_list_comes_in_cursor_pages(reader: User, api: Client) -> None:
    for n in range(5):
        _notification(reader, f"message {n}")

    first = api.get("/api/v1/notifications/?page_size=3").json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == 3
    assert len(second["results"]) == 2
    assert second["next"] is None
    ids = [item["id"] for item in first["results"] + second["results"]]
    assert len(set(ids)) == 5


def test_the_list_makes_the_same_queries_for_any_page_size(reader: User, api: Client) -> None:
    for n in range(12):
        _notification(reader, f"message {n}")

    assert_same_queries_for_page_sizes(lambda size: api.get(f"/api/v1/notifications/?page_size={size}"))


def test_marking_a_notification_read_through_the_api(reader: User, api: Client) -> None:
    notification = _notification(reader, "a quote arrived")

    response = api.post(f"/api/v1/notifications/{notification.pk}/read/")
    again = api.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    assert again.status_code == 200
    assert again.json()["read_at"] == response.json()["read_at"]


def test_someone_elses_notification_is_not_found_in_the_api(api: Client) -> None:
    theirs = _notification(UserFactory(), "private")

    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    huge = api.post("/api/v1/notifications/99999999999999999999/read/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert huge.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_an_anonymous_client_must_authenticate() -> None:
    response = Client().get("/api/v1/notifications/")
    assert response.status_code == 401
    assert "error" in response.json()


def test_the_schema_describes_the_notifications_api() -> None:
    schema = Client().get("/api/v1/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/notifications/"]["get"]
    reading = schema["paths"]["/api/v1/notifications/{id}/read/"]["post"]

    assert {parameter["name"] for parameter in listing["parameters"]} >= {"cursor", "page_size", "unread"}
    assert "404" in reading["responses"]
    properties = schema["components"]["schemas"]["Notification"]["properties"]
    assert {"id", "title", "summary", "url", "is_read", "read_at"} <= set(properties)
