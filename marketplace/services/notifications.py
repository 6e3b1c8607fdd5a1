"""The notification outbox: the one service every app calls to tell people about an event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from marketplace.models import Notification, User


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
    same event (a retried task, a double click) tells nobody twice. Delivery happens after commit.
    Returns the notifications created by this call.
    """
    created: list[Notification] = []
    with transaction.atomic():
        for recipient in recipients:
            notification, was_created = Notification.objects.get_or_create(
                recipient=recipient,
                event_key=event_key,
                defaults={"kind": kind, "context": context or {}, "url": url},
            )
            if was_created:
                created.append(notification)
    return created
