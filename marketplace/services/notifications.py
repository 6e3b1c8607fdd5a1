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
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Membership, Notification, User
from marketplace.notification_kinds import check_notification_kind
from marketplace.services.translation_requests import translations_request
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
    _checked(kind, event_key)
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
    caller's transaction, delivered after commit — in one read and one insert for all items, so
    telling twenty people, each with their own text, costs two queries, not forty (`notify_members`
    tells the members of companies in one). Returns the notifications created by this call.
    """
    wanted: dict[tuple[int, str], Notification] = {}
    for recipient, kind, event_key, context, url in items:
        _checked(kind, event_key)
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


# PostgreSQL: `notify_members` in one statement. Each item's company's active members (a person
# listed twice for one event keeps the first item), inserted unless already told (the unique
# constraint on recipient and event key decides, also against a concurrent insert, which this one
# waits for); it returns the new notifications' ids and the languages of everyone it meant.
_NOTIFY_MEMBERS_SQL = """
WITH item AS (
    SELECT * FROM unnest(%(companies)s::bigint[], %(kinds)s::text[], %(keys)s::text[], %(contexts)s::text[],
                         %(urls)s::text[]) WITH ORDINALITY AS item(company_id, kind, event_key, context, url, position)
),
recipient AS (
    SELECT DISTINCT ON (person.id, item.event_key)
        person.id AS user_id, person.preferred_language, item.kind, item.event_key, item.context, item.url
    FROM item
    JOIN marketplace_membership membership ON membership.company_id = item.company_id
    JOIN marketplace_user person ON person.id = membership.user_id AND person.is_active
    ORDER BY person.id, item.event_key, item.position
),
created AS (
    INSERT INTO marketplace_notification (recipient_id, event_key, kind, context, url, created_at, email_status,
                                          email_attempts, email_error, email_due_at)
    SELECT user_id, event_key, kind, context::jsonb, url, %(now)s, %(pending)s, 0, '', %(now)s FROM recipient
    ON CONFLICT (recipient_id, event_key) DO NOTHING
    RETURNING id
)
SELECT (SELECT array_agg(id ORDER BY id) FROM created),
       (SELECT array_agg(DISTINCT preferred_language) FROM recipient)
"""


def notify_members(
    *,
    items: Iterable[tuple[int, str, str, dict[str, Any] | None, str]],
    translate: Iterable[str] = (),
) -> list[int]:
    """`notify_each` for every active member of a company: each item is (company id, kind,
    event_key, context, url). Returns the ids of the notifications created by this call.

    The same guarantees as `notify_each` (one Notification per person and event key, recorded in
    the caller's transaction, delivered after it commits), with the members found in the same
    statement: on PostgreSQL one round trip for all items (a matching run that tells twenty
    suppliers' members, each with its own reasons). `translate`: texts the notifications quote,
    asked for (`translations_request`) in the languages of the members, queued before the
    deliveries so that an e-mail finds them when it can.
    """
    wanted = [
        (company_id, *_checked(kind, event_key), context or {}, url)
        for company_id, kind, event_key, context, url in items
    ]
    if not wanted:
        return []
    if connection.vendor != "postgresql":
        members: dict[int, list[User]] = {}
        memberships = Membership.objects.filter(company_id__in={item[0] for item in wanted}, user__is_active=True)
        for membership in memberships.select_related("user").order_by("pk"):
            members.setdefault(membership.company_id, []).append(membership.user)
        people = [(user, *item[1:]) for item in wanted for user in members.get(item[0], [])]
        translations_request(texts=translate, languages={person[0].preferred_language for person in people})
        return [notification.pk for notification in notify_each(items=people)]
    companies, kinds, keys, contexts, urls = zip(*wanted, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            _NOTIFY_MEMBERS_SQL,
            {
                "companies": list(companies),
                "kinds": list(kinds),
                "keys": list(keys),
                "contexts": [json.dumps(context) for context in contexts],
                "urls": list(urls),
                "now": timezone.now(),
                "pending": Notification.EmailStatus.PENDING,
            },
        )
        ids, languages = cursor.fetchone()
    translations_request(texts=translate, languages=languages or [])
    created = list(ids or [])
    if created:
        transaction.on_commit(functools.partial(notifications_enqueue_delivery, created))
    return created


def _checked(kind: str, event_key: str) -> tuple[str, str]:
    if not kind or not event_key:
        raise ValueError("Notifying needs a kind and an event key for every event.")
    check_notification_kind(kind)
    if len(event_key) > Notification.EVENT_KEY_MAX_LENGTH:
        raise ValueError(f"The event key {event_key[:40]!r}... is too long.")
    return kind, event_key


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
