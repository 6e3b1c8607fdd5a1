"""Reads of the notification centre. Notifications are personal: every read is scoped to the
signed-in user (not the acting company), so nobody ever sees another person's notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Notification, User
from marketplace.notification_texts import notification_text

NOTIFICATION_PAGE_SIZE = 20
NOTIFICATION_MAX_PAGE_SIZE = 100


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_for(*, user: User, notification_id: int) -> Notification:
    """One of the user's notifications; anyone else's is NotFound (no existence leaks)."""
    notification = notifications_for(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("No such notification."))
    return notification


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def with_text(notifications: Iterable[Notification]) -> list[Notification]:
    """Give each notification `.title` and `.summary` in the active (the reader's) language.

    Rendering reads no database row, so a page of any size costs the same queries.
    """
    rows = list(notifications)
    for notification in rows:
        rendered = notification_text(notification)
        notification.title = rendered.subject  # type: ignore[attr-defined]
        notification.summary = rendered.body  # type: ignore[attr-defined]
    return rows


def notification_page(*, user: User, page: str | int | None, page_size: int = NOTIFICATION_PAGE_SIZE) -> Page:
    """One page of the user's notifications with their text; a bad page number gives the nearest page."""
    page_size = max(1, min(page_size, NOTIFICATION_MAX_PAGE_SIZE))
    result = Paginator(notifications_for(user=user), page_size).get_page(page)
    result.object_list = with_text(result.object_list)
    return result
