"""Tasks of the notification outbox: ids in, one service call, nothing else."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from marketplace.services.notifications import (
    NotificationDeliveryFailed,
    notification_deliver,
    notification_outbox_sweep,
)

__all__ = ["notification_deliver_task", "notification_outbox_sweep_task"]


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


@shared_task(name="marketplace.tasks.notification_outbox_sweep_task")
def notification_outbox_sweep_task() -> int:
    """Run by Celery beat every minute: re-enqueue notifications pending too long."""
    return notification_outbox_sweep()
