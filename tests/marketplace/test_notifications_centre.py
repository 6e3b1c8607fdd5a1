"""The notification centre: the list, marking read, the unread count that the top bar polls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from marketplace.models import Notification, User
from tests.factories import NotificationFactory, UserFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def reader() -> User:
    return UserFactory(name="Nimal Perera")


@pytest.fixture
def client_of(reader: User) -> Client:
    client = Client()
    client.force_login(reader)
    return client


def _notification(user: User, message: str, *, minutes_ago: int = 0, read: bool = False, url: str = "") -> Notification:
    now = timezone.now()
    return NotificationFactory(
        recipient=user,
        kind="test",
        context={"message": message},
        url=url,
        created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def test_the_centre_lists_my_notifications_newest_first_with_unread_ones_marked(
    reader: User, client_of: Client
) -> None:
    _notification(reader, "older and read", minutes_ago=30, read=True)
    _notification(reader, "newer and unread", minutes_ago=1)
    _notification(UserFactory(), "someone else's")

    response = client_of.get("/notifications/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("newer and unread") < page.index("older and read")
    assert "someone else" not in page
    assert page.count('class="card notification unread"') == 1
    assert "Mark all as read" in page


def test_the_centre_shows_titles_in_the_readers_language(reader: User, client_of: Client) -> None:
    _notification(reader, "backpacks")
    client_of.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client_of.get("/notifications/").content.decode()

    # The test kind prints the language it was rendered in: the reader's, not the recipient's setting.
    assert "zh-hans" in page
    assert "backpacks" in page


def test_a_reader_with_nothing_yet_is_told_so(client_of: Client) -> None:
    page = client_of.get("/notifications/").content.decode()
    assert "You have no notifications yet" in page
    assert "Mark all as read" not in page


def test_the_centre_shows_twenty_a_page(reader: User, client_of: Client) -> None:
    for minute in range(25):
        _notification(reader, f"message {minute:02d}", minutes_ago=minute)

    first = client_of.get("/notifications/").content.decode()
    second = client_of.get("/notifications/?page=2").content.decode()
    nonsense = client_of.get("/notifications/?page=abc&page_size=xyz")

    assert first.count('class="card notification') == 20
    assert "message 00" in first
    assert "message 19" in first
    assert "message 20" not in first
    assert second.count('class="card notification') == 5
    assert "Page 2 of 2" in second
    assert nonsense.status_code == 200


def test_the_centre_makes_the_same_queries_for_any_page_size(reader: User, client_of: Client) -> None:
    for minute in range(12):
        _notification(reader, f"message {minute}", minutes_ago=minute)

    assert_same_queries_for_page_sizes(lambda size: client_of.get(f"/notifications/?page_size={size}"))


def test_marking_a_notification_read_with_htmx_returns_the_updated_item(reader: User, client_of: Client) -> None:
    notification = _notification(reader, "a quote arrived")

    response = client_of.post(f"/notifications/{notification.pk}/read/", headers=HTMX)

    fragment = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert fragment.lstrip().startswith('<li class="card notification"')
    assert "unread" not in fragment.split(">")[0]
    assert "a quote arrived" in fragment
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_a_notification_marks_it_read_and_follows_its_link(reader: User, client_of: Client) -> None:
    notification = _notification(reader, "a quote arrived", url="/belts/")

    response = client_of.post(f"/notifications/{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == "/belts/"
    notification.refresh_from_db()
    assert notification.is_read


def test_a_notification_never_redirects_off_the_site(reader: User, client_of: Client) -> None:
    elsewhere = _notification(reader, "phishing", url="https://evil.example/")
    nowhere = _notification(reader, "no link")

    assert client_of.post(f"/notifications/{elsewhere.pk}/read/")["Location"] == "/notifications/"
    assert client_of.post(f"/notifications/{nowhere.pk}/read/")["Location"] == "/notifications/"


def test_someone_elses_notification_is_not_found_and_stays_unread(client_of: Client) -> None:
    theirs = _notification(UserFactory(), "private")

    assert client_of.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client_of.post(f"/notifications/{theirs.pk}/read/", headers=HTMX).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_marking_all_read_clears_only_my_unread_notifications(reader: User, client_of: Client) -> None:
    mine = [_notification(reader, f"mine {n}") for n in range(3)]
    theirs = _notification(UserFactory(), "theirs")

    response = client_of.post("/notifications/read-all/", follow=True)

    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_marking_all_read_with_htmx_refreshes_the_page_and_the_count(reader: User, client_of: Client) -> None:
    _notification(reader, "mine")

    response = client_of.post("/notifications/read-all/", headers=HTMX)

    assert response.status_code == 204
    assert response["HX-Trigger"] == "notifications-changed"
    assert response["HX-Refresh"] == "true"


def test_the_unread_count_shows_how_many_are_unread_and_nothing_when_none(reader: User, client_of: Client) -> None:
    _notification(reader, "one")
    _notification(reader, "two")
    _notification(reader, "old", read=True)
    _notification(UserFactory(), "not mine")

    assert client_of.get("/notifications/unread-count/").content.decode() == '<span class="count">2</span>'
    client_of.post("/notifications/read-all/")
    empty = client_of.get("/notifications/unread-count/")
    assert empty.status_code == 200
    assert empty.content.decode() == ""


def test_the_top_bar_polls_the_unread_count(client_of: Client) -> None:
    page = client_of.get("/").content.decode()
    assert 'hx-get="/notifications/unread-count/"' in page


def test_a_visitor_is_asked_to_log_in() -> None:
    anonymous = Client()
    for response in (anonymous.get("/notifications/"), anonymous.get("/notifications/unread-count/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/") or "login" in response["Location"]
