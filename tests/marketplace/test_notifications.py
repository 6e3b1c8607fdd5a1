"""The notification outbox: recording, rendering, delivery, retries and the relay.

Only the outside world is faked: the mail server (small e-mail backends below) and the clock
(timestamps moved into the past). Everything else runs for real against PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection, transaction
from django.utils import timezone, translation

from marketplace.models import Notification, User
from marketplace.notification_texts import notification_render
from marketplace.relay import claim_due
from marketplace.services.notification_delivery import (
    DeliveryOutcome,
    notification_deliver,
    notification_message_id,
    notifications_deliver,
    notifications_relay,
)
from marketplace.services.notifications import notify
from sourcebelt.celery import app as celery_app
from tests.factories import CurrencyFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

T = TypeVar("T")


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages: list) -> int:
        raise ConnectionRefusedError("the mail server is down")


class SlowEmailBackend(LocmemEmailBackend):
    """A mail server that takes a while to accept a message, so two workers overlap."""

    def send_messages(self, email_messages: list) -> int:
        time.sleep(0.5)
        return super().send_messages(email_messages)


def _notify_test(user: User, *, event_key: str = "test:1", message: str = "hello", url: str = "") -> list:
    return notify(recipients=[user], kind="test", event_key=event_key, context={"message": message}, url=url)


def _due(notification: Notification, *, ago: timedelta = timedelta(seconds=1)) -> None:
    """Fake the clock: the notification's next attempt (a retry, a lease running out) became due."""
    Notification.objects.filter(pk=notification.pk).update(email_due_at=timezone.now() - ago)


# --- Recording ----------------------------------------------------------------------------------


def test_notifying_twice_about_one_event_records_one_notification_and_sends_one_email(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify_test(user)
    with django_capture_on_commit_callbacks(execute=True):
        second = _notify_test(user)

    assert len(first) == 1
    assert second == []
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    first[0].refresh_from_db()
    assert first[0].email_status == Notification.EmailStatus.SENT
    assert first[0].email_attempts == 1
    assert first[0].email_sent_at is not None


def test_each_recipient_of_one_event_is_told_once_even_when_listed_twice(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    alice, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[alice, bob, alice], kind="test", event_key="rfq:7", context={"message": "x"})

    assert {n.recipient_id for n in created} == {alice.pk, bob.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])


class EventFailed(Exception):
    """Whatever went wrong in the event that would have caused the notification."""


def _record_event_that_fails(user: User) -> None:
    with transaction.atomic():
        _notify_test(user)
        raise EventFailed


def test_a_notification_in_a_rolled_back_transaction_is_neither_recorded_nor_sent(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(EventFailed):
        _record_event_that_fails(user)

    assert callbacks == []
    assert not Notification.objects.filter(recipient=user).exists()
    assert mail.outbox == []


def test_nothing_is_sent_before_the_callers_transaction_commits(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify_test(user)

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_broker_outage_never_breaks_the_request_that_notified(
    django_capture_on_commit_callbacks: Callable, caplog: pytest.LogCaptureFixture
) -> None:
    user = UserFactory()
    with _broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        created = _notify_test(user)

    notification = Notification.objects.get(pk=created[0].pk)
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 0
    assert mail.outbox == []
    assert "the relay will send them" in caplog.text


# --- Rendering ----------------------------------------------------------------------------------


def test_the_email_is_rendered_in_the_recipients_language(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    chinese_reader = UserFactory(preferred_language="zh-hans")
    english_reader = UserFactory(preferred_language="en")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[chinese_reader, english_reader],
            kind="test",
            event_key="test:language",
            context={"message": "50,000 transparent backpacks"},
        )

    by_recipient = {message.to[0]: message for message in mail.outbox}
    chinese, english = by_recipient[chinese_reader.email], by_recipient[english_reader.email]
    # The test kind prints the language it was rendered in (translation.get_language()).
    assert "zh-hans" in chinese.body
    assert "zh-hans" not in english.body
    assert chinese.extra_headers["Content-Language"] == "zh-hans"
    assert english.extra_headers["Content-Language"] == "en"
    # What a person typed is shown as typed, whatever the language.
    assert "50,000 transparent backpacks" in chinese.body
    assert chinese.subject == "测试通知"
    assert english.subject == "Test notification"


def test_a_chinese_supplier_is_welcomed_in_chinese_and_an_english_buyer_in_english(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    supplier = UserFactory(preferred_language="zh-hans", name="王芳")
    buyer = UserFactory(preferred_language="en", name="Nimal")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (supplier, buyer):
            notify(
                recipients=[user],
                kind="welcome",
                event_key=f"welcome:{user.pk}",
                context={"name": user.name, "company": "Baigou Bags"},
            )

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient[supplier.email].subject == "欢迎来到 SourceBelt，王芳"
    assert by_recipient[buyer.email].subject == "Welcome to SourceBelt, Nimal"


def test_the_email_links_to_the_event_on_the_site(
    settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    settings.SITE_URL = "https://sourcebelt.example"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify_test(user, url="/rfqs/42/")

    message = mail.outbox[0]
    assert "https://sourcebelt.example/rfqs/42/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://sourcebelt.example/rfqs/42/"' in html


def test_a_welcome_email_names_the_person_and_the_company_as_typed(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    user = UserFactory(name="Nimal Perera")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[user],
            kind="welcome",
            event_key=f"welcome:{user.pk}",
            context={"name": "Nimal Perera", "company": "Perera & Sons <Colombo>"},
        )

    message = mail.outbox[0]
    assert "Nimal Perera" in message.subject
    # Plain text is not HTML-escaped ...
    assert "Perera & Sons <Colombo>" in message.body
    # ... while the HTML alternative is.
    assert "Perera &amp; Sons &lt;Colombo&gt;" in message.alternatives[0][0]


def test_a_member_joined_notification_says_who_joined_which_company() -> None:
    notification = NotificationFactory(
        kind="member_joined", context={"member": "Li Wei", "email": "li@example.com", "company": "Baigou Bags Co."}
    )
    with translation.override("en"):
        rendered = notification_render(notification=notification)

    assert "Li Wei" in rendered.subject
    assert "Baigou Bags Co." in rendered.subject
    assert "li@example.com" in rendered.body


def test_an_unknown_kind_gets_a_generic_text_instead_of_a_crash() -> None:
    for kind in ("no_such_kind", "../../base"):
        notification = NotificationFactory(kind=kind, context={"message": "x"})
        with translation.override("en"):
            rendered = notification_render(notification=notification)
        assert rendered.subject == "You have a new notification"
        assert rendered.body


def test_an_email_subject_is_one_line() -> None:
    notification = NotificationFactory(kind="welcome", context={"name": "A\nB", "company": "C"})
    assert "\n" not in notification_render(notification=notification).subject


# --- Delivery: claims, failures, retries ---------------------------------------------------------


def test_delivering_a_sent_notification_again_sends_nothing() -> None:
    notification = NotificationFactory(kind="test", context={"message": "x"})

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.SENT
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.NOT_CLAIMED
    assert len(mail.outbox) == 1


def test_a_notification_another_worker_is_sending_is_left_alone() -> None:
    notification = NotificationFactory(kind="test", context={"message": "x"})
    # Another worker claimed it a moment ago and is still talking to the mail server.
    claimed, _until = claim_due(Notification.objects.all(), due_field="email_due_at")
    assert claimed == [notification.pk]

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.NOT_CLAIMED
    assert notifications_relay(time_budget=5) == 0
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_attempts == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_one_notification_at_once_send_one_email(settings: object) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.SlowEmailBackend"
    CurrencyFactory(code=settings.DEFAULT_CURRENCY)  # a transactional test may start from a flushed database
    notification = NotificationFactory(kind="test", context={"message": "x"})

    outcomes = _twice_at_once(lambda: notification_deliver(notification_id=notification.pk))

    assert sorted(outcomes) == sorted([DeliveryOutcome.SENT, DeliveryOutcome.NOT_CLAIMED])
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hardening_two_relays_at_once_share_the_pending_notifications_and_send_each_once(settings: object) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.SlowEmailBackend"
    settings.RELAY_BATCH_SIZE = 2
    CurrencyFactory(code=settings.DEFAULT_CURRENCY)
    notifications = NotificationFactory.create_batch(6, kind="test", context={"message": "x"})

    sent = _twice_at_once(lambda: notifications_relay(time_budget=30))

    assert sum(sent) == 6
    assert min(sent) >= 2  # SKIP LOCKED: each took batches the other had not, neither waited its turn
    assert len(mail.outbox) == 6
    assert {message.extra_headers["Message-ID"] for message in mail.outbox} == {
        notification_message_id(notification) for notification in notifications
    }


def test_a_failing_mail_server_counts_attempts_keeps_the_error_and_gives_up_after_the_limit(
    settings: object,
) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.BrokenEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = NotificationFactory(kind="test", context={"message": "x"})

    for attempt, backoff in ((1, 60), (2, 120)):
        assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.RETRY
        notification.refresh_from_db()
        assert notification.email_attempts == attempt
        assert notification.email_status == Notification.EmailStatus.PENDING
        assert "the mail server is down" in notification.email_error
        wait = notification.email_due_at - timezone.now()
        assert timedelta(seconds=backoff - 5) < wait <= timedelta(seconds=backoff)
        assert notifications_relay(time_budget=5) == 0  # the retry is not due yet
        _due(notification)

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.FAILED
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == 3
    assert "Gave up after 3 attempts" in notification.email_error
    assert "the mail server is down" in notification.email_error
    # Given up means given up: no fourth attempt, from a worker or the relay.
    _due(notification, ago=timedelta(days=1))
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.NOT_CLAIMED
    assert notifications_relay(time_budget=5) == 0
    assert mail.outbox == []


def test_a_failing_mail_server_never_breaks_the_request_that_notified(
    settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.BrokenEmailBackend"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify_test(user)

    notification = Notification.objects.get(pk=created[0].pk)
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert "the mail server is down" in notification.email_error


def test_an_inactive_recipient_is_not_emailed() -> None:
    notification = NotificationFactory(recipient=UserFactory(is_active=False), kind="test", context={"message": "x"})

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.SKIPPED
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SKIPPED
    assert mail.outbox == []


# --- The relay ----------------------------------------------------------------------------------


def test_hardening_the_relay_sends_what_is_due_and_leaves_what_another_worker_holds(settings: object) -> None:
    lost_at_enqueue = NotificationFactory(kind="test", context={"message": "lost at enqueue"})
    retry_due = NotificationFactory(kind="test", context={"message": "retry due"}, email_attempts=1)
    _due(retry_due, ago=timedelta(minutes=1))
    retry_later = NotificationFactory(kind="test", context={"message": "retry later"}, email_attempts=1)
    Notification.objects.filter(pk=retry_later.pk).update(email_due_at=timezone.now() + timedelta(minutes=1))
    being_sent = NotificationFactory(kind="test", context={"message": "being sent"})
    claim_due(Notification.objects.filter(pk=being_sent.pk), due_field="email_due_at")
    NotificationFactory(kind="test", context={"message": "sent"}, email_status="sent", email_due_at=None)

    assert notifications_relay(time_budget=5) == 2

    assert sorted(message.body.split("\n")[2] for message in mail.outbox) == [
        "Test message: lost at enqueue",
        "Test message: retry due",
    ]
    assert set(Notification.objects.filter(email_status="sent", email_due_at=None).values_list("pk", flat=True)) >= {
        lost_at_enqueue.pk,
        retry_due.pk,
    }


def test_hardening_a_notification_whose_worker_was_killed_mid_send_is_sent_again_with_the_same_message_id(
    settings: object,
) -> None:
    notification = NotificationFactory(kind="test", context={"message": "x"})
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.SENT
    # The worker was killed after the mail server took it and before it recorded so: as stored
    # before, with the attempt's lease still running.
    Notification.objects.filter(pk=notification.pk).update(
        email_status="pending", email_sent_at=None, email_due_at=timezone.now() + settings.RELAY_LEASE
    )

    assert notifications_relay(time_budget=5) == 0  # the lease holds: it may still be sending
    _due(notification)  # the lease ran out
    assert notifications_relay(time_budget=5) == 1

    assert len(mail.outbox) == 2
    first, again = (message.message() for message in mail.outbox)
    assert first["Message-ID"] == again["Message-ID"] == notification_message_id(notification)
    assert Notification.objects.filter(recipient=notification.recipient).count() == 1  # in-app: once


def test_hardening_each_notification_has_its_own_message_id() -> None:
    one, other = NotificationFactory.create_batch(2, kind="test", context={"message": "x"})

    assert notifications_deliver()[DeliveryOutcome.SENT] == 2

    ids = [message.message()["Message-ID"] for message in mail.outbox]
    assert sorted(ids) == sorted([notification_message_id(one), notification_message_id(other)])
    assert ids[0] != ids[1]
    assert all(value.startswith("<notification-") and value.endswith("@127.0.0.1>") for value in ids)


def test_the_relay_works_in_batches_within_its_time_budget(settings: object) -> None:
    settings.RELAY_BATCH_SIZE = 2
    NotificationFactory.create_batch(5, kind="test", context={"message": "x"})

    assert notifications_relay(time_budget=0.001) == 2  # one batch, then the budget is spent
    assert notifications_relay(time_budget=5) == 3
    assert len(mail.outbox) == 5


def test_the_relay_gives_up_on_a_notification_whose_last_worker_died(settings: object) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    stuck = NotificationFactory(kind="test", context={"message": "x"}, email_attempts=2, email_error="timeout")
    _due(stuck, ago=timedelta(hours=1))

    assert notifications_relay(time_budget=5) == 0
    stuck.refresh_from_db()
    assert stuck.email_status == Notification.EmailStatus.FAILED
    assert "Gave up after 2 attempts" in stuck.email_error
    assert "timeout" in stuck.email_error
    assert stuck.email_due_at is None


# --- helpers ------------------------------------------------------------------------------------


def _twice_at_once(work: Callable[[], T]) -> list[T]:
    """Run `work` in two threads (two workers) that start together; return what each returned."""
    results: list[T] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


@contextmanager
def _broker(url: str) -> Iterator[None]:
    """Point the Celery app at another broker (and stop running tasks in-process) for a while."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    conf.broker_url, conf.task_always_eager = url, False
    _forget_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_connections()


def _forget_connections() -> None:
    """Drop the app's cached broker connections so the next publish uses the current settings."""
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)
