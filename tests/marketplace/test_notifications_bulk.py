"""Many notifications at once (`notify_each`): each person told once, in one read and one insert."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from marketplace.models import Notification
from marketplace.services.notifications import notify, notify_each
from tests.factories import CurrencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)


def _item(user: object, event_key: str, message: str) -> tuple:
    return (user, "test", event_key, {"message": message}, f"/events/{event_key}/")


def test_each_person_gets_their_own_text_and_link_and_one_email(django_capture_on_commit_callbacks: Callable) -> None:
    alice, bob = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_each(items=[_item(alice, "rfq:1", "for alice"), _item(bob, "rfq:1", "for bob")])

    assert len(created) == 2
    assert Notification.objects.get(recipient=alice).context == {"message": "for alice"}
    assert Notification.objects.get(recipient=bob).url == "/events/rfq:1/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])


def test_twenty_people_are_recorded_in_one_read_and_one_insert() -> None:
    users = [UserFactory() for _ in range(20)]

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        notify_each(items=[_item(user, "rfq:2", "x") for user in users])

    assert Notification.objects.filter(event_key="rfq:2").count() == 20
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert [word for word in statements if word not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "INSERT"]


def test_nobody_is_told_twice_whether_listed_twice_called_twice_or_already_told_by_notify(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    alice, bob = UserFactory(), UserFactory()
    notify(recipients=[alice], kind="test", event_key="rfq:3", context={"message": "first"})

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_each(
            items=[_item(alice, "rfq:3", "again"), _item(bob, "rfq:3", "new"), _item(bob, "rfq:3", "twice")]
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = notify_each(items=[_item(bob, "rfq:3", "new")])

    assert [n.recipient_id for n in created] == [bob.pk]
    assert again == []
    assert Notification.objects.get(recipient=alice).context == {"message": "first"}
    assert Notification.objects.get(recipient=bob).context == {"message": "new"}


def test_one_person_is_told_about_two_different_events() -> None:
    alice = UserFactory()

    created = notify_each(items=[_item(alice, "rfq:4", "a"), _item(alice, "rfq:5", "b")])

    assert {n.event_key for n in created} == {"rfq:4", "rfq:5"}


class EventFailed(Exception):
    """Whatever went wrong in the event that would have caused the notifications."""


def _record_event_that_fails(user: object) -> None:
    with transaction.atomic():
        notify_each(items=[_item(user, "rfq:6", "x")])
        raise EventFailed


def test_nothing_is_recorded_or_sent_when_the_callers_transaction_rolls_back(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    alice = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(EventFailed):
        _record_event_that_fails(alice)

    assert callbacks == []
    assert not Notification.objects.filter(recipient=alice).exists()
    assert mail.outbox == []


def test_an_item_without_a_kind_is_refused_and_no_items_is_nothing() -> None:
    with pytest.raises(ValueError, match="kind"):
        notify_each(items=[(UserFactory(), "", "rfq:7", None, "")])

    assert notify_each(items=[]) == []
