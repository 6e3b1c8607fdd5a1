"""Tasks of the notification outbox: ids in, one service call, nothing else.

They run marketplace/services/notification_delivery.py; `notify()` queues deliveries through
`notifications_enqueue_delivery`, the one way to put them on the broker.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from marketplace.services.notification_delivery import (
    NotificationDeliveryFailed,
    notification_deliver,
    notification_outbox_sweep,
)

logger = logging.getLogger(__name__)

__all__ = [
    "notification_deliver_task",
    "notification_outbox_sweep_task",
    "notifications_deliver_task",
    "notifications_enqueue_delivery",
]


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
    return notification_outbox_sweep(enqueue=notifications_enqueue_delivery)


# One broker message carries the deliveries of at most this many notifications.
DELIVERY_BATCH = 50


def notifications_enqueue_delivery(notification_ids: list[int]) -> int:
    """Hand the notifications to workers, one message per DELIVERY_BATCH of them (a matching run
    that tells twenty suppliers costs one message, not twenty); returns how many were enqueued.

    Never raises: this runs after the user's transaction committed, and a broker that is down
    must not turn their request into an error. The rows stay pending and the sweeper enqueues
    them again later. The first failure stops the loop, so an outage costs one timeout, not one
    per batch.
    """
    enqueued = 0
    for start in range(0, len(notification_ids), DELIVERY_BATCH):
        batch = notification_ids[start : start + DELIVERY_BATCH]
        try:
            if len(batch) == 1:
                notification_deliver_task.delay(batch[0])
            else:
                notifications_deliver_task.delay(batch)
        except Exception:
            logger.warning(
                "Could not enqueue delivery of notifications %s (and %s more); the outbox sweeper will retry.",
                batch[:5],
                len(notification_ids) - enqueued - len(batch),
                exc_info=True,
            )
            break
        enqueued += len(batch)
    return enqueued
