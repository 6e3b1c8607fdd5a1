"""Tasks of the notification outbox: ids in, one service call, nothing else.

They run marketplace/services/notification_delivery.py; `notify()` queues deliveries through
`notifications_enqueue_delivery`, the one way to put them on the broker. Retries are not Celery
retries: a failed e-mail is due again after its backoff, and the relay (beat, every
`RELAY_INTERVAL`) sends it then, as it sends whatever an outage or a killed worker left pending.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from marketplace.services.notification_delivery import (
    DeliveryOutcome,
    notification_deliver,
    notifications_deliver,
    notifications_relay,
)

logger = logging.getLogger(__name__)

__all__ = [
    "notification_deliver_task",
    "notifications_deliver_task",
    "notifications_enqueue_delivery",
    "notifications_relay_task",
]


@shared_task(name="marketplace.tasks.notification_deliver_task")
def notification_deliver_task(notification_id: int) -> str:
    """E-mail one notification (claimed first, so a duplicate message sends nothing)."""
    return notification_deliver(notification_id=notification_id)


@shared_task(name="marketplace.tasks.notifications_deliver_task")
def notifications_deliver_task(notification_ids: list[int]) -> int:
    """E-mail the notifications of one event (twenty matched suppliers: one message on the broker,
    not twenty); returns how many were sent."""
    return notifications_deliver(notification_ids=notification_ids)[DeliveryOutcome.SENT]


@shared_task(name="marketplace.tasks.notifications_relay_task", priority=settings.RELAY_PRIORITY)
def notifications_relay_task() -> int:
    """Run by Celery beat every RELAY_INTERVAL: e-mail the notifications that are due (lost with the
    broker or a killed worker, or due for a retry); returns how many were sent."""
    return notifications_relay(time_budget=settings.RELAY_INTERVAL.total_seconds())


# One broker message carries the deliveries of at most this many notifications.
DELIVERY_BATCH = 50


def notifications_enqueue_delivery(notification_ids: list[int]) -> int:
    """Hand the notifications to workers, one message per DELIVERY_BATCH of them (a matching run
    that tells twenty suppliers costs one message, not twenty); returns how many were enqueued.

    Never raises: this runs after the user's transaction committed, and a broker that is down
    must not turn their request into an error. The rows stay pending and the relay sends them
    once the broker is back. The first failure stops the loop, so an outage costs one timeout,
    not one per batch.
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
                "Could not enqueue delivery of notifications %s (and %s more); the relay will send them.",
                batch[:5],
                len(notification_ids) - enqueued - len(batch),
                exc_info=True,
            )
            break
        enqueued += len(batch)
    return enqueued
