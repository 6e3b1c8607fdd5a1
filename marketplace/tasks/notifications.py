"""Tasks of the notification outbox: ids in, one service call, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from marketplace.services.notifications import (
    NotificationDeliveryFailed,
    notification_deliver,
    notification_outbox_sweep,
)

logger = logging.getLogger(__name__)

__all__ = ["notification_deliver_task", "notification_outbox_sweep_task", "notifications_deliver_task"]


# The first retry comes after 60 s, then 120, 240, ... (no jitter: a retry must not arrive
# before the delivery lease of its own claim ran out, or it would find the row still claimed).
# The service gives up after NOTIFICATION_MAX_ATTEMPTS, so retries are bounded twice over.
@shared_task(
    name="marketplace.tasks.notification_deliver_task",
    autoretry_for=(NotificationDeliveryFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=False,
    max_retries=settings.NOTIFICATION_MAX_ATTEMPTS,
)
def notification_deliver_task(notification_id: int) -> str:
    """E-mail one notification (claimed first, so a duplicate message sends nothing)."""
    return notification_deliver(notification_id=notification_id)


@shared_task(name="marketplace.tasks.notifications_deliver_task")
def notifications_deliver_task(notification_ids: list[int]) -> int:
    """E-mail the notifications of one event (twenty matched suppliers: one message on the broker,
    not twenty); returns how many were sent. A notification whose sending fails is handed to
    `notification_deliver_task` to be retried on its own, with its backoff."""
    sent = 0
    for notification_id in notification_ids:
        try:
            outcome = notification_deliver(notification_id=notification_id)
        except NotificationDeliveryFailed:
            try:
                notification_deliver_task.apply_async((notification_id,), countdown=60)
            except Exception:  # the broker is down: the outbox sweeper re-enqueues the pending row
                logger.warning("Could not enqueue the retry of notification %s.", notification_id, exc_info=True)
            continue
        sent += outcome == "sent"
    return sent


@shared_task(name="marketplace.tasks.notification_outbox_sweep_task")
def notification_outbox_sweep_task() -> int:
    """Run by Celery beat every minute: re-enqueue notifications pending too long."""
    return notification_outbox_sweep()
