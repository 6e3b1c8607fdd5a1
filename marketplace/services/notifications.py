"""The notification outbox: the one service every app calls to tell people about an event.

How it fits together (see docs/notifications.md):

1. `notify()` writes one Notification row per recipient in the caller's transaction. A unique
   constraint (recipient, event key) makes a repeated call a no-op, so a retried task or a double
   click never tells anybody twice.
2. After the caller commits, the new rows are put on the broker
   (`marketplace.tasks.notifications.notifications_enqueue_delivery`). If the broker is down the
   row simply stays pending and due: the relay (`notifications_relay_task`, queued by Celery beat
   every `RELAY_INTERVAL`) sends it once the broker is back. A broker outage delays notifications
   by seconds and loses none.
3. `notifications_deliver()` (marketplace/services/notification_delivery.py: the work of the
   outbox's tasks) claims due rows with `SKIP LOCKED` and a lease before it sends, so two workers
   never both send one, and a worker killed mid-send leaves it to the relay once the lease runs
   out; it counts attempts, keeps the last error, retries with backoff and gives up, with the
   reason kept, after `settings.NOTIFICATION_MAX_ATTEMPTS`. E-mail goes at least once, with one
   `Message-ID` per notification, so a copy sent again after a crash is recognisable.

A notification's `kind` names its templates, `notifications/<kind>_subject.txt` and
`notifications/<kind>_body.txt` (rendered by marketplace/notification_texts.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Notification, User
from marketplace.notification_kinds import check_notification_kind
from marketplace.tasks.notifications import notifications_enqueue_delivery

logger = logging.getLogger(__name__)


# --- Recording: the one entry point for every app ----------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    event_key: str,
    context: dict[str, Any] | None = None,
    url: str = "",
) -> list[Notification]:
    """Record that `recipients` are to be told about event `event_key`, in the caller's transaction.

    At most one Notification exists per recipient and event key, so calling this twice for the
    same event (a retried task, a double click) tells nobody twice. Delivery happens after commit:
    if the caller's transaction rolls back, nothing was recorded and nothing is sent. `context`
    must be JSON-serialisable; it holds the facts the templates of `kind` show (names as typed,
    never pre-translated text). `url` is a path on this site (or a full URL) the notification
    links to. Returns the notifications created by this call.
    """
    if not kind or not event_key:
        raise ValueError("notify() needs a kind and an event key.")
    check_notification_kind(kind)
    if len(event_key) > Notification.EVENT_KEY_MAX_LENGTH:
        raise ValueError(f"The event key {event_key[:40]!r}... is too long.")
    unique: dict[int, User] = {}
    for recipient in recipients:
        unique.setdefault(recipient.pk, recipient)
    if not unique:
        return []
    with transaction.atomic():
        already = set(
            Notification.objects.filter(event_key=event_key, recipient_id__in=list(unique)).values_list(
                "recipient_id", flat=True
            )
        )
        rows = [
            Notification(recipient=recipient, event_key=event_key, kind=kind, context=context or {}, url=url)
            for pk, recipient in unique.items()
            if pk not in already
        ]
        created = _insert_new(rows)
        if created:
            ids = [notification.pk for notification in created]
            transaction.on_commit(functools.partial(notifications_enqueue_delivery, ids))
    return created


def notify_each(*, items: Iterable[tuple[User, str, str, dict[str, Any] | None, str]]) -> list[Notification]:
    """`notify()` for many events at once: each item is (recipient, kind, event_key, context, url).

    The same guarantees as `notify()` — at most one Notification per recipient and event key
    (repeated items, a second call, a concurrent call: nobody is told twice), recorded in the
    caller's transaction, delivered after commit — in one read and one insert for all items, so a
    matching run that tells twenty suppliers, each with its own reasons, costs two queries, not
    forty. Returns the notifications created by this call.
    """
    wanted: dict[tuple[int, str], Notification] = {}
    for recipient, kind, event_key, context, url in items:
        if not kind or not event_key:
            raise ValueError("notify_each() needs a kind and an event key in every item.")
        check_notification_kind(kind)
        if len(event_key) > Notification.EVENT_KEY_MAX_LENGTH:
            raise ValueError(f"The event key {event_key[:40]!r}... is too long.")
        wanted.setdefault(
            (recipient.pk, event_key),
            Notification(recipient=recipient, event_key=event_key, kind=kind, context=context or {}, url=url),
        )
    if not wanted:
        return []
    # The read and the insert in one transaction — the caller's when there is one, without a
    # savepoint of its own (two round trips fewer for every matching run): nothing here is undone
    # without the caller's work, and `_insert_new` keeps its savepoint to recover from a
    # concurrent insert.
    with transaction.atomic(savepoint=False):
        keys = {event_key for _pk, event_key in wanted}
        recipients = {pk for pk, _key in wanted}
        already = set(
            Notification.objects.filter(event_key__in=keys, recipient_id__in=recipients).values_list(
                "recipient_id", "event_key"
            )
        )
        created = _insert_new([row for key, row in wanted.items() if key not in already])
        if created:
            ids = [notification.pk for notification in created]
            transaction.on_commit(functools.partial(notifications_enqueue_delivery, ids))
    return created


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """Insert `rows`; when a concurrent call inserted some of them first, keep only ours."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        created: list[Notification] = []
        for row in rows:
            notification, was_created = Notification.objects.get_or_create(
                recipient_id=row.recipient_id,
                event_key=row.event_key,
                defaults={"kind": row.kind, "context": row.context, "url": row.url},
            )
            if was_created:
                created.append(notification)
        return created


# --- The reader's side: marking as read ---------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (idempotent). Someone else's: NotFound."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, recipient=user).first()
        if notification is None:
            raise NotFound(_("No such notification."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark all of `user`'s unread notifications read; returns how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
