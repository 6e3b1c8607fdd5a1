"""The notification outbox: recording, rendering, delivery, retries and the sweeper.

Only the outside world is faked: the mail server (small e-mail backends below) and the clock
(timestamps moved into the past). Everything else runs for real against PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection, transaction
from django.utils import timezone, translation

from marketplace.models import Notification, User
from marketplace.notification_texts import notification_render
from marketplace.services.notification_delivery import (
    DELIVERY_LEASE,
    DeliveryOutcome,
    NotificationDeliveryFailed,
    notification_deliver,
    notification_outbox_sweep,
)
from marketplace.services.notifications import notify
from marketplace.tasks.notifications import notifications_enqueue_delivery
from sourcebelt.celery import app as celery_app
from tests.factories import CurrencyFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


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


def _age(notification: Notification, *, created: timedelta | None = None, attempted: timedelta | None = None) -> None:
    """Fake the clock: make the notification look created or last attempted that long ago."""
    now = timezone.now()
    changes = {}
    if created is not None:
        changes["created_at"] = now - created
    if attempted is not None:
        changes["email_last_attempt_at"] = now - attempted
    Notification.objects.filter(pk=notification.pk).update(**changes)


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
    assert "the outbox sweeper will retry" in caplog.text


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
    Notification.objects.filter(pk=notification.pk).update(email_attempts=1, email_last_attempt_at=timezone.now())

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.NOT_CLAIMED
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_one_notification_at_once_send_one_email(settings: object) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.SlowEmailBackend"
    CurrencyFactory(code=settings.DEFAULT_CURRENCY)  # a transactional test may start from a flushed database
    notification = NotificationFactory(kind="test", context={"message": "x"})
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(notification_deliver(notification_id=notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == sorted([DeliveryOutcome.SENT, DeliveryOutcome.NOT_CLAIMED])
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_attempts == 1


def test_a_failing_mail_server_counts_attempts_keeps_the_error_and_gives_up_after_the_limit(
    settings: object,
) -> None:
    settings.EMAIL_BACKEND = "tests.marketplace.test_notifications.BrokenEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = NotificationFactory(kind="test", context={"message": "x"})

    for attempt in (1, 2):
        with pytest.raises(NotificationDeliveryFailed):
            notification_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.email_attempts == attempt
        assert notification.email_status == Notification.EmailStatus.PENDING
        assert "the mail server is down" in notification.email_error
        _age(notification, attempted=DELIVERY_LEASE)  # the task's retry comes after the backoff

    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.FAILED
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.email_attempts == 3
    assert "Gave up after 3 attempts" in notification.email_error
    assert "the mail server is down" in notification.email_error
    # Given up means given up: no fourth attempt, from a worker or the sweeper.
    _age(notification, attempted=timedelta(days=1))
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.NOT_CLAIMED
    assert notification_outbox_sweep(enqueue=notifications_enqueue_delivery) == 0
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


# --- The sweeper --------------------------------------------------------------------------------


def test_the_sweeper_redelivers_only_notifications_pending_too_long(settings: object) -> None:
    settings.NOTIFICATION_REDELIVER_AFTER = timedelta(minutes=5)
    long_ago, just_now = timedelta(minutes=10), timedelta(minutes=1)
    never_enqueued = NotificationFactory(kind="test", context={"message": "lost at enqueue"})
    _age(never_enqueued, created=long_ago)
    retry_lost = NotificationFactory(kind="test", context={"message": "retry lost"}, email_attempts=1)
    _age(retry_lost, created=long_ago, attempted=long_ago)
    fresh = NotificationFactory(kind="test", context={"message": "still queued"})
    _age(fresh, created=just_now)
    being_retried = NotificationFactory(kind="test", context={"message": "retry due soon"}, email_attempts=1)
    _age(being_retried, created=long_ago, attempted=just_now)
    already_sent = NotificationFactory(kind="test", context={"message": "sent"}, email_status="sent")
    _age(already_sent, created=long_ago)

    assert notification_outbox_sweep(enqueue=notifications_enqueue_delivery) == 2

    sent = set(Notification.objects.filter(email_status="sent").values_list("pk", flat=True))
    assert sent == {never_enqueued.pk, retry_lost.pk, already_sent.pk}
    assert sorted(message.body.split("\n")[2] for message in mail.outbox) == [
        "Test message: lost at enqueue",
        "Test message: retry lost",
    ]


def test_the_sweeper_works_in_batches(settings: object) -> None:
    settings.NOTIFICATION_REDELIVER_AFTER = timedelta(minutes=5)
    for _ in range(5):
        _age(NotificationFactory(kind="test", context={"message": "x"}), created=timedelta(hours=1))

    assert notification_outbox_sweep(enqueue=notifications_enqueue_delivery, batch_size=2, max_batches=2) == 4
    assert notification_outbox_sweep(enqueue=notifications_enqueue_delivery, batch_size=2, max_batches=2) == 1
    assert len(mail.outbox) == 5


def test_the_sweeper_gives_up_on_a_notification_whose_last_worker_died(settings: object) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    stuck = NotificationFactory(kind="test", context={"message": "x"}, email_attempts=2, email_error="timeout")
    _age(stuck, created=timedelta(hours=2), attempted=timedelta(hours=1))

    assert notification_outbox_sweep(enqueue=notifications_enqueue_delivery) == 0
    stuck.refresh_from_db()
    assert stuck.email_status == Notification.EmailStatus.FAILED
    assert "Gave up after 2 attempts" in stuck.email_error
    assert "timeout" in stuck.email_error


# --- helpers ------------------------------------------------------------------------------------


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
